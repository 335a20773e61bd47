"""Where a client's settings come from: the process environment, a ``.env`` file, and a
local sandbox's list of demo merchants. Light to import: nothing loads before it is used."""

from __future__ import annotations

from typing import Any

__all__ = ["MissingSettingError", "load_dotenv", "local_merchants"]


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
    import httpx

    from .wire import cannot_connect, tls_context

    url = base_url.rstrip("/")
    try:
        response = httpx.get(f"{url}/_sandbox/merchants", timeout=10.0, verify=tls_context())
    except httpx.ConnectError as exc:
        refused = cannot_connect(url, exc, local=True)
    else:
        response.raise_for_status()
        merchants: list[dict[str, Any]] = response.json()
        return merchants
    raise refused  # raised outside the except, so no transport traceback hangs under it
