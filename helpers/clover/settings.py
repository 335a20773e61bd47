"""Where a client's settings come from: the process environment, a ``.env`` file, and a
local sandbox's list of demo merchants. Light to import: nothing loads before it is used."""

from __future__ import annotations

import time
from typing import Any

__all__ = ["LocalClock", "MissingSettingError", "load_dotenv", "local_merchants"]


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


class LocalClock:
    """Now, in Unix seconds, as the local sandbox's expirations see it: the real clock,
    ahead by as far as the sandbox clock was moved (``GET /_sandbox/clock``, read at each
    call, so a move made by any notebook is seen at once).

    Only the local sandbox can move time; ``oauth_app`` gives this clock to the OAuth
    client there, so that a token the sandbox expired by a move is refreshed, not sent.
    Against Clover the client reads the machine's own clock.
    """

    def __init__(self, base_url: str) -> None:
        self.url = base_url.rstrip("/")
        self._http: Any = None

    def __call__(self) -> float:
        import httpx

        from .wire import tls_context

        if self._http is None:
            self._http = httpx.Client(timeout=5.0, verify=tls_context())
        try:
            moved = int(self._http.get(f"{self.url}/_sandbox/clock").json()["moved_ms"])
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            moved = 0  # no answer: the real clock; the request that follows says what failed
        return time.time() + moved / 1000

    def __repr__(self) -> str:
        return f"LocalClock({self.url!r})"
