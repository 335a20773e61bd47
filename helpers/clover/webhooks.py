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
import os
import threading
import time
from collections.abc import Callable, Iterator, MutableSet
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from .objects import CloverObject

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Delivery",
    "ReplayFile",
    "WebhookError",
    "WebhookEvent",
    "WebhookReceiver",
    "sign_webhook",
    "verify_webhook",
]

SIGNATURE_HEADER = "Clover-Signature"
DEFAULT_TOLERANCE_S = 300.0
MAX_BODY_BYTES = 64 * 1024
MAX_HEADER_CHARS = 4096  # a real header is ~80 characters; a few v1= values at most
MAX_TIMESTAMP_DIGITS = 12  # Unix seconds for the next 30,000 years
EVENT_MEMORY_S = 24 * 3600
BODY_TIMEOUT_S = 10.0  # Clover's sender gives up after 5 s (sandbox); a slow one is refused

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


def _parse(header: object) -> tuple[int, list[bytes]]:
    """The timestamp and the candidate signatures; anything odd is `malformed`, never a
    TypeError or ValueError: the header comes from whoever POSTed to the shop."""
    if isinstance(header, bytes):
        header = header.decode("ascii", "replace")
    if not header:
        raise WebhookError("malformed", f"no {SIGNATURE_HEADER} header")
    if not isinstance(header, str):
        raise WebhookError("malformed", f"{SIGNATURE_HEADER} must be text")
    if len(header) > MAX_HEADER_CHARS:
        raise WebhookError("malformed", f"{SIGNATURE_HEADER} is longer than {MAX_HEADER_CHARS}")
    timestamp: int | None = None
    signatures: list[bytes] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        value = value.strip()
        if not value.isascii():
            continue  # a digest is hex and a time is digits: nothing else can match
        if key == "t" and value.isdigit() and len(value) <= MAX_TIMESTAMP_DIGITS:
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value.encode())
    if timestamp is None or not signatures:
        raise WebhookError("malformed", f"{SIGNATURE_HEADER} must read t=UNIX_SECONDS,v1=HEX")
    return timestamp, signatures


def _raw(body: object) -> bytes:
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    if isinstance(body, str):
        try:
            return body.encode()
        except UnicodeEncodeError:
            raise WebhookError("malformed", "the body is not UTF-8 text") from None
    raise WebhookError("malformed", f"the body must be bytes, not {type(body).__name__}")


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
    raw = _raw(body)
    timestamp, signatures = _parse(header)
    expected = _digest(secret, timestamp, raw)
    if not any(hmac.compare_digest(expected.encode(), candidate) for candidate in signatures):
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
    except (ValueError, RecursionError):
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


