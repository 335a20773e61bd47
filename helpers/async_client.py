"""An async twin of :class:`~helpers.client.CloverClient`, for batches of payments.

A shop that charges many cards at once (subscriptions at the start of a month, a backlog
after an outage) wants several requests in flight, but no more than Clover allows: 5 at
once per access token, 16 new ones a second. :class:`AsyncCloverClient` sends the very
same requests as the sync client (both build them with :mod:`helpers.wire`), with the same
retries and the same shared rate limiter, and :meth:`AsyncCloverClient.map` runs a batch
with bounded concurrency behind a progress bar.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

import httpx

from . import wire
from .cards import Card
from .client import Charge, CloverClient, ListPage, Refund, Token, _as_page
from .environments import Environment
from .errors import CloverError
from .journal import Journal
from .limiter import CLOVER_TOKEN_RATE, limiter_for
from .retries import RetryPolicy, ambiguous

__all__ = ["CLOVER_TOKEN_CONCURRENCY", "AsyncCloverClient"]

CLOVER_TOKEN_CONCURRENCY = 5
T = TypeVar("T")
R = TypeVar("R")


class AsyncCloverClient:
    """Talks to one Clover environment for one merchant, with ``await``.

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
        self.environment = environment
        self.access_token = access_token
        self.merchant_id = merchant_id
        self.api_access_key = api_access_key
        self.journal = journal if journal is not None else Journal()
        self.customer_ip = customer_ip
        self.retries = retries if retries is not None else RetryPolicy()
        self.requests_per_second = requests_per_second
        self.concurrency = concurrency
        self._http = httpx.AsyncClient(
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

    # -- the one place requests go through --------------------------------------------

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots[0] is not loop:
            self._slots = (loop, asyncio.Semaphore(self.concurrency))
        return self._slots[1]

    async def _request(
        self,
        method: str,
        url: str,
        *,
        json_body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        auth: wire.Auth = "bearer",
        idempotency_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        reread: Callable[[CloverError], Awaitable[dict[str, Any] | None]] | None = None,
    ) -> Any:
        """As :meth:`CloverClient._request`: one request, retried as the policy allows."""
        if auth == "apikey" and not self.api_access_key:
            raise ValueError("tokenizing needs the merchant's apiAccessKey: pass api_access_key")
        request = self._http.build_request(
            method,
            url,
            params=wire.drop_none(params or {}) or None,
            json=json_body,
            headers=wire.request_headers(
                method,
                auth,
                access_token=self.access_token,
                api_access_key=self.api_access_key,
                idempotency_key=idempotency_key,
                extra=headers,
            ),
        )
        # Only Clover's Ecommerce API honours the key; an OAuth POST (auth "none") is never
        # sent twice after an ambiguous failure: its code or refresh token works once.
        key = request.headers.get("idempotency-key") if auth != "none" else None
        retry = 0
        while True:
            try:
                return await self._send_once(request, json_body, auth)
            except CloverError as error:
                delay = self.retries.delay(error, method=method, idempotency_key=key, retry=retry)
                if delay is None:
                    raise
                if reread is not None and ambiguous(error):
                    found = await reread(error)
                    if found is not None:
                        return found
                await self._sleep(delay)
                retry += 1

    async def _send_once(
        self, request: httpx.Request, json_body: Any, auth: wire.Auth
    ) -> dict[str, Any]:
        credential = self.access_token if auth == "bearer" else self.api_access_key
        if self.requests_per_second is not None and credential:
            await self._sleep(limiter_for(credential, self.requests_per_second).reserve())
        async with self._semaphore():
            started = time.perf_counter()
            try:
                response = await self._http.send(request)
            except httpx.TransportError as exc:
                raise wire.connection_failed(
                    self.journal, request, json_body, started, exc
                ) from exc
        return wire.read_answer(self.journal, request, json_body, started, response)

    async def _call(self, spec: wire.Spec, **options: Any) -> Any:
        return await self._request(spec.method, spec.url, **spec.kwargs(), **options)

    # -- the calls, with the sync client's arguments -----------------------------------

    async def create_token(
        self, card: Card | Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Token:
        """``POST /v1/tokens``, as :meth:`CloverClient.create_token`."""
        return Token(await self._call(wire.create_token(self.environment, card, idempotency_key)))

    async def create_charge(
        self, amount: int, source: str | Mapping[str, Any], **options: Any
    ) -> Charge:
        """``POST /v1/charges``, with the keyword arguments of
        :meth:`CloverClient.create_charge`."""
        customer_ip = options.pop("customer_ip", None) or self.customer_ip
        spec = wire.create_charge(
            self.environment, amount, source, customer_ip=customer_ip, **options
        )
        return Charge(await self._call(spec))

    async def get_charge(self, charge_id: str) -> Charge:
        return Charge(await self._call(wire.get_charge(self.environment, charge_id)))

    async def list_charges(self, limit: int | None = None, **filters: Any) -> ListPage:
        """``GET /v1/charges``, with the filters of :meth:`CloverClient.list_charges`."""
        return _as_page(
            await self._call(wire.list_charges(self.environment, limit, **filters)), Charge
        )

    async def capture_charge(
        self, charge_id: str, amount: int | None = None, *, idempotency_key: str | None = None
    ) -> Charge:
        spec = wire.capture_charge(self.environment, charge_id, amount, idempotency_key)
        return Charge(await self._call(spec))

    async def create_refund(
        self,
        charge: str | Mapping[str, Any],
        amount: int | None = None,
        reason: str | None = None,
        external_reference_id: str | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Refund:
        """``POST /v1/refunds``; after an ambiguous failure it re-reads before retrying."""
        spec = wire.create_refund(
            self.environment, charge, amount, reason, external_reference_id, idempotency_key
        )

        async def reread(error: CloverError) -> dict[str, Any] | None:
            assert spec.json_body is not None
            listing = await self._call(
                wire.list_refunds(self.environment, spec.json_body["charge"], limit=100)
            )
            return wire.refund_in(listing, spec)

        return Refund(await self._call(spec, reread=reread))

    async def get_refund(self, refund_id: str) -> Refund:
        return Refund(await self._call(wire.get_refund(self.environment, refund_id)))

    async def list_refunds(
        self, charge: str | Mapping[str, Any] | None = None, limit: int | None = None
    ) -> ListPage:
        return _as_page(
            await self._call(wire.list_refunds(self.environment, charge, limit)), Refund
        )

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
