"""Receiving Clover's webhooks safely: verify the signature, refuse stale and replayed ones.

Clover signs each webhook in the header ``Clover-Signature: t=UNIX_SECONDS,v1=HEX``, where
HEX is the HMAC-SHA256 of ``"{t}.{raw body}"`` under your signing secret. Anyone can POST
to your webhook URL, so a shop trusts a webhook only if :func:`verify_webhook` accepts it:
the signature matches (compared in constant time), the timestamp is recent (an old request
replayed later fails), and, with ``seen``, the same signed request is not accepted twice.

:class:`WebhookReceiver` is a tiny web server on loopback that plays your shop's webhook
endpoint in a notebook, so you can watch deliveries arrive, fail and be retried.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, MutableSet
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from .objects import CloverObject

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Delivery",
    "WebhookError",
    "WebhookEvent",
    "WebhookReceiver",
    "sign_webhook",
    "verify_webhook",
]

SIGNATURE_HEADER = "Clover-Signature"
DEFAULT_TOLERANCE_S = 300.0
MAX_BODY_BYTES = 64 * 1024

Reason = Literal["malformed", "bad_signature", "stale", "replayed"]


class WebhookError(ValueError):
    """A webhook that must not be trusted; ``reason`` says why."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class WebhookEvent(CloverObject):
    """A verified webhook: ``type``, ``status``, ``id``, ``merchantId``, ``data`` (the
    checkout session id), ``message`` and ``created``."""


