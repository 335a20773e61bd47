"""Clover's documented rate limits, enforced only when a notebook or test switches them on.

Clover limits each access token to 16 new requests a second and 5 in progress at once, and
each app (all of its tokens together) to 50 a second and 10 at once (docs:
api-usage-rate-limits). Past a limit it answers 429 with a header named after the limit
(`X-RateLimit-tokenLimit: 16` and its three siblings) and `retry-after` in seconds. The
local sandbox counts a request from when it is admitted to when its answer is ready.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import rate_limited

DOCUMENTED = {
    "tokenLimit": 16,
    "tokenConcurrentLimit": 5,
    "crossTokenLimit": 50,
    "crossTokenConcurrentLimit": 10,
}
WINDOW_S = 1.0
_ADMITTED = nullcontext()  # reusable: it keeps no state


class RateLimits:
    """Counts requests per token and per app; off until `configure(enforce=True)`."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.enforced = False
        self.limits = dict(DOCUMENTED)
        self._recent: dict[str, deque[float]] = {}
        self._in_flight: dict[str, int] = {}

    def configure(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """`{"enforce": true}` turns on the documented limits; a limit may be lowered."""
        fields.reject_unknown(body, ("enforce", *DOCUMENTED))
        enforce = fields.boolean(body, "enforce", True)
        limits = dict(DOCUMENTED)
        for name, documented in DOCUMENTED.items():
            value = fields.integer(body, name, minimum=1, maximum=documented, unit="requests")
            if value is not None:
                limits[name] = value
        self.clear()
        self.enforced, self.limits = enforce, limits
        return self.public()

    def public(self) -> dict[str, Any]:
        return {"enforce": self.enforced, **self.limits}

    def admit(self, credential: str, app_id: str) -> AbstractContextManager[None]:
        """`hold` while the limits are on; while they are off, a shared context that does
        nothing (no generator made for every request: issue 27, server CPU per flow)."""
        return self.hold(credential, app_id) if self.enforced else _ADMITTED

    @contextmanager
    def hold(self, credential: str, app_id: str) -> Iterator[None]:
        """Hold a place for one request under the limits, or raise the 429 of the first
        limit it would pass."""
        now = time.monotonic()
        token = "token:" + hashlib.sha256(credential.encode()).hexdigest()
        app = "app:" + app_id
        for key, rate, concurrent in (
            (token, "tokenLimit", "tokenConcurrentLimit"),
            (app, "crossTokenLimit", "crossTokenConcurrentLimit"),
        ):
            recent = self._recent.setdefault(key, deque())
            while recent and now - recent[0] >= WINDOW_S:
                recent.popleft()
            if self._in_flight.get(key, 0) >= self.limits[concurrent]:
                raise rate_limited(concurrent, self.limits[concurrent], 1)
            if len(recent) >= self.limits[rate]:
                raise rate_limited(rate, self.limits[rate], 1)
        for key in (token, app):
            self._recent[key].append(now)
            self._in_flight[key] = self._in_flight.get(key, 0) + 1
        try:
            yield
        finally:
            for key in (token, app):
                self._in_flight[key] -= 1
