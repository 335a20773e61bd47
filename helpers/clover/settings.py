"""Where a client's settings come from: the process environment, a ``.env`` file, and a
local sandbox's list of demo merchants. Light to import: nothing loads before it is used."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import CloverClient
    from .journal import Journal

__all__ = ["MissingSettingError", "client_from_env", "load_dotenv", "local_merchants"]


class MissingSettingError(RuntimeError):
    """A setting ``connect`` needs is not in the environment or in ``.env``."""


def load_dotenv() -> None:
    """Read ``.env`` from the current folder or a parent; variables already set win."""
    from dotenv import find_dotenv
    from dotenv import load_dotenv as load

    path = find_dotenv(usecwd=True)
    if path:
        load(path, override=False)


def local_merchants(base_url: str) -> list[dict[str, Any]]:
    """The demo merchants of a local sandbox and their credentials (local only)."""
    from .local_sandbox import LocalSandbox

    return LocalSandbox(base_url).merchants()


def _setting(names: tuple[str, ...], env: str, what: str) -> str:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    wanted = " or ".join(names)
    raise MissingSettingError(
        f"{wanted} is not set, and connect({env!r}) needs {what}. Put a line "
        f"'{names[0]}=...' in the .env file at the project root, "
        f"or export it before starting Jupyter."
    )


def client_from_env(
    name: str,
    *,
    sandbox_url: str | None = None,
    browser_url: str | None = None,
    merchant: int = 0,
    journal: Journal | None = None,
    customer_ip: str = "127.0.0.1",
) -> CloverClient:
    """A client for the Clover environment ``name``, its credentials from the process
    environment (read ``.env`` first with :func:`load_dotenv`).

    "local": demo merchant number ``merchant`` of the sandbox at ``sandbox_url``, whose
    browser address is ``browser_url`` (default: the same). "sandbox" and "production":
    ``CLOVER_MERCHANT_ID``, ``CLOVER_PRIVATE_KEY`` (or ``CLOVER_ACCESS_TOKEN``), optionally
    ``CLOVER_API_ACCESS_KEY`` and ``CLOVER_BROWSER_URL``.
    """
    from .client import CloverClient
    from .environments import ENVIRONMENTS, Environment

    if name == "local":
        if not sandbox_url:
            raise ValueError("a local client needs the sandbox's URL (sandbox_url)")
        merchants = local_merchants(sandbox_url)
        if not 0 <= merchant < len(merchants):
            raise ValueError(
                f"merchant={merchant} but the local sandbox has {len(merchants)} demo "
                f"merchants (0 to {len(merchants) - 1})"
            )
        chosen = merchants[merchant]
        return CloverClient(
            Environment.local(sandbox_url, browser_url=browser_url),
            str(chosen["private_key"]),
            merchant_id=str(chosen["merchant_id"]),
            api_access_key=chosen.get("api_access_key"),
            journal=journal,
            customer_ip=customer_ip,
        )
    if name not in ENVIRONMENTS:
        known = ", ".join(["local", *ENVIRONMENTS])
        raise ValueError(f"unknown Clover environment {name!r}; use one of: {known}")
    if merchant != 0:
        raise ValueError(
            f"merchant={merchant} picks one of the local sandbox's demo merchants; "
            f"on Clover's {name}, connect() takes the merchant of "
            "CLOVER_MERCHANT_ID (reach another merchant through OAuth, notebook 03)"
        )
    merchant_id = _setting(("CLOVER_MERCHANT_ID",), name, "the merchant id")
    token = _setting(
        ("CLOVER_PRIVATE_KEY", "CLOVER_ACCESS_TOKEN"),
        name,
        "an Ecommerce private key or an OAuth access token",
    )
    environment = ENVIRONMENTS[name]
    if os.environ.get("CLOVER_BROWSER_URL"):
        environment = environment.with_browser_url(os.environ["CLOVER_BROWSER_URL"])
    return CloverClient(
        environment,
        token,
        merchant_id=merchant_id,
        api_access_key=os.environ.get("CLOVER_API_ACCESS_KEY") or None,
        journal=journal,
        customer_ip=customer_ip,
    )