class ReplayFile(MutableSet[str]):
    """A set of strings kept in a JSON-lines file as well as in memory, so that what a
    receiver accepted before a restart is still known after it (a replayed request, an
    event already handled). Entries older than ``keep_s`` are dropped when it is opened;
    several sets may share one file, each under its own ``name``.
    """

    def __init__(self, path: str | os.PathLike[str], name: str, keep_s: float) -> None:
        self.path, self.name = Path(path), name
        self._items: dict[str, float] = {}
        horizon = time.time() - keep_s
        kept: list[str] = []
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                    fresh = float(entry["at"]) >= horizon
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a crash: the rest still counts
                if fresh:
                    kept.append(line)
                    if entry.get("set") == name and isinstance(entry.get("value"), str):
                        self._items[entry["value"]] = float(entry["at"])
        self.path.parent.mkdir(parents=True, exist_ok=True)
        spare = self.path.with_name(self.path.name + ".tmp")
        spare.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
        os.replace(spare, self.path)  # pruned, whole or not at all

    def __contains__(self, value: object) -> bool:
        return value in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def add(self, value: str) -> None:
        """Remember ``value``, on disk before this returns (flushed and fsynced)."""
        if value in self._items:
            return
        now = time.time()
        line = json.dumps({"set": self.name, "value": value, "at": now}) + "\n"
        with self.path.open("a", encoding="utf-8") as file:
            file.write(line)
            file.flush()
            os.fsync(file.fileno())
        self._items[value] = now

    def discard(self, value: str) -> None:
        self._items.pop(value, None)  # forgotten here; the file drops it with age


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Each read, headers included, waits at most this long; _read bounds the whole body.
        self.connection.settimeout(self.server.receiver.body_timeout)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the notebook shows deliveries as a table instead."""

    def _answer(self, status: int, text: str) -> None:
        payload = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        if status >= 400 and status != 503:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(payload)

    def _length(self) -> int | tuple[int, str]:
        """The body's declared length, or the status and reason to refuse it with."""
        if self.headers.get("Transfer-Encoding") is not None:
            return 411, "send the body with a Content-Length, not chunked"
        values = self.headers.get_all("Content-Length") or []
        if not values:
            return 411, "Content-Length is required"
        if len(set(values)) > 1:
            return 400, "Content-Length was sent twice with different values"
        value = values[0].strip()
        if not (value.isascii() and value.isdigit()) or len(value) > 12:
            return 400, "Content-Length must be a number of bytes"
        if int(value) > self.server.receiver.max_body:
            return 413, f"the body is larger than {self.server.receiver.max_body} bytes"
        return int(value)

    def _read(self, length: int) -> bytes | None:
        """The body, or None if the sender took longer than the receiver's body timeout
        for the whole of it (one byte every few seconds would pass a per-read timeout)."""
        deadline = time.monotonic() + self.server.receiver.body_timeout
        chunks: list[bytes] = []
        left = length
        try:
            while left > 0:
                if time.monotonic() > deadline:
                    return None
                chunk = self.rfile.read1(min(left, 65536))
                if not chunk:
                    return None  # the sender hung up before the end of its body
                chunks.append(chunk)
                left -= len(chunk)
        except TimeoutError:
            return None
        return b"".join(chunks)

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0] != self.server.receiver.PATH:
            self._answer(404, "not found")
            return
        receiver = self.server.receiver
        length = self._length()
        if isinstance(length, tuple):
            status, reason = length
            receiver.refuse(status, reason, self.headers.get(receiver.HEADER))
            self._answer(status, reason)
            return
        body = self._read(length)
        if body is None:
            reason = f"the body did not arrive within {receiver.body_timeout:.0f} s"
            receiver.refuse(408, reason, self.headers.get(receiver.HEADER))
            self._answer(408, reason)
            return
        status, text = receiver.handle(body, self.headers.get(receiver.HEADER))
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
    HEADER = SIGNATURE_HEADER
    """The request header handed to :meth:`handle` with the body."""

    def __init__(
        self,
        secret: str | None = None,
        *,
        tolerance: float = DEFAULT_TOLERANCE_S,
        host: str = "127.0.0.1",
        port: int = 0,
        replay_file: str | os.PathLike[str] | None = None,
        max_body: int = MAX_BODY_BYTES,
        body_timeout: float = BODY_TIMEOUT_S,
    ) -> None:
        """``replay_file`` keeps what was accepted (signatures, event ids) on disk, so a
        restarted receiver still refuses a replay and still handles each event once;
        without it the memory lasts as long as the process. Bodies over ``max_body``
        bytes, or slower than ``body_timeout`` seconds in all, are refused unread."""
        self.secret = secret
        self.tolerance = tolerance
        self.max_body = max_body
        self.body_timeout = body_timeout
        self._lock = threading.Condition()
        self._deliveries: list[Delivery] = []
        self._seen: MutableSet[str] = set()
        self._handled: MutableSet[str] = set()
        if replay_file is not None:
            # A signature is only worth refusing while it is not stale; event ids are kept
            # a day, longer than Clover retries one (a local choice: the docs are silent).
            self._seen = ReplayFile(replay_file, "signature", 2 * tolerance + 60)
            self._handled = ReplayFile(replay_file, "event", EVENT_MEMORY_S)
        self._failures = 0
        self._server = _Server(self, host, port)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.PATH}"

    def start(self) -> WebhookReceiver:
        if self._thread is None:
            # a short poll interval: stop() returns in 50 ms, not serve_forever's 0.5 s
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                daemon=True,
                name="webhook-receiver",
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

    def refuse(self, status: int, reason: str, signature: str | None) -> None:
        """Record a POST refused before its body was read (length, size or time)."""
        with self._lock:
            self._note(status, False, f"refused: {reason}", b"", signature)

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
