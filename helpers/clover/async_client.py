"""An async twin of :class:`~helpers.clover.client.CloverClient`, for batches of payments.

A shop that charges many cards at once (subscriptions at the start of a month, a backlog
after an outage) wants several requests in flight, but no more than Clover allows: 5 at
once per access token, 16 new ones a second. :class:`AsyncCloverClient` sends the very
same requests as the sync client (both run the plans of
:class:`~helpers.clover.base.BaseClient`), with the same retries and the same shared rate
limiter, and :meth:`AsyncCloverClient.map` runs a batch
with bounded concurrency behind a progress bar.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, TypeVar

import httpx

from . import wire
from .base import Async, BaseClient
from .client import CloverClient
from .environments import Environment
from .errors import CloverError
from .journal import Journal
from .limiter import CLOVER_TOKEN_RATE
from .resources.charges import Charge
from .resources.refunds import Refund
from .retries import RetryPolicy
from .spec import Ref, Spec

__all__ = ["CLOVER_TOKEN_CONCURRENCY", "AsyncCloverClient"]

CLOVER_TOKEN_CONCURRENCY = 5
T = TypeVar("T")
R = TypeVar("R")


class AsyncCloverClient(BaseClient[Async]):
    """Talks to one Clover environment for one merchant, with ``await``: the calls of
    :class:`~helpers.CloverClient`, with the same names and arguments.

    ``concurrency`` caps the requests in flight (Clover allows 5 per token). Build one from
    a sync client with :meth:`from_client` to share its credentials, journal and policies.
    """

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
        transport: httpx.AsyncBaseTransport | None = None,
        retries: RetryPolicy | None = None,
        requests_per_second: float | None = CLOVER_TOKEN_RATE,
        concurrency: int = CLOVER_TOKEN_CONCURRENCY,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {concurrency}")
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
        self.concurrency = concurrency
        self._http: httpx.AsyncClient = httpx.AsyncClient(
            timeout=timeout, transport=transport, verify=wire.tls_context()
        )
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        self._slots: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None

    @classmethod
    def from_client(cls, client: CloverClient, **overrides: Any) -> AsyncCloverClient:
        """The async twin of ``client``: same Clover, merchant, keys, journal and policies."""
        settings: dict[str, Any] = {
            "merchant_id": client.merchant_id,
            "api_access_key": client.api_access_key,
            "journal": client.journal,
            "customer_ip": client.customer_ip,
            "timeout": client.timeout,
            "retries": client.retries,
            "requests_per_second": client.requests_per_second,
        }
        settings.update(overrides)
        return cls(client.environment, client.access_token, **settings)

    @property
    def api_access_key(self) -> str | None:
        """The merchant's public PAKMS key, once given or fetched (the first token fetches it)."""
        return self._api_access_key

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncCloverClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (
            f"AsyncCloverClient(environment={self.environment.name!r}, "
            f"merchant_id={self.merchant_id!r}, concurrency={self.concurrency})"
        )

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots[0] is not loop:
            self._slots = (loop, asyncio.Semaphore(self.concurrency))
        return self._slots[1]

    async def _run(self, spec: Spec[T]) -> T:
        """Carry out a call's plan: ``asyncio.sleep`` when it waits, send when it sends,
        with no more than ``concurrency`` requests in flight."""
        plan = self._plan(spec)
        reply: Any = None
        while True:
            try:
                step = plan.send(reply)
            except StopIteration as done:
                result: T = done.value
                return result
            if isinstance(step, httpx.Request):
                async with self._semaphore():
                    started = time.perf_counter()
                    try:
                        reply = (await self._http.send(step), started)
                    except httpx.TransportError as exc:
                        reply = (exc, started)
            else:
                await self._sleep(step)
                reply = None

    async def iter_charges(
        self,
        page_size: int = 100,
        starting_after: str | None = None,
        customer: str | None = None,
        created_gte: int | None = None,
        created_lte: int | None = None,
    ) -> AsyncIterator[Charge]:
        """Every charge matching the filters of :meth:`list_charges`, page after page."""
        while True:
            page = await self.list_charges(
                limit=page_size,
                starting_after=starting_after,
                customer=customer,
                created_gte=created_gte,
                created_lte=created_lte,
            )
            for charge in page:
                yield charge
            starting_after = page.next_starting_after()
            if starting_after is None:
                return

    async def iter_refunds(
        self, page_size: int = 100, charge: Ref | None = None
    ) -> AsyncIterator[Refund]:
        """Every refund (of one charge, when given), page after page, newest first."""
        starting_after = None
        while True:
            page = await self.list_refunds(charge, limit=page_size, starting_after=starting_after)
            for refund in page:
                yield refund
            starting_after = page.next_starting_after()
            if starting_after is None:
                return

    # -- batches -----------------------------------------------------------------------

    async def map(
        self,
        work: Callable[[T], Awaitable[R]],
        items: Iterable[T],
        *,
        description: str | None = None,
        progress: bool = True,
    ) -> list[R | CloverError]:
        """Run ``work(item)`` for every item, at most ``concurrency`` requests at a time.

        Results come back in the order of ``items``; an item whose work raised a
        :class:`CloverError` gets that error in its place, so one decline does not stop the
        batch. ``progress`` shows a bar (the notebook widget inside Jupyter).
        """
        from tqdm.auto import tqdm

        chosen = list(items)
        bar = tqdm(total=len(chosen), desc=description, disable=not progress)

        async def one(item: T) -> R | CloverError:
            try:
                return await work(item)
            except CloverError as error:
                return error
            finally:
                bar.update(1)

        try:
            return list(await asyncio.gather(*(one(item) for item in chosen)))
        finally:
            bar.close()