def _digest(secret: str, timestamp: int | str, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign_webhook(body: bytes | str, secret: str, timestamp: int | None = None) -> str:
    """The ``Clover-Signature`` value Clover sends with ``body``: for tests and for
    showing what a forger would need (the secret)."""
    raw = body.encode() if isinstance(body, str) else body
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={_digest(secret, t, raw)}"


def _parse(header: str | None) -> tuple[int, list[str]]:
    if not header:
        raise WebhookError("malformed", f"no {SIGNATURE_HEADER} header")
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise WebhookError("malformed", f"{SIGNATURE_HEADER} must read t=UNIX_SECONDS,v1=HEX")
    return timestamp, signatures


def verify_webhook(
    body: bytes | str,
    header: str | None,
    secret: str,
    tolerance: float = DEFAULT_TOLERANCE_S,
    *,
    now: float | None = None,
    seen: MutableSet[str] | None = None,
) -> WebhookEvent:
    """The event in ``body`` if ``header`` proves Clover sent it, recently; else raise
    :class:`WebhookError`. Verify the **raw** body exactly as received, before parsing it.

    ``tolerance`` is how many seconds the signature's time may be from ``now``; ``seen``
    (any set, kept between calls) remembers accepted signatures so a copy is refused.
    """
    raw = body.encode() if isinstance(body, str) else body
    timestamp, signatures = _parse(header)
    expected = _digest(secret, timestamp, raw)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise WebhookError(
            "bad_signature",
            "the signature does not match: wrong secret, or the body was changed on the way",
        )
    age = (time.time() if now is None else now) - timestamp
    if abs(age) > tolerance:
        raise WebhookError(
            "stale",
            f"signed {age:.0f} s ago, more than the {tolerance:.0f} s "
            "allowed: an old request sent again",
        )
    if seen is not None:
        if expected in seen:
            raise WebhookError("replayed", "this very signed request was already accepted")
        seen.add(expected)
    try:
        event = json.loads(raw)
    except ValueError:
        raise WebhookError("malformed", "the body is not JSON") from None
    if not isinstance(event, dict):
        raise WebhookError("malformed", "the body is not a JSON object")
    return WebhookEvent(event)


# -- a receiver for notebooks -------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """One POST that reached the receiver, and what it answered."""

    received_at: datetime
    answered: int
    accepted: bool
    reason: str
    event: WebhookEvent | None = None
    duplicate: bool = False
    body: bytes = field(default=b"", repr=False)
    signature: str | None = field(default=None, repr=False)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the notebook shows deliveries as a table instead."""

    def _answer(self, status: int, text: str) -> None:
        payload = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0] != WebhookReceiver.PATH:
            self._answer(404, "not found")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._answer(413, "too large")
            return
        body = self.rfile.read(length)
        status, text = self.server.receiver.handle(body, self.headers.get(SIGNATURE_HEADER))
        self._answer(status, text)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, receiver: WebhookReceiver, host: str, port: int) -> None:
        super().__init__((host, port), _Handler)
        self.receiver = receiver


class WebhookReceiver:
    """Your shop's webhook endpoint, on loopback: verifies each POST, answers 200 to good
    ones (once per event id: a retry of a handled event is acknowledged, not handled again)
    and 400 to forged, stale or replayed ones. ``fail_next(n)`` makes it answer 503, as a
    shop that is down would, so Clover's retries can be watched.
    """

    PATH = "/webhooks/clover"

    def __init__(
        self,
        secret: str | None = None,
        *,
        tolerance: float = DEFAULT_TOLERANCE_S,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.secret = secret
        self.tolerance = tolerance
        self._lock = threading.Condition()
        self._deliveries: list[Delivery] = []
        self._seen: set[str] = set()
        self._handled: set[str] = set()
        self._failures = 0
        self._server = _Server(self, host, port)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.PATH}"

    def start(self) -> WebhookReceiver:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, daemon=True, name="webhook-receiver"
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def fail_next(self, count: int = 1) -> None:
        """Answer the next ``count`` deliveries with 503, without looking at them."""
        with self._lock:
            self._failures = count

    def handle(self, body: bytes, signature: str | None) -> tuple[int, str]:
        """Decide on one POST: the status to answer and a word of explanation."""
        with self._lock:
            if self._failures > 0:
                self._failures -= 1
                return self._note(
                    503, False, "answered 503 on purpose (shop down)", body, signature
                )
            if not self.secret:
                return self._note(
                    500, False, "no signing secret set on the receiver", body, signature
                )
            try:
                event = verify_webhook(
                    body, signature, self.secret, self.tolerance, seen=self._seen
                )
            except WebhookError as error:
                return self._note(
                    400, False, f"rejected ({error.reason}): {error}", body, signature
                )
            duplicate = str(event.get("id")) in self._handled
            self._handled.add(str(event.get("id")))
            reason = "verified; event already handled" if duplicate else "verified"
            return self._note(200, True, reason, body, signature, event, duplicate)

    def _note(
        self,
        status: int,
        accepted: bool,
        reason: str,
        body: bytes,
        signature: str | None,
        event: WebhookEvent | None = None,
        duplicate: bool = False,
    ) -> tuple[int, str]:
        self._deliveries.append(
            Delivery(datetime.now(UTC), status, accepted, reason, event, duplicate, body, signature)
        )
        self._lock.notify_all()
        return status, reason

    @property
    def deliveries(self) -> list[Delivery]:
        """Every POST received, oldest first."""
        with self._lock:
            return list(self._deliveries)

    @property
    def events(self) -> list[WebhookEvent]:
        """The verified events, each once, oldest first."""
        return [
            d.event
            for d in self.deliveries
            if d.accepted and not d.duplicate and d.event is not None
        ]

    def wait_for(
        self, condition: Callable[[WebhookReceiver], bool] | int = 1, timeout: float = 15.0
    ) -> list[WebhookEvent]:
        """Block until ``condition(self)`` holds (or, given a number, until that many events
        were verified); the events. Raises TimeoutError after ``timeout`` seconds."""
        test = (lambda r: len(r.events) >= condition) if isinstance(condition, int) else condition
        deadline = time.monotonic() + timeout
        with self._lock:  # a re-entrant lock: the condition may read the receiver
            while not test(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"no webhook arrived within {timeout:.0f} s: is the "
                        "webhook URL set, and the receiver started?"
                    )
                self._lock.wait(left)
            return self.events

    def table(self) -> pd.DataFrame:
        """The deliveries as a DataFrame: what arrived, and what the receiver answered."""
        import pandas as pd

        rows = [
            {
                "answered": d.answered,
                "accepted": d.accepted,
                "event": d.event.get("id") if d.event else None,
                "status": d.event.get("status") if d.event else None,
                "reason": d.reason,
            }
            for d in self.deliveries
        ]
        return pd.DataFrame(rows, columns=["answered", "accepted", "event", "status", "reason"])
