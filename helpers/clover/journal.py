"""A record of every request the client sent and every answer it got, secrets masked.

Seeing the exact exchange is the fastest way to learn an HTTP API, but a payment exchange
is full of things nobody may print: card numbers, CVVs, Bearer tokens, keys. The journal
masks them *when it records*, so nothing it holds, tabulates or turns into a ``curl``
command can leak them, whatever a notebook later does with it.
"""

from __future__ import annotations

import json
import re
import shlex
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from .cards import brand_of, luhn_valid, mask_last4, mask_pan

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

HIDDEN = "•••"


def _normal(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


_HIDE_KEYS = frozenset({"cvv", "cvc", "cvv2", "cvc2", "securitycode", "encryptedpan"})
_LAST4_KEYS = frozenset(
    {
        "accesstoken",
        "refreshtoken",
        "clientsecret",
        "codeverifier",
        "appsecret",
        "privatekey",
        "apiaccesskey",
        "apikey",
        "secret",
        "password",
    }
)
_PAN_KEYS = frozenset({"number", "cardnumber", "pan"})

_TOKEN_ID = re.compile(r"clv_[A-Za-z0-9]+")
_OAUTH_CODE = re.compile(r"(?<=[?&]code=)[^&#\s\"']+")
_DIGIT_RUN = re.compile(r"(?<!\d)\d{13,19}(?!\d)")
_NOISY_HEADERS = frozenset(
    {"host", "content-length", "accept", "accept-encoding", "connection", "user-agent"}
)


def _mask_token_id(match: re.Match[str]) -> str:
    return "clv_••••" + match.group(0)[-4:]


def _mask_digit_run(match: re.Match[str]) -> str:
    run = match.group(0)
    if brand_of(run) is not None and luhn_valid(run):
        return mask_pan(run)
    return run


def mask_text(text: str) -> str:
    """Mask ``clv_`` token ids, OAuth codes in URLs (``?code=``) and anything shaped like a
    real card number in free text."""
    text = _OAUTH_CODE.sub(lambda match: mask_last4(match.group(0)), text)
    return _DIGIT_RUN.sub(_mask_digit_run, _TOKEN_ID.sub(_mask_token_id, text))


def _mask_value(key: str | None, value: Any) -> Any:
    normal = _normal(key) if key else ""
    if normal in _HIDE_KEYS and value is not None:
        return HIDDEN
    if normal in _LAST4_KEYS and isinstance(value, str | int):
        return mask_last4(value)
    if normal in _PAN_KEYS and isinstance(value, str | int) and not isinstance(value, bool):
        return mask_pan(value)
    return mask_payload(value)


def mask_payload(value: Any) -> Any:
    """A copy of a JSON value with card data, tokens and secrets masked, at any depth.

    A Clover object (anything with ``to_dict``) is masked as its wire JSON."""
    if callable(getattr(value, "to_dict", None)):
        value = value.to_dict()
    if isinstance(value, Mapping):
        return {key: _mask_value(str(key), item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_payload(item) for item in value]
    if isinstance(value, str):
        return mask_text(value)
    return value


def _mask_request(body: Any) -> Any:
    """A request body, masked; there a top-level ``code`` is an OAuth authorization code
    (in answers, ``code`` is Clover's error code and stays readable)."""
    if isinstance(body, Mapping) and isinstance(body.get("code"), str):
        body = {**body, "code": mask_last4(body["code"])}
    return mask_payload(body)


def mask_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """Request or response headers with the Bearer token and the ``apikey`` masked."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    masked: dict[str, str] = {}
    for name, value in pairs:
        normal = _normal(name)
        if normal == "authorization":
            scheme, _, credential = value.partition(" ")
            if credential:
                masked[name] = f"{scheme} {mask_last4(credential.strip())}"
            else:
                masked[name] = mask_last4(value)
        elif normal in _LAST4_KEYS:
            masked[name] = mask_last4(value)
        else:
            masked[name] = mask_text(value)
    return masked


def mask_url(url: str) -> str:
    """A URL with secret query parameters and ``clv_`` token ids masked."""
    parts = urlsplit(url)
    if parts.query:
        segments = []
        for segment in parts.query.split("&"):
            raw_key, sep, raw_value = segment.partition("=")
            key = unquote_plus(raw_key)
            masked = _mask_value(key, unquote_plus(raw_value)) if sep else None
            if isinstance(masked, str) and masked != unquote_plus(raw_value):
                segment = f"{raw_key}={masked}"
            segments.append(segment)
        parts = parts._replace(query="&".join(segments))
    return mask_text(urlunsplit(parts))


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
            request_json=_mask_request(request_json),
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
