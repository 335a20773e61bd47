"""A client-side limiter that keeps an app under Clover's per-token request rate.

Clover allows 16 new requests a second per access token (docs: api-usage-rate-limits) and
answers 429 past that. Waiting on our side costs less than a refused request, so every
client spaces its requests through one :class:`RateLimiter` per credential, shared by all
the clients (sync and async) of this process that use that credential.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["CLOVER_TOKEN_RATE", "RateLimiter", "limiter_for"]

CLOVER_TOKEN_RATE = 16.0
# Requests spaced exactly one window apart can arrive closer than that when the network
# delays the first more than the last: the shared limiters keep a little margin.
MARGIN_S = 0.05


class RateLimiter:
    """At most ``rate`` request starts in any window of ``per`` seconds.

    :meth:`reserve` books the earliest start that keeps to the limit and says how long to
    wait for it; the caller sleeps (``time.sleep`` or ``asyncio.sleep``), so the same
    limiter serves threads and coroutines.
    """

    def __init__(
        self,
        rate: float = CLOVER_TOKEN_RATE,
        per: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per <= 0 or rate * per < 1:
            raise ValueError(f"allow at least one request per window, not {rate} per {per} s")
        self.rate, self.per, self._clock = rate, per, clock
        self._slots = int(rate * per)
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Book the next start; returns the seconds to wait before sending."""
        with self._lock:
            now = self._clock()
            while self._starts and self._starts[0] <= now - self.per:
                self._starts.popleft()
            start = now
            if len(self._starts) >= self._slots:
                start = max(now, self._starts[-self._slots] + self.per)
            if self._starts:
                start = max(start, self._starts[-1])
            self._starts.append(start)
            return start - now

    def __repr__(self) -> str:
        return f"RateLimiter({self.rate:g} requests per {self.per:g} s)"


_shared: dict[tuple[str, float], RateLimiter] = {}
_shared_lock = threading.Lock()


def limiter_for(credential: str, rate: float = CLOVER_TOKEN_RATE) -> RateLimiter:
    """The one limiter of this process for a credential (kept by hash, never in clear)."""
    key = (hashlib.sha256(credential.encode()).hexdigest(), rate)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = RateLimiter(rate, per=1.0 + MARGIN_S)
        return _shared[key]
