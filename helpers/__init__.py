"""Helpers for learning Clover's Ecommerce (card-not-present) payments API in notebooks.

Start with ``client = connect()``: it reads ``.env`` and returns a :class:`CloverClient`
for the local sandbox (the default), Clover's sandbox or production.
"""

from __future__ import annotations

import atexit
import importlib
import os
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from . import errors
    from .cards import (
        TEST_CARDS,
        Card,
        TestCard,
        mask_last4,
        mask_pan,
        test_card,
        test_cards_table,
    )
    from .checks import check
    from .client import Charge, CloverClient, CloverObject, ListPage, PakmsKey, Refund, Token
    from .encryption import CardEncryptionKey, fetch_card_key
    from .environments import ENVIRONMENTS, Environment
    from .errors import (
        APIConnectionError,
        APIError,
        AuthenticationError,
        CardError,
        CloverError,
        IdempotencyError,
        InvalidRequestError,
        RateLimitError,
    )
    from .journal import Journal, JournalEntry
    from .oauth import (
        CloverOAuth,
        MerchantClient,
        OAuthFlowError,
        OAuthToken,
        TokenStore,
        oauth_app,
    )
    from .tables import charges_table, refunds_table

# Public names load on first use (PEP 562), so that importing the sandbox, which lives in
# this package too, loads none of the client's modules.
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        [
            "TEST_CARDS",
            "Card",
            "TestCard",
            "mask_last4",
            "mask_pan",
            "test_card",
            "test_cards_table",
        ],
        ".cards",
    ),
    "check": ".checks",
    **dict.fromkeys(
        ["Charge", "CloverClient", "CloverObject", "ListPage", "PakmsKey", "Refund", "Token"],
        ".client",
    ),
    **dict.fromkeys(["CardEncryptionKey", "fetch_card_key"], ".encryption"),
    **dict.fromkeys(["ENVIRONMENTS", "Environment"], ".environments"),
    **dict.fromkeys(
        [
            "APIConnectionError",
            "APIError",
            "AuthenticationError",
            "CardError",
            "CloverError",
            "IdempotencyError",
            "InvalidRequestError",
            "RateLimitError",
        ],
        ".errors",
    ),
    **dict.fromkeys(["Journal", "JournalEntry"], ".journal"),
    **dict.fromkeys(
        [
            "CloverOAuth",
            "MerchantClient",
            "OAuthFlowError",
            "OAuthToken",
            "TokenStore",
            "oauth_app",
        ],
        ".oauth",
    ),
    **dict.fromkeys(["charges_table", "refunds_table"], ".tables"),
}
_SUBMODULES = {"errors"}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "ENVIRONMENTS",
    "TEST_CARDS",
    "APIConnectionError",
    "APIError",
    "AuthenticationError",
    "Card",
    "CardEncryptionKey",
    "CardError",
    "Charge",
    "CloverClient",
    "CloverError",
    "CloverOAuth",
    "CloverObject",
    "Environment",
    "IdempotencyError",
    "InvalidRequestError",
    "Journal",
    "JournalEntry",
    "ListPage",
    "MerchantClient",
    "MissingSettingError",
    "OAuthFlowError",
    "OAuthToken",
    "PakmsKey",
    "RateLimitError",
    "Refund",
    "TestCard",
    "Token",
    "TokenStore",
    "charges_table",
    "check",
    "connect",
    "describe_connection",
    "errors",
    "fetch_card_key",
    "local_merchants",
    "mask_last4",
    "mask_pan",
    "oauth_app",
    "refunds_table",
    "test_card",
    "test_cards_table",
]

DEFAULT_ENV = "local"
DEFAULT_SEED = "2026"


class MissingSettingError(RuntimeError):
    """A setting ``connect`` needs is not in the environment or in ``.env``."""


_sandbox_lock = threading.Lock()
_local_sandbox: Any = None


def _load_dotenv() -> None:
    """Read ``.env`` from the current folder or a parent; variables already set win."""
    from dotenv import find_dotenv, load_dotenv

    path = find_dotenv(usecwd=True)
    if path:
        load_dotenv(path, override=False)


def _local_base_url() -> str:
    """The local sandbox's URL: ``CLOVER_SANDBOX_URL``, or one started in this process."""
    url = os.environ.get("CLOVER_SANDBOX_URL")
    if url:
        return url.rstrip("/")
    global _local_sandbox
    with _sandbox_lock:
        if _local_sandbox is None:
            from .sandbox import Sandbox

            seed = int(os.environ.get("CLOVER_SANDBOX_SEED", DEFAULT_SEED))
            _local_sandbox = Sandbox(seed=seed).start()
            atexit.register(_local_sandbox.stop)
        return str(_local_sandbox.url).rstrip("/")


def local_merchants(base_url: str) -> list[dict[str, Any]]:
    """The demo merchants of a local sandbox and their credentials (local only)."""
    import httpx

    from .wire import tls_context

    response = httpx.get(
        f"{base_url.rstrip('/')}/_sandbox/merchants", timeout=10.0, verify=tls_context()
    )
    response.raise_for_status()
    merchants: list[dict[str, Any]] = response.json()
    return merchants


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


def connect(
    env: str | None = None,
    *,
    merchant: int = 0,
    journal: Journal | None = None,
    customer_ip: str = "127.0.0.1",
) -> CloverClient:
    """A client for ``env`` ("local", "sandbox" or "production"; default ``CLOVER_ENV``).

    "local" uses ``CLOVER_SANDBOX_URL`` if set, else starts a local sandbox in this process
    (once), and takes the credentials of its demo merchant number ``merchant``.
    "sandbox" and "production" read ``CLOVER_MERCHANT_ID``, ``CLOVER_PRIVATE_KEY`` (or
    ``CLOVER_ACCESS_TOKEN``) and optionally ``CLOVER_API_ACCESS_KEY``.
    """
    from . import browser_address
    from .client import CloverClient
    from .environments import ENVIRONMENTS, Environment

    _load_dotenv()
    name = (env or os.environ.get("CLOVER_ENV") or DEFAULT_ENV).strip().lower()
    if name == "local":
        base = _local_base_url()
        merchants = local_merchants(base)
        if not 0 <= merchant < len(merchants):
            raise ValueError(
                f"merchant={merchant} but the local sandbox has {len(merchants)} demo "
                f"merchants (0 to {len(merchants) - 1})"
            )
        chosen: Mapping[str, Any] = merchants[merchant]
        environment = Environment.local(base, browser_url=browser_address.browser_url(base))
        return CloverClient(
            environment,
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
    browser_url = os.environ.get("CLOVER_BROWSER_URL")
    if browser_url:
        environment = environment.with_browser_url(browser_url)
    return CloverClient(
        environment,
        token,
        merchant_id=merchant_id,
        api_access_key=os.environ.get("CLOVER_API_ACCESS_KEY") or None,
        journal=journal,
        customer_ip=customer_ip,
    )


def describe_connection(client: CloverClient) -> str:
    """A short, safe-to-print summary of where a client points and with which keys."""
    return client.describe()
