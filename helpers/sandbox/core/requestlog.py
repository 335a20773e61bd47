"""What the sandbox saw: every API request and its answer, masked, for `GET /_sandbox/requests`.

A client's own journal shows what it sent; this log shows what arrived, which is not the
same thing once connections drop and retries happen. Card numbers, CVVs, tokens and keys
are masked when a request is recorded, so the log can be shown in a notebook.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from helpers.masking import mask_last4, mask_request, mask_text

MAX_ENTRIES = 5000


def _credential(request: Request) -> str | None:
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    if secret.strip():
        return f"{scheme} {mask_last4(secret.strip())}"
    apikey = request.headers.get("apikey", "").strip()
    return f"apikey {mask_last4(apikey)}" if apikey else None


@dataclass
class Seen:
    """One request as it arrived, and what the sandbox answered."""

    seq: int
    time: float
    method: str
    path: str
    credential: str | None
    idempotency_key: str | None
    merchant: str | None = None
    body: Any = None
    status: int | None = None
    replayed: bool = False
    faults: list[str] = field(default_factory=list)
    result: str | None = None

    def public(self) -> dict[str, Any]:
        when = datetime.fromtimestamp(self.time, UTC).isoformat(timespec="milliseconds")
        return {
            "seq": self.seq,
            "time": when,
            "merchant": self.merchant,
            "method": self.method,
            "path": self.path,
            "credential": self.credential,
            "idempotency_key": self.idempotency_key,
            "body": self.body,
            "status": self.status,
            "replayed": self.replayed,
            "faults": self.faults,
            "result": self.result,
        }


def _parsed(response: Response) -> Any:
    """The answer's JSON: the payload it was rendered from when it kept it (core/http.py's
    answers do), so that no answer is parsed back; else its bytes, parsed."""
    payload = getattr(response, "payload", _NONE)
    if payload is not _NONE:
        return payload
    try:
        return json.loads(bytes(response.body))
    except (ValueError, AttributeError):
        return None


_NONE = object()


def _result(body: Any) -> str | None:
    """The object id, the list size or the error code: a few words on the answer."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("code") or error.get("type"))
    if body.get("object") == "list":
        return f"list of {len(body.get('data') or [])}"
    if "id" in body:
        return str(mask_text(str(body["id"])))
    return str(body.get("message")) if "message" in body else None


class RequestLog:
    """The last `MAX_ENTRIES` requests to the API, oldest first."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._entries: deque[Seen] = deque(maxlen=MAX_ENTRIES)
        self._seq = itertools.count(1)

    def start(self, request: Request) -> Seen:
        seen = Seen(
            seq=next(self._seq),
            time=time.time(),
            method=request.method,
            path=request.scope["path"],
            credential=_credential(request),
            idempotency_key=request.headers.get("idempotency-key"),
        )
        self._entries.append(seen)
        return seen

    def finish(self, seen: Seen, response: Response, body: Any) -> None:
        """Masks now, so that nothing secret is kept, not even in memory."""
        seen.body = mask_request(body) if body else None
        seen.status = response.status_code
        seen.result = (
            "connection dropped"
            if any(" drop" in f for f in seen.faults)
            else _result(_parsed(response))
        )

    def page(self, merchant: str | None, path: str | None, limit: int) -> list[dict[str, Any]]:
        chosen = [
            s
            for s in self._entries
            if (merchant is None or s.merchant == merchant) and (path is None or s.path == path)
        ]
        return [s.public() for s in chosen[-limit:]]
