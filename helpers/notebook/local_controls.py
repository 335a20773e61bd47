"""The local sandbox's own controls, from a notebook: faults, rate limits, its request log,
its clock, the Hosted Checkout session lifetime, a reset to the seeded start. Clover has
nothing like them; they exist so that a notebook can show failures and time passing that
Clover's real sandbox cannot.
The webhook URL and its signing secret are set here too, where Clover has its dashboard.

They speak plain HTTP to the ``/_sandbox/`` paths of the sandbox a client points at, so the
client half of the kit still knows the sandbox only by its URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from ..clover.wire import cannot_connect, tls_context

if TYPE_CHECKING:
    import pandas as pd

    from ..clover.client import CloverClient

__all__ = ["LocalSandbox"]

DAY_MS = 24 * 3600 * 1000
WEBHOOK_COLUMNS = ["event", "event_status", "attempt", "response_status", "delivered", "error"]
REQUEST_COLUMNS = [
    "seq",
    "method",
    "path",
    "idempotency_key",
    "status",
    "replayed",
    "faults",
    "result",
]


class LocalSandbox:
    """The controls of the local sandbox that ``client`` talks to, for its merchant."""

    def __init__(self, client: CloverClient) -> None:
        if client.environment.name != "local":
            raise RuntimeError(
                f"faults, rate limits and the request log exist only in the local sandbox; "
                f"this client talks to Clover's {client.environment.name}"
            )
        self.url = client.environment.ecommerce_url
        self.merchant_id = client.merchant_id

    def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = httpx.request(
                method, f"{self.url}/_sandbox/{path}", timeout=10.0, verify=tls_context(), **kwargs
            )
        except httpx.ConnectError as exc:
            refused = cannot_connect(self.url, exc, local=True)
        else:
            if response.is_error:
                raise ValueError(response.json().get("error", {}).get("message", response.text))
            return response.json()
        raise refused  # raised outside the except, so no transport traceback hangs under it

    def reset(self, seed: int | None = None) -> None:
        """Put the local sandbox back to its seeded start, for every merchant: it empties the
        store and clears faults, rate limits, the request log, webhook settings and the OAuth
        and Hosted Checkout lifetimes. ``seed`` reseeds it; by default, its starting seed."""
        self._send("POST", "reset", json={"seed": seed} if seed is not None else None)

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
        """Every fault switched on, with how often it ``fired`` so far."""
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

    def requests(self, path: str | None = None, limit: int = 100) -> pd.DataFrame:
        """What the sandbox saw for this merchant, oldest first, masked, as a table."""
        import pandas as pd

        params: dict[str, Any] = {"merchant": self.merchant_id, "limit": limit}
        if path is not None:
            params["path"] = path
        data = self._send("GET", "requests", params=params)["data"]
        frame = pd.DataFrame(data, columns=REQUEST_COLUMNS)
        frame["faults"] = frame["faults"].map(lambda fired: ", ".join(fired))
        frame["status"] = frame["status"].astype("Int64")
        return frame

    def oauth_lifetimes(self, **seconds: int) -> dict[str, int]:
        """Seconds OAuth grants issued from now on live (``access_token``, ``refresh_token``,
        ``code``): a short access token shows a refresh without waiting. With no argument,
        read them; a reset of the sandbox restores them."""
        if seconds:
            return dict(self._send("POST", "oauth/lifetimes", json=seconds))
        return dict(self._send("GET", "oauth/lifetimes"))

    def set_webhook(
        self, url: str | None, *, max_attempts: int | None = None, retry_base_ms: int | None = None
    ) -> str:
        """Send this merchant's webhooks to ``url`` (None: nowhere), as Clover's dashboard
        does; returns the new signing secret. A failed delivery is retried after
        ``retry_base_ms`` (1000), then twice as long each time, ``max_attempts`` (6) in all."""
        body: dict[str, Any] = {"merchant": self.merchant_id, "url": url}
        for name, value in (("max_attempts", max_attempts), ("retry_base_ms", retry_base_ms)):
            if value is not None:
                body[name] = value
        return str(self._send("POST", "webhooks", json=body)["secret"])

    def webhook_deliveries(self) -> pd.DataFrame:
        """Every attempt to deliver this merchant's webhooks, oldest first, as a table."""
        import pandas as pd

        data = self._send("GET", "webhooks/deliveries", params={"merchant": self.merchant_id})
        frame = pd.DataFrame(data["data"], columns=WEBHOOK_COLUMNS)
        frame["response_status"] = frame["response_status"].astype("Int64")
        return frame

    def checkout_session_lifetime(self, seconds: int | None = None) -> int:
        """Seconds a new Hosted Checkout session lasts (900 on Clover); with no argument,
        read it. A reset of the sandbox restores 15 minutes."""
        if seconds is None:
            return int(self._send("GET", "checkout")["session_lifetime_s"])
        return int(
            self._send("POST", "checkout", json={"session_lifetime_s": seconds})[
                "session_lifetime_s"
            ]
        )

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

    def app_webhook_deliveries(self, app_id: str | None = None) -> pd.DataFrame:
        """Every delivery attempt of the app's webhook messages, oldest first."""
        import pandas as pd

        params = {"app_id": app_id or self._app_id()}
        rows = self._send("GET", "app-webhooks/deliveries", params=params)["data"]
        columns = ["attempt", "response_status", "delivered", "updates", "error"]
        return pd.DataFrame(rows, columns=columns)

    def _app_id(self) -> str:
        merchants = self._send("GET", "merchants")
        return str(next(m["app_id"] for m in merchants if m["merchant_id"] == self.merchant_id))
