"""The client's one door to what only the local sandbox has: its ``/_sandbox/*`` controls
and the clock header on its answers. Clover has none of it (docs/sandbox.md).

Every local-only request of the kit goes through :class:`LocalSandbox`: the demo merchants
and registration, reset, faults, rate limits, the request log, webhook settings, the
clock, OAuth lifetimes and the scripted OAuth approval. The client wing still knows the
sandbox only by its URL; nothing here runs against Clover's hosts.

The sandbox adds ``X-Clover-Sandbox-Clock-Moved-Ms`` to every answer: how far its clock
was moved in all. Expirations there run on the real clock plus that much, so
:class:`LocalClock` (the OAuth client's "now" on the local sandbox) is the real clock plus
the last value any answer from that sandbox carried: no request of its own.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from .environments import Environment
from .wire import cannot_connect, tls_context

if TYPE_CHECKING:
    from .base import BaseClient

__all__ = [
    "CLOCK_HEADER",
    "LocalClock",
    "LocalSandbox",
    "LocalSandboxError",
    "local_clock",
    "running_sandbox",
]

CLOCK_HEADER = "x-clover-sandbox-clock-moved-ms"
"""The kit's answer header (not Clover's): ms the sandbox clock was moved, in all."""
DAY_MS = 24 * 3600 * 1000
CONTROL_TIMEOUT_S = 10.0


class LocalSandboxError(ValueError):
    """A ``/_sandbox/*`` control refused the request; the message is the sandbox's."""


def running_sandbox() -> tuple[str, str] | None:
    """A local sandbox that is running already, and where it was found: the one at
    ``CLOVER_SANDBOX_URL``, else a running ``kit.py lab``'s (its file, :mod:`helpers.lab`)
    if it answers. None when neither; ``CLOVER_SANDBOX_URL`` set but empty asks for a
    sandbox of one's own (the test suite's choice), so None too."""
    url = os.environ.get("CLOVER_SANDBOX_URL")
    if url:
        return url.rstrip("/"), "from CLOVER_SANDBOX_URL"
    if url is None:
        from ..lab import LAB_SANDBOX_FILE, lab_sandbox_url, sandbox_home

        found = lab_sandbox_url()
        if found:
            return found, f"the running kit.py lab's, found in {sandbox_home() / LAB_SANDBOX_FILE}"
    return None


# -- the clock -------------------------------------------------------------------------


class LocalClock:
    """Now, in Unix seconds, as the local sandbox's expirations see it: the real clock,
    ahead by as far as the sandbox clock was moved, as the last answer from that sandbox
    said (:data:`CLOCK_HEADER`). A move made through any client of this process is seen at
    once; one made elsewhere, at the next answer (a request it made stale answers 401, and
    the OAuth client refreshes and sends it again).

    Only the local sandbox can move time; ``oauth_app`` gives this clock to the OAuth
    client there. Against Clover the client reads the machine's own clock.
    """

    def __init__(self, base_url: str) -> None:
        self.url = base_url.rstrip("/")
        self.moved_ms = 0

    def __call__(self) -> float:
        return time.time() + self.moved_ms / 1000

    def read(self, headers: Mapping[str, str]) -> None:
        """Take the clock from an answer's headers (an answer without it changes nothing)."""
        value = headers.get(CLOCK_HEADER)
        if value is not None and value.isdigit():
            self.moved_ms = int(value)

    def __repr__(self) -> str:
        return f"LocalClock({self.url!r}, moved_ms={self.moved_ms})"


_clocks: dict[str, LocalClock] = {}
_clocks_lock = threading.Lock()


def local_clock(base_url: str) -> LocalClock:
    """The one clock of the sandbox at ``base_url`` in this process, shared by every client
    and control that talks to it, so an answer to any of them sets it for all."""
    url = base_url.rstrip("/")
    with _clocks_lock:
        clock = _clocks.get(url)
        if clock is None:
            clock = _clocks[url] = LocalClock(url)
        return clock


# -- the controls ----------------------------------------------------------------------


class LocalSandbox:
    """The ``/_sandbox/*`` controls of the local sandbox a client (or an environment, or a
    URL) points at, for one merchant (``merchant_id``, or the client's)."""

    def __init__(
        self,
        where: BaseClient[Any] | Environment | str,
        merchant_id: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if isinstance(where, str):
            self.url = where.rstrip("/")
        else:
            environment = where if isinstance(where, Environment) else where.environment
            if not environment.is_local:
                raise RuntimeError(
                    f"faults, rate limits, the clock and the request log exist only in the "
                    f"local sandbox; this client talks to Clover's {environment.name}"
                )
            self.url = environment.ecommerce_url
        self.merchant_id = merchant_id or getattr(where, "merchant_id", None)
        self.clock = local_clock(self.url)
        self._transport = transport

    def __repr__(self) -> str:
        return f"LocalSandbox({self.url!r}, merchant_id={self.merchant_id!r})"

    def _answer(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request to the sandbox; its clock header read; a closed port a short
        :class:`CannotConnectError` naming the URL and how to start the sandbox."""
        try:
            with httpx.Client(
                timeout=CONTROL_TIMEOUT_S, verify=tls_context(), transport=self._transport
            ) as http:
                response = http.request(method, url, **kwargs)
        except httpx.ConnectError as exc:
            refused = cannot_connect(self.url, exc, local=True)
        else:
            self.clock.read(response.headers)
            return response
        raise refused  # raised outside the except, so no transport traceback hangs under it

    def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._answer(method, f"{self.url}/_sandbox/{path}", **kwargs)
        if response.is_error:
            try:
                message = response.json()["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = f"{method} /_sandbox/{path} answered {response.status_code}"
            raise LocalSandboxError(message)
        return response.json()

    # -- merchants -----------------------------------------------------------------------

    def merchants(self) -> list[dict[str, Any]]:
        """The sandbox's merchants with their credentials (the demo ones first)."""
        listed: list[dict[str, Any]] = self._send("GET", "merchants")
        return listed

    def register_merchant(
        self,
        *,
        name: str,
        merchant_id: str,
        private_key: str,
        api_access_key: str,
        app_id: str,
        app_secret: str,
        site_urls: list[str] | None = None,
    ) -> dict[str, Any]:
        """Add your own Clover sandbox merchant to the local sandbox, under its real ids and
        keys, so a page written for it runs here unchanged: the private key is the Bearer,
        the apiAccessKey tokenizes, the app id and secret run OAuth with redirect URIs at or
        below ``site_urls``. It survives a restart with ``--db``; a reset removes it. Returns
        what the sandbox stored (its keys included: do not print it in a shared notebook)."""
        body: dict[str, Any] = {
            "name": name,
            "merchant_id": merchant_id,
            "private_key": private_key,
            "api_access_key": api_access_key,
            "app_id": app_id,
            "app_secret": app_secret,
        }
        if site_urls is not None:
            body["site_urls"] = list(site_urls)
        return dict(self._send("POST", "merchants", json=body))

    def reset(self, seed: int | None = None) -> None:
        """Put the local sandbox back to its seeded start, for every merchant: it empties the
        store and clears faults, rate limits, the request log, webhook settings and the OAuth
        and Hosted Checkout lifetimes. ``seed`` reseeds it; by default, its starting seed."""
        self._send("POST", "reset", json={"seed": seed} if seed is not None else None)

    # -- faults, limits, what it saw -----------------------------------------------------

    def fault(self, kind: str, **options: Any) -> dict[str, Any]:
        """Switch a fault on for this merchant: ``kind`` is "status", "drop", "latency" or
        "rate_limit"; options are ``path``, ``method``, ``status``, ``latency_ms``,
        ``retry_after``, ``count`` and ``probability`` (see the sandbox's faults.py)."""
        body = {
            "merchant": self.merchant_id,
            "kind": kind,
            **{k: v for k, v in options.items() if v is not None},
        }
        fault: dict[str, Any] = self._send("POST", "faults", json=body)
        return fault

    def faults(self) -> list[dict[str, Any]]:
        """Every fault switched on for this merchant, with how often it ``fired`` so far."""
        listed: list[dict[str, Any]] = self._send("GET", "faults")["data"]
        return [f for f in listed if f["merchant"] == self.merchant_id]

    def clear_faults(self) -> int:
        """Switch this merchant's faults off; returns how many there were."""
        return int(self._send("DELETE", "faults", params={"merchant": self.merchant_id})["deleted"])

    def enforce_rate_limits(self, enforce: bool = True, **limits: int) -> dict[str, Any]:
        """Answer 429 past Clover's documented limits (16/s and 5 at once per token...);
        each call starts the counts afresh."""
        result: dict[str, Any] = self._send(
            "POST", "rate-limits", json={"enforce": enforce, **limits}
        )
        return result

    def request_log(self, path: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """What the sandbox saw for this merchant, oldest first, masked."""
        params: dict[str, Any] = {"merchant": self.merchant_id, "limit": limit}
        if path is not None:
            params["path"] = path
        rows: list[dict[str, Any]] = self._send("GET", "requests", params=params)["data"]
        return rows

    # -- OAuth ---------------------------------------------------------------------------

    def oauth_lifetimes(self, **seconds: int) -> dict[str, int]:
        """Seconds OAuth grants issued from now on live (``access_token``, ``refresh_token``,
        ``code``): a short access token shows a refresh without waiting. With no argument,
        read them; a reset of the sandbox restores them."""
        if seconds:
            return dict(self._send("POST", "oauth/lifetimes", json=seconds))
        return dict(self._send("GET", "oauth/lifetimes"))

    def approve(self, authorize_url: str) -> httpx.Response:
        """Open an authorize URL as a script (no browser, no consent page): the sandbox
        approves at once and answers 302 to the app's redirect URI, or an error."""
        return self._answer("GET", authorize_url, headers={"accept": "application/json"})

    # -- Hosted Checkout webhooks --------------------------------------------------------

    def webhook_settings(self) -> dict[str, Any]:
        """Where this merchant's webhooks go now (``url`` None: nowhere), with the signing
        secret and retry settings (Clover's dashboard holds these)."""
        settings: dict[str, Any] = self._send(
            "GET", "webhooks", params={"merchant": self.merchant_id}
        )
        return settings

    def point_webhooks(
        self,
        url: str | None,
        *,
        secret: str | None = None,
        max_attempts: int | None = None,
        retry_base_ms: int | None = None,
    ) -> dict[str, Any]:
        """Send this merchant's webhooks to ``url`` (None: nowhere), signed with ``secret``
        (default: a new one); a failed delivery is retried after ``retry_base_ms`` (1000),
        then twice as long each time, ``max_attempts`` (6) in all. Returns the settings."""
        body: dict[str, Any] = {"merchant": self.merchant_id, "url": url}
        options = {"secret": secret, "max_attempts": max_attempts, "retry_base_ms": retry_base_ms}
        body.update({name: value for name, value in options.items() if value is not None})
        settings: dict[str, Any] = self._send("POST", "webhooks", json=body)
        return settings

    def webhook_attempts(self) -> list[dict[str, Any]]:
        """Every attempt to deliver this merchant's webhooks, oldest first."""
        params = {"merchant": self.merchant_id}
        rows: list[dict[str, Any]] = self._send("GET", "webhooks/deliveries", params=params)["data"]
        return rows

    def checkout_session_lifetime(self, seconds: int | None = None) -> int:
        """Seconds a new Hosted Checkout session lasts (900 on Clover); with no argument,
        read it. A reset of the sandbox restores 15 minutes."""
        if seconds is None:
            return int(self._send("GET", "checkout")["session_lifetime_s"])
        body = {"session_lifetime_s": seconds}
        return int(self._send("POST", "checkout", json=body)["session_lifetime_s"])

    # -- the clock -----------------------------------------------------------------------

    def read_clock(self) -> dict[str, Any]:
        """``now`` (what dates new objects), ``moved_ms`` and ``status`` of the clock."""
        reading: dict[str, Any] = self._send("GET", "clock")
        return reading

    def advance_clock(self, days: float = 0, hours: float = 0) -> int:
        """Move the sandbox clock forward; objects made next are dated later (Unix ms)."""
        advance = int(days * DAY_MS + hours * DAY_MS / 24)
        return int(self._send("POST", "clock", json={"advance_ms": advance})["now"])

    def move_clock(self, advance: str | None = None, to: str | None = None) -> dict[str, Any]:
        """Move the sandbox clock by an ISO-8601 duration (``advance="P1Y"``, ``"P3M"``,
        ``"P10D"``) or ``to`` a date (``"2027-01-05"``), running every subscription renewal
        and retry due on the way: ``now_iso`` and ``renewal_attempts``."""
        body = {"advance": advance} if to is None else {"to": to}
        moved: dict[str, Any] = self._send("POST", "clock", json=body)
        return moved

    # -- app webhooks --------------------------------------------------------------------

    def set_app_webhook_url(self, url: str | None, app_id: str | None = None) -> dict[str, Any]:
        """Set the app's webhook URL (App Settings > Webhooks on Clover): the sandbox POSTs
        ``{"verificationCode": ...}`` to it at once; the URL must answer 200."""
        body = {"app_id": app_id or self._app_id(), "url": url}
        settings: dict[str, Any] = self._send("POST", "app-webhooks", json=body)
        return settings

    def verify_app_webhook_url(self, code: str, app_id: str | None = None) -> str:
        """Send back the verification code the URL received; the app's auth code, which
        every message then carries in ``X-Clover-Auth``."""
        body = {"app_id": app_id or self._app_id(), "verification_code": code}
        return str(self._send("POST", "app-webhooks/verify", json=body)["authCode"])

    def trigger(self, event: str) -> dict[str, Any]:
        """Fire a named app webhook event for this merchant, made of real objects:
        payment.created, order.created, customer.created or subscription.created (which
        sends only its customer's CREATE: Clover sends no update for a subscription)."""
        body = {"event": event, "merchant": self.merchant_id}
        fired: dict[str, Any] = self._send("POST", "app-webhooks/trigger", json=body)
        return fired

    def app_webhook_attempts(self, app_id: str | None = None) -> list[dict[str, Any]]:
        """Every delivery attempt of the app's webhook messages, oldest first."""
        params = {"app_id": app_id or self._app_id()}
        rows: list[dict[str, Any]] = self._send("GET", "app-webhooks/deliveries", params=params)[
            "data"
        ]
        return rows

    def _app_id(self) -> str:
        merchants = self.merchants()
        return str(next(m["app_id"] for m in merchants if m["merchant_id"] == self.merchant_id))
