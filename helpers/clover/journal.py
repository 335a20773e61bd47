"""A record of every request the client sent and every answer it got, secrets masked.

Seeing the exact exchange is the fastest way to learn an HTTP API, but a payment exchange
is full of things nobody may print: card numbers, CVVs, Bearer tokens, keys. The journal
masks them *when it records*, so nothing it holds, tabulates or turns into a ``curl``
command can leak them, whatever a notebook later does with it.
"""

from __future__ import annotations

import json
import shlex
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..masking import (
    mask_headers,
    mask_payload,
    mask_request,
    mask_text,
    mask_url,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Journal",
    "JournalEntry",
    "mask_headers",
    "mask_payload",
    "mask_text",
    "mask_url",
]

_NOISY_HEADERS = frozenset(
    {"host", "content-length", "accept", "accept-encoding", "connection", "user-agent"}
)


@dataclass(frozen=True)
class JournalEntry:
    """One request and its answer (or the failure that replaced the answer), masked."""

    time: datetime
    method: str
    url: str
    request_headers: dict[str, str]
    request_json: Any
    status: int | None
    response_json: Any
    duration_ms: float
    idempotency_key: str | None = None
    replayed: bool = False
    error: str | None = None
    response_headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True for a 2xx answer."""
        return self.status is not None and 200 <= self.status < 300

    @property
    def host(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def result(self) -> str:
        """A few words on the answer: the object id, the list size or the error code."""
        if self.error:
            return self.error
        body = self.response_json
        if isinstance(body, Mapping):
            error = body.get("error")
            if isinstance(error, Mapping):
                return str(error.get("code") or error.get("type") or body.get("message"))
            if body.get("object") == "list" and isinstance(body.get("data"), list):
                return f"list of {len(body['data'])}"
            if "id" in body:
                return str(body["id"])
            if "apiAccessKey" in body:
                return f"apiAccessKey {body['apiAccessKey']}"
            if "message" in body:
                return str(body["message"])
        if isinstance(body, str):
            return body[:60]
        return ""

    def curl(self) -> str:
        """The same request as a ``curl`` command; masked values stay masked (safe to print)."""
        lines = [f"curl -X {self.method} {shlex.quote(self.url)}"]
        for name, value in self.request_headers.items():
            if name.lower() in _NOISY_HEADERS:
                continue
            lines.append(f"-H {shlex.quote(f'{name}: {value}')}")
        if self.request_json is not None:
            body = json.dumps(self.request_json, ensure_ascii=False)
            lines.append(f"-d {shlex.quote(body)}")
        return " \\\n  ".join(lines)


class Journal:
    """Every exchange of one or more clients, newest last; keeps ``max_entries`` at most."""

    def __init__(self, max_entries: int = 1000) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=max_entries)
        self._lock = threading.Lock()

    def record(
        self,
        *,
        method: str,
        url: str,
        request_headers: Mapping[str, str] | Iterable[tuple[str, str]],
        request_json: Any = None,
        status: int | None = None,
        response_json: Any = None,
        duration_ms: float = 0.0,
        response_headers: Mapping[str, str] | None = None,
        error: str | None = None,
        time: datetime | None = None,
    ) -> JournalEntry:
        """Mask and store one exchange; returns the stored (masked) entry."""
        headers = mask_headers(request_headers)
        answer_headers = {key.lower(): value for key, value in (response_headers or {}).items()}
        idempotency_key = next(
            (value for name, value in headers.items() if name.lower() == "idempotency-key"),
            None,
        )
        entry = JournalEntry(
            time=time or datetime.now(UTC),
            method=method.upper(),
            url=mask_url(url),
            request_headers=headers,
            request_json=mask_request(request_json),
            status=status,
            response_json=mask_payload(response_json),
            duration_ms=round(duration_ms, 1),
            idempotency_key=idempotency_key,
            replayed=answer_headers.get("idempotent-replayed", "").lower() == "true",
            error=mask_text(error) if error else None,
            response_headers=mask_headers(answer_headers),
        )
        with self._lock:
            self._entries.append(entry)
        return entry

    @property
    def entries(self) -> list[JournalEntry]:
        with self._lock:
            return list(self._entries)

    @property
    def last(self) -> JournalEntry | None:
        """The most recent exchange, or None before the first one."""
        with self._lock:
            return self._entries[-1] if self._entries else None

    def clear(self) -> None:
        """Forget every recorded exchange."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self.entries)

    def __getitem__(self, index: int) -> JournalEntry:
        return self.entries[index]

    def to_frame(self, bodies: bool = False) -> pd.DataFrame:
        """One row per exchange; ``bodies=True`` adds the (masked) request and response JSON."""
        import pandas as pd

        columns = [
            "time",
            "method",
            "host",
            "path",
            "status",
            "duration_ms",
            "idempotency_key",
            "replayed",
            "result",
        ]
        if bodies:
            columns += ["request", "response"]
        rows = []
        for entry in self.entries:
            row: dict[str, Any] = {
                "time": entry.time,
                "method": entry.method,
                "host": entry.host,
                "path": entry.path,
                "status": entry.status,
                "duration_ms": entry.duration_ms,
                "idempotency_key": entry.idempotency_key,
                "replayed": entry.replayed,
                "result": entry.result,
            }
            if bodies:
                row["request"] = entry.request_json
                row["response"] = entry.response_json
            rows.append(row)
        frame = pd.DataFrame(rows, columns=columns)
        frame["status"] = frame["status"].astype("Int64")
        return frame

    def __repr__(self) -> str:
        return f"Journal({len(self)} exchanges)"

    def _repr_html_(self) -> str:
        html: str = self.to_frame()._repr_html_()
        return html
