"""The merchant app's side of Clover's Ecommerce API, one call at a time.

:class:`CloverClient` sends every request through one method, so each of them is
journaled with its secrets masked, every POST carries an idempotency key, and every
non-2xx answer becomes a typed :mod:`helpers.clover.errors` exception a notebook can catch. Its
calls are those of :class:`~helpers.clover.base.BaseClient`; only how it sends and waits
is its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx

from . import wire
from .base import BaseClient, Sync
from .environments import Environment
from .journal import Journal
from .limiter import CLOVER_TOKEN_RATE
from .resources.charges import Charge
from .resources.refunds import Refund
from .retries import RetryPolicy
from .spec import Ref, Spec

__all__ = ["CloverClient"]

T = TypeVar("T")


class CloverClient(BaseClient[Sync]):
    """Talks to one Clover environment on behalf of one merchant; each call returns its
    result. See :class:`~helpers.clover.base.BaseClient` for the credentials and policies."""

    def __init__(
        self,
        environment: Environment,
        access_token: str,
        *,
        merchant_id: str | None = None,
        api_access_key: str | None = None,
        journal: Journal | None = None,
        customer_ip: str = "127.0.0.1",
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        retries: RetryPolicy | None = None,
        requests_per_second: float | None = CLOVER_TOKEN_RATE,
    ) -> None:
        super().__init__(
            environment,
            access_token,
            merchant_id=merchant_id,
            api_access_key=api_access_key,
            journal=journal,
            customer_ip=customer_ip,
            timeout=timeout,
            retries=retries,
            requests_per_second=requests_per_second,
        )
        self._http: httpx.Client = httpx.Client(
            timeout=timeout, transport=transport, verify=wire.tls_context()
        )
        self._sleep: Callable[[float], None] = time.sleep

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def __enter__(self) -> CloverClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def api_access_key(self) -> str:
        """The merchant's public PAKMS key; fetched once on first use, then cached."""
        if self._api_access_key is None:
            self.get_pakms_key()
        assert self._api_access_key is not None
        return self._api_access_key

    def _run(self, spec: Spec[T]) -> T:
        """Carry out a call's plan: sleep when it waits, send when it sends."""
        plan = self._plan(spec)
        reply: Any = None
        while True:
            try:
                step = plan.send(reply)
            except StopIteration as done:
                result: T = done.value
                return result
            if isinstance(step, httpx.Request):
                started = time.perf_counter()
                try:
                    reply = (self._http.send(step), started)
                except httpx.TransportError as exc:
                    reply = (exc, started)
            else:
                self._sleep(step)
                reply = None

    def iter_charges(
        self,
        page_size: int = 100,
        starting_after: str | None = None,
        customer: str | None = None,
        created_gte: int | None = None,
        created_lte: int | None = None,
    ) -> Iterator[Charge]:
        """Every charge matching the filters of :meth:`list_charges`, page after page."""
        while True:
            page = self.list_charges(
                limit=page_size,
                starting_after=starting_after,
                customer=customer,
                created_gte=created_gte,
                created_lte=created_lte,
            )
            yield from page
            starting_after = page.next_starting_after()
            if starting_after is None:
                return

    def iter_refunds(self, page_size: int = 100, charge: Ref | None = None) -> Iterator[Refund]:
        """Every refund (of one charge, when given), page after page, newest first."""
        starting_after = None
        while True:
            page = self.list_refunds(charge, limit=page_size, starting_after=starting_after)
            yield from page
            starting_after = page.next_starting_after()
            if starting_after is None:
                return
