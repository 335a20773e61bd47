"""When to send a failed request again, and after how long.

A payment client meets two kinds of failure. Some are **clear**: a 429 says nothing was
done, so the request can simply be sent again once ``Retry-After`` has passed. Others are
**ambiguous**: a dropped connection, a timeout or a 5xx may come *after* Clover charged the
card. Sending such a request again is safe only when Clover can recognise it as the same
request, that is when it carries the same ``idempotency-key`` (or is a read, which changes
nothing). :class:`RetryPolicy` retries exactly those, with capped, jittered exponential
backoff, and never anything that could charge twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .errors import APIConnectionError, APIError, CloverError, RateLimitError

__all__ = ["NO_RETRIES", "RetryPolicy", "ambiguous", "safe_to_repeat"]

SAFE_METHODS = frozenset({"GET", "HEAD"})


def safe_to_repeat(method: str, idempotency_key: str | None) -> bool:
    """A read, or a write Clover will recognise by its idempotency key."""
    return method.upper() in SAFE_METHODS or bool(idempotency_key)


def ambiguous(error: CloverError) -> bool:
    """A failure after which the request may or may not have been carried out."""
    if isinstance(error, APIConnectionError):
        return True
    return isinstance(error, APIError) and (error.status or 0) >= 500


@dataclass(frozen=True)
class RetryPolicy:
    """Up to ``max_retries`` more attempts; waits grow from ``initial_backoff`` seconds,
    doubling, capped at ``max_backoff``, each shortened by a random part of up to
    ``jitter`` so that many clients do not retry in step. A 429 waits what its
    ``Retry-After`` asks, unless that is longer than ``max_retry_after``.

    Clover's guidance is to back off from 1 s, exponentially: the defaults do that.
    """

    max_retries: int = 3
    initial_backoff: float = 1.0
    max_backoff: float = 8.0
    max_retry_after: float = 60.0
    jitter: float = 0.5
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def backoff(self, retry: int) -> float:
        """The wait before retry number ``retry`` (0 for the first retry)."""
        ceiling = min(self.max_backoff, self.initial_backoff * 2**retry)
        return ceiling * (1 - self.jitter * self.rng.random())

    def delay(
        self, error: CloverError, *, method: str, idempotency_key: str | None, retry: int
    ) -> float | None:
        """Seconds to wait before sending the request again, or None to give up and raise."""
        if retry >= self.max_retries:
            return None
        if isinstance(error, RateLimitError):
            if error.retry_after is None:
                return self.backoff(retry)
            return error.retry_after if error.retry_after <= self.max_retry_after else None
        if ambiguous(error) and safe_to_repeat(method, idempotency_key):
            return self.backoff(retry)
        return None


NO_RETRIES = RetryPolicy(max_retries=0)
