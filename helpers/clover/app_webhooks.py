"""Clover's app webhooks: verify ``X-Clover-Auth``, read the updates, handle each once
(docs: webhooks).

When merchants who installed your app change things, Clover POSTs a message to your
app's webhook URL: ``{"appId", "merchants": {merchantId: [{"objectId": "P:ID", "type":
"CREATE", "ts": ms}]}}``. The prefix of ``objectId`` says what changed (``P:`` a payment,
``O:`` an order, ``C:`` a customer; a recurring subscription has no key of its own:
its renewals arrive as payments); you then fetch the object itself from the API. Every
message carries your app's **auth code** in ``X-Clover-Auth``: :func:`verify_app_webhook`
compares it in constant time. The one message without it is the first,
``{"verificationCode": ...}``, which proves you own the URL. Clover does not guarantee
delivery, and a retried message repeats its updates, so :class:`AppWebhookReceiver`
handles each update once.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .objects import CloverObject
from .webhooks import Delivery, WebhookError, WebhookReceiver

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AUTH_HEADER",
    "AppWebhookMessage",
    "AppWebhookReceiver",
    "Update",
    "verify_app_webhook",
]

AUTH_HEADER = "X-Clover-Auth"
KINDS = {"P": "payment", "O": "order", "C": "customer"}
"""The keys the local sandbox sends, of those https://docs.clover.com/docs/webhooks
lists; any other key is read as it is (``kind`` "I" for ``I:ID``)."""


@dataclass(frozen=True)
class Update:
    """One change a message reports: whose, what (``kind`` and ``id``), how, when."""

    merchant_id: str
    kind: str
    id: str
    type: str
    ts: int

    @property
    def object_id(self) -> str:
        """As Clover writes it: ``P:ID``."""
        prefix = next((k for k, v in KINDS.items() if v == self.kind), self.kind)
        return f"{prefix}:{self.id}"


class AppWebhookMessage(CloverObject):
    """A verified message: ``appId`` and ``merchants``, or the first one's
    ``verificationCode``."""

    @property
    def verification_code(self) -> str | None:
        code = self.get("verificationCode")
        return None if code is None else str(code)

    def updates(self) -> list[Update]:
        """Every update in the message, merchant by merchant, in the order sent."""
        found = []
        merchants: dict[str, list[dict[str, Any]]] = self.to_dict().get("merchants") or {}
        for merchant_id, entries in merchants.items():
            for entry in entries:
                prefix, _, object_id = str(entry["objectId"]).partition(":")
                kind = KINDS.get(prefix, prefix)
                found.append(Update(merchant_id, kind, object_id, entry["type"], entry["ts"]))
        return found


def _parse(body: bytes | str) -> dict[str, Any]:
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):
        raise WebhookError("malformed", "the body is not JSON") from None
    if not isinstance(message, dict):
        raise WebhookError("malformed", "the body is not a JSON object")
    return message


def _well_formed(message: Mapping[str, Any]) -> None:
    merchants = message.get("merchants")
    if not isinstance(merchants, dict) or not isinstance(message.get("appId"), str):
        raise WebhookError("malformed", "a message has appId and a merchants map")
    for entries in merchants.values():
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and {"objectId", "type", "ts"} <= set(e) for e in entries
        ):
            raise WebhookError("malformed", "each update has objectId, type and ts")


def verify_app_webhook(
    body: bytes | str, auth_header: str | None, auth_code: str | None
) -> AppWebhookMessage:
    """The message in ``body`` if ``auth_header`` (the request's ``X-Clover-Auth``) is
    your app's auth code; else raise :class:`WebhookError`. The verification message
    (``{"verificationCode": ...}``, sent before you have an auth code) passes without one.
    """
    message = _parse(body)
    if set(message) == {"verificationCode"} and isinstance(message["verificationCode"], str):
        return AppWebhookMessage(message)
    if not auth_code:
        raise WebhookError("bad_signature", "no auth code set: verify the URL first")
    given = (auth_header or "").encode()
    if not hmac.compare_digest(given, auth_code.encode()):
        raise WebhookError("bad_signature", f"{AUTH_HEADER} is missing or not your app's code")
    _well_formed(message)
    return AppWebhookMessage(message)


class AppWebhookReceiver(WebhookReceiver):
    """Your app's webhook URL, on loopback: answers the verification message (and keeps
    its ``verification_code``), verifies ``X-Clover-Auth`` on every other message, and
    handles each update once (a retry's updates are acknowledged, not handled again).
    ``auth_code`` is set after the URL is verified."""

    PATH = "/webhooks/clover-app"
    HEADER = AUTH_HEADER

    def __init__(self, auth_code: str | None = None, **options: Any) -> None:
        super().__init__(auth_code, **options)
        self.verification_code: str | None = None
        self._updates: list[Update] = []
        self._keys: set[tuple[str, str, str, int]] = set()

    @property
    def auth_code(self) -> str | None:
        return self.secret

    @auth_code.setter
    def auth_code(self, value: str | None) -> None:
        self.secret = value

    def handle(self, body: bytes, signature: str | None) -> tuple[int, str]:
        with self._lock:
            if self._failures > 0:
                self._failures -= 1
                return self._note(503, False, "answered 503 on purpose (app down)", body, signature)
            try:
                message = verify_app_webhook(body, signature, self.secret)
            except WebhookError as error:
                return self._note(
                    400, False, f"rejected ({error.reason}): {error}", body, signature
                )
            if message.verification_code is not None:
                self.verification_code = message.verification_code
                return self._note(200, True, "verification code received", body, signature)
            fresh = []
            for update in message.updates():
                key = (update.merchant_id, update.object_id, update.type, update.ts)
                if key not in self._keys:
                    self._keys.add(key)
                    fresh.append(update)
            self._updates.extend(fresh)
            duplicate = not fresh
            reason = "verified; updates already handled" if duplicate else "verified"
            return self._note(200, True, reason, body, signature, None, duplicate)

    @property
    def updates(self) -> list[Update]:
        """Every update handled, each once, oldest first."""
        with self._lock:
            return list(self._updates)

    def wait_for_updates(self, count: int = 1, timeout: float = 15.0) -> list[Update]:
        """Block until ``count`` updates were handled; raises TimeoutError after ``timeout``."""
        self.wait_for(lambda r: len(self.updates) >= count, timeout)
        return self.updates

    def table(self) -> pd.DataFrame:
        """The POSTs received: what each answered, and the updates it carried."""
        import pandas as pd

        def carried(d: Delivery) -> str:
            if not d.accepted:
                return ""
            try:
                message = AppWebhookMessage(json.loads(d.body))
            except ValueError:
                return ""
            if message.verification_code:
                return "verificationCode"
            return ", ".join(f"{u.type} {u.object_id}" for u in message.updates())

        rows = [
            {
                "answered": d.answered,
                "accepted": d.accepted,
                "duplicate": d.duplicate,
                "updates": carried(d),
                "reason": d.reason,
            }
            for d in self.deliveries
        ]
        columns = ["answered", "accepted", "duplicate", "updates", "reason"]
        return pd.DataFrame(rows, columns=columns)
