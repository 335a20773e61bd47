"""Faults Clover's real sandbox cannot show you, switched on through the control API.

Local only. A fault belongs to one merchant and, optionally, one path and one method. It
fires on the next `count` matching requests, or on each with a seeded `probability`:

- `status`: answer 500, 502 or 503 *after* the work was done and committed;
- `drop`: close the connection *after* the work was committed, the answer half sent;
- `latency`: hold the answer back `latency_ms` *after* the work was committed;
- `rate_limit`: answer 429 with `Retry-After` *before* doing anything.

The first three are the ambiguous failures a payment client must survive: the charge
exists, but the client cannot know it. The last one is the failure that is safe to retry.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import (
    ApiError,
    bad_seed,
    injected_error,
    injected_rate_limit,
    invalid_request,
)

KINDS = ("status", "drop", "latency", "rate_limit")
AFTER_WORK = ("latency", "status", "drop")
STATUSES = (500, 502, 503)
METHODS = ("GET", "POST", "PUT", "DELETE")
FIELDS = (
    "merchant",
    "kind",
    "path",
    "method",
    "status",
    "latency_ms",
    "retry_after",
    "count",
    "probability",
    "seed",
)
ONLY_FOR = {"status": "status", "latency_ms": "latency", "retry_after": "rate_limit"}
MAX_LATENCY_MS = 30_000


@dataclass
class Fault:
    """One switched-on fault; `remaining` is None when only `probability` limits it."""

    id: str
    merchant: str
    kind: str
    path: str | None
    method: str | None
    status: int | None
    latency_ms: int | None
    retry_after: int | None
    remaining: int | None
    probability: float
    seed: int
    fired: int = 0
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(f"{self.seed}:{self.id}")

    def matches(self, merchant: str, method: str, path: str) -> bool:
        return (
            self.merchant == merchant
            and self.path in (None, path)
            and self.method in (None, method)
        )

    def fires(self) -> bool:
        """Draw for one matching request; counts it when the fault fires."""
        if self.remaining == 0:
            return False
        if self.probability < 1 and self._random.random() >= self.probability:
            return False
        self.fired += 1
        if self.remaining is not None:
            self.remaining -= 1
        return True

    def label(self) -> str:
        detail = {
            "status": self.status,
            "latency": f"{self.latency_ms} ms",
            "rate_limit": f"429, Retry-After {self.retry_after}",
        }.get(self.kind)
        return f"{self.id} {self.kind}" + (f" ({detail})" if detail else "")

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "fault",
            "merchant": self.merchant,
            "kind": self.kind,
            "path": self.path,
            "method": self.method,
            "status": self.status,
            "latency_ms": self.latency_ms,
            "retry_after": self.retry_after,
            "remaining": self.remaining,
            "probability": self.probability,
            "seed": self.seed,
            "fired": self.fired,
        }


class DroppedConnection(Exception):
    """Raised once an answer has started, so that the server closes the connection."""


class DroppedResponse(Response):
    """Sends the status line and headers of the real answer, then drops the connection.

    The server turns the exception into a closed connection; the client sees the answer
    start and never end, which is how a dropped connection looks from the outside.
    """

    def __init__(self, answer: Response) -> None:
        super().__init__(answer.body, answer.status_code, media_type=answer.media_type)
        self.raw_headers = list(answer.raw_headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        raise DroppedConnection("connection dropped by a fault injected in the local sandbox")


def _not_a_drop(record: logging.LogRecord) -> bool:
    return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


def quiet_dropped_connections() -> None:
    """A dropped connection is a wanted fault, not a server error: keep it out of the logs."""
    logger = logging.getLogger("uvicorn.error")
    if _not_a_drop not in logger.filters:
        logger.addFilter(_not_a_drop)


class Faults:
    """The faults switched on in one sandbox, in the order they were added."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._faults: list[Fault] = []
        self._next = 1

    def __iter__(self) -> Any:
        return iter(list(self._faults))

    def remove(self, merchant: str | None = None) -> int:
        """Switch off every fault, or those of one merchant; returns how many."""
        kept = [f for f in self._faults if merchant is not None and f.merchant != merchant]
        removed = len(self._faults) - len(kept)
        self._faults = kept
        return removed

    def add(self, body: Mapping[str, Any], merchants: Mapping[str, Any], seed: int) -> Fault:
        """Validate a control-API body and switch the fault on."""
        fields.reject_unknown(body, FIELDS)
        merchant = fields.string(body, "merchant", required=True, max_length=13)
        assert merchant is not None
        if merchant not in merchants:
            raise invalid_request(
                f"merchant {merchant!r} is not a merchant of this sandbox; "
                f"use one of {', '.join(merchants)}.",
                param="merchant",
            )
        kind = fields.string(body, "kind", required=True, choices=KINDS)
        for name, owner in ONLY_FOR.items():
            if body.get(name) is not None and kind != owner:
                raise invalid_request(
                    f"{name} applies only to kind {owner!r}, not {kind!r}.", param=name
                )
        path = fields.string(body, "path", max_length=200)
        if path is not None and not path.startswith("/"):
            raise invalid_request(
                f"path must start with '/', as in '/v1/charges'; got {path!r}.", param="path"
            )
        method = fields.string(body, "method", choices=METHODS)
        status = body.get("status", 503) if kind == "status" else None
        if kind == "status" and (type(status) is not int or status not in STATUSES):
            raise invalid_request(
                f"status must be one of {', '.join(map(str, STATUSES))}; got {status!r}.",
                param="status",
            )
        latency_ms = fields.integer(
            body,
            "latency_ms",
            minimum=1,
            maximum=MAX_LATENCY_MS,
            required=kind == "latency",
            unit="milliseconds",
        )
        retry_after = fields.integer(body, "retry_after", maximum=3600, unit="seconds")
        if kind == "rate_limit" and retry_after is None:
            retry_after = 1
        probability = _probability(body)
        count = fields.integer(body, "count", minimum=1, unit="requests")
        if count is None and probability is None:
            count = 1
        fault = Fault(
            id=f"F{self._next}",
            merchant=merchant,
            kind=str(kind),
            path=path,
            method=method,
            status=status,
            latency_ms=latency_ms,
            retry_after=retry_after,
            remaining=count,
            probability=1.0 if probability is None else probability,
            seed=_seed(body, seed),
        )
        self._next += 1
        self._faults.append(fault)
        return fault

    def _firing(self, kinds: tuple[str, ...], merchant: str, method: str, path: str) -> list[Fault]:
        return [
            f
            for f in self._faults
            if f.kind in kinds and f.matches(merchant, method, path) and f.fires()
        ]

    def before_work(self, merchant: str, method: str, path: str, fired: list[str]) -> None:
        """Raise the 429 of a `rate_limit` fault that fires: nothing has been done yet."""
        for fault in self._firing(("rate_limit",), merchant, method, path):
            fired.append(fault.label())
            assert fault.retry_after is not None
            raise injected_rate_limit(fault.retry_after)

    async def after_work(
        self, merchant: str, method: str, path: str, answer: Response, fired: list[str]
    ) -> Response:
        """The answer once the work is committed: delayed, replaced by a 5xx, or dropped."""
        firing = self._firing(AFTER_WORK, merchant, method, path)
        fired.extend(f.label() for f in firing)
        delay = sum(f.latency_ms or 0 for f in firing if f.kind == "latency")
        if delay:
            await asyncio.sleep(delay / 1000)
        for fault in firing:
            if fault.kind == "status":
                assert fault.status is not None
                error = injected_error(fault.status)
                return Response(_envelope(error), error.status, media_type="application/json")
            if fault.kind == "drop":
                return DroppedResponse(answer)
        return answer


def _probability(body: Mapping[str, Any]) -> float | None:
    value = body.get("probability")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise invalid_request(
            f"probability must be a number above 0 and at most 1, such as 0.2; got {value!r}.",
            param="probability",
        )
    return float(value)


def _seed(body: Mapping[str, Any], default: int) -> int:
    value = body.get("seed", default)
    if type(value) is not int or value < 0:
        raise bad_seed(value)
    return value


def _envelope(error: ApiError) -> bytes:
    return json.dumps(error.body(), separators=(",", ":")).encode()
