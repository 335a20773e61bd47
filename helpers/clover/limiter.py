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
from collections.abc import Callable

__all__ = ["CLOVER_TOKEN_RATE", "Booking", "RateLimiter", "forget_shared_limiters", "limiter_for"]

CLOVER_TOKEN_RATE = 16.0
# A request still awaiting its answer holds its place a little past one window from its start.
MARGIN_S = 0.05


class Booking:
    """One request's place in a limiter's window: it holds the place until ``per`` seconds
    after the request's answer (or, while the answer is awaited, after its start)."""

    __slots__ = ("_limiter", "release", "start", "wait")

    def __init__(self, limiter: RateLimiter, start: float, wait: float) -> None:
        self._limiter, self.start, self.wait = limiter, start, wait
        self.release = start + limiter.per + MARGIN_S

    def finished(self) -> None:
        """The answer (or the failure) is here: Clover saw the request by now, so the place
        stays taken until one window after this moment."""
        self._limiter._finished(self)


class RateLimiter:
    """At most ``rate`` requests in any window of ``per`` seconds, as the server counts them.

    Clover counts a request when it arrives, which the client never sees: it lies between
    the request's start and its answer. So a place in the window is held from the start to
    ``per`` seconds after the answer, and the next request that needs the place starts no
    sooner; however slow the network or a loaded machine, two requests ``rate`` apart
    arrive at least ``per`` seconds apart. (A place whose answer is still awaited is
    reckoned from its start, plus a small margin, so concurrent requests still flow.)

    :meth:`reserve` books the earliest start that keeps to the limit and says how long to
    wait for it; the caller sleeps (``time.sleep`` or ``asyncio.sleep``), sends, then calls
    :meth:`Booking.finished`, so the same limiter serves threads and coroutines.
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
        self._held: list[Booking] = []  # in order of start
        self._lock = threading.Lock()

    def reserve(self) -> Booking:
        """Book the next start; the booking says how many seconds to wait before sending."""
        with self._lock:
            now = self._clock()
            self._held = [held for held in self._held if held.release > now]
            start = self._held[-1].start if self._held else now
            if len(self._held) >= self._slots:
                releases = sorted((held.release for held in self._held), reverse=True)
                start = max(start, releases[self._slots - 1])
            booking = Booking(self, max(start, now), max(start, now) - now)
            self._held.append(booking)
            return booking

    def _finished(self, booking: Booking) -> None:
        with self._lock:
            booking.release = max(booking.start, self._clock()) + self.per

    def __repr__(self) -> str:
        return f"RateLimiter({self.rate:g} requests per {self.per:g} s)"


_shared: dict[tuple[str, float], RateLimiter] = {}
_shared_lock = threading.Lock()


def limiter_for(credential: str, rate: float = CLOVER_TOKEN_RATE) -> RateLimiter:
    """The one limiter of this process for a credential (kept by hash, never in clear)."""
    key = (hashlib.sha256(credential.encode()).hexdigest(), rate)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = RateLimiter(rate)
        return _shared[key]


def forget_shared_limiters() -> None:
    """Forget this process's shared limiters: each credential's next request opens a new
    window. For a test runner, where one process plays many apps' lives one after another
    with the same demo credentials (tests/conftest.py calls it before each test, so a test
    waits only for its own requests); an app never needs it."""
    with _shared_lock:
        _shared.clear()
