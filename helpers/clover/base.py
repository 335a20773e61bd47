"""Everything a Clover client does except the I/O, written once for the sync and the async
client.

A call goes through a *plan*: a generator that builds the request from a
:class:`~helpers.clover.spec.Spec`, asks its client to wait (a float of seconds: the rate
limiter, a retry's backoff) or to send (an ``httpx.Request``), reads the answer into a
typed object or a typed error, decides whether to retry, and after an ambiguous failure
first looks whether the call took effect anyway. :class:`~helpers.CloverClient` drives a
plan with ``time.sleep`` and ``httpx.Client``, :class:`~helpers.AsyncCloverClient` with
``asyncio.sleep`` and ``httpx.AsyncClient``; nothing else differs.

The public calls are declared once, each in its resource's module
(:mod:`helpers.clover.resources`, see :mod:`helpers.clover.operation`); the client inherits
them, so the sync client's ``create_charge`` returns a ``Charge`` and the async one's an
awaitable of a ``Charge``.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any, Generic, TypeVar

import httpx

from . import wire
from .cards import mask_last4
from .environments import Environment
from .errors import CloverError
from .journal import Journal
from .limiter import CLOVER_TOKEN_RATE, Booking, limiter_for
from .local_sandbox import local_clock
from .operation import Async, Operation, Sync, operation
from .resources.ach import Ach
from .resources.charges import Charges
from .resources.customers import Customers
from .resources.gift_cards import GiftCards
from .resources.hosted_checkout import HostedCheckout
from .resources.orders import Orders
from .resources.pakms import Pakms
from .resources.recurring import Recurring
from .resources.refunds import Refunds
from .resources.threeds import ThreeDS
from .resources.tokens import Tokens
from .resources.wallet import Wallet
from .retries import RetryPolicy, ambiguous
from .spec import Auth, Spec, drop_none

__all__ = ["Async", "BaseClient", "Operation", "Plan", "Sync", "operation"]

T = TypeVar("T")
M = TypeVar("M")

Step = float | httpx.Request
"""What a plan asks of its client: wait this many seconds, or send this request."""
Reply = tuple[httpx.Response | httpx.TransportError, float] | None
"""What the client gives back for a sent request: the answer (or the failure), and when
it left (``time.perf_counter()``); None after a wait."""
Plan = Generator[Step, Reply, T]


class BaseClient(
    Pakms,
    Tokens,
    Charges,
    ThreeDS,
    Ach,
    Wallet,
    GiftCards,
    Refunds,
    Customers,
    Orders,
    HostedCheckout,
    Recurring,
    Generic[M],
):
    """Talks to one Clover environment on behalf of one merchant (the I/O aside).

    ``access_token`` is the Bearer of the Ecommerce API: an Ecommerce private key or an
    OAuth access token. ``api_access_key`` is the merchant's public PAKMS key; when it is
    not given, the first call that needs it fetches it with :meth:`get_pakms_key`.

    Failed requests are sent again as ``retries`` allows (see :mod:`helpers.clover.retries`;
    ``RetryPolicy(max_retries=0)`` turns retries off), and requests are spaced to stay
    under ``requests_per_second`` per credential, Clover's 16 by default (None: no limit).
    """

    _http: httpx.Client | httpx.AsyncClient

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
        retries: RetryPolicy | None = None,
        requests_per_second: float | None = CLOVER_TOKEN_RATE,
    ) -> None:
        super().__init__(
            environment,
            merchant_id=merchant_id,
            customer_ip=customer_ip,
            api_access_key=api_access_key,
        )
        self.access_token = access_token
        self.journal = journal if journal is not None else Journal()
        self.retries = retries if retries is not None else RetryPolicy()
        self.requests_per_second = requests_per_second
        self.timeout = timeout
        # the local sandbox's clock rides on its answers (local_sandbox.CLOCK_HEADER)
        self._sandbox_clock = (
            local_clock(environment.ecommerce_url) if environment.is_local else None
        )

    def _run(self, spec: Spec[T]) -> Any:
        """Send a spec: the sync client returns its result, the async one an awaitable."""
        raise NotImplementedError

    def __repr__(self) -> str:
        key = mask_last4(self._api_access_key) if self._api_access_key else None
        return (
            f"{type(self).__name__}(environment={self.environment.name!r}, "
            f"merchant_id={self.merchant_id!r}, access_token={mask_last4(self.access_token)!r}, "
            f"api_access_key={key!r})"
        )

    def describe(self) -> str:
        """Where this client points and with which keys, masked: safe to print."""
        environment = self.environment
        key = self._api_access_key
        lines = [
            f"environment     {environment.name}",
            f"Ecommerce API   {environment.ecommerce_url}",
            f"tokenizer       {environment.tokenizer_url}",
            f"iframe SDK      {environment.sdk_url}",
            f"merchant id     {self.merchant_id or '(not set)'}",
            f"access token    {mask_last4(self.access_token)}",
            "apiAccessKey    "
            + (mask_last4(key) if key else "(fetched from /pakms/apikey when first needed)"),
        ]
        return "\n".join(lines)

    # -- the plan of one call -----------------------------------------------------------

    def _plan(self, spec: Spec[T]) -> Plan[T]:
        """Send ``spec`` once, and again as the retry policy allows; its typed result.

        Every POST gets an ``idempotency-key`` (a new uuid4 unless the spec has one), and a
        retry sends the very same request, key included, so Clover acts at most once. A spec
        with a ``recovery``, after an ambiguous failure, first looks for its effect; what it
        finds is returned instead of retrying.
        """
        if spec.auth == "apikey" and not self._api_access_key:
            yield from self._plan(Pakms.get_pakms_key.spec(self))
        request = self._build_request(spec)
        # Only Clover's Ecommerce API honours the key; an OAuth POST (auth "none") is never
        # sent twice after an ambiguous failure: its code or refresh token works once.
        key = request.headers.get("idempotency-key") if spec.auth != "none" else None
        retry = 0
        while True:
            try:
                body = yield from self._exchange(request, spec)
                return spec.read(body)
            except CloverError as error:
                delay = self.retries.delay(
                    error, method=spec.method, idempotency_key=key, retry=retry
                )
                if delay is None:
                    raise
                if spec.recovery is not None and ambiguous(error):
                    found = spec.recovery.find((yield from self._plan(spec.recovery.lookup)))
                    if found is not None:
                        return spec.read(found)
                yield delay
                retry += 1

    def _build_request(self, spec: Spec[Any]) -> httpx.Request:
        if spec.auth == "apikey" and not self._api_access_key:
            raise ValueError("tokenizing needs the merchant's apiAccessKey: pass api_access_key")
        return self._http.build_request(
            spec.method,
            spec.url,
            params=drop_none(spec.params or {}) or None,
            json=spec.json_body,
            headers=wire.request_headers(
                spec.method,
                spec.auth,
                access_token=self.access_token if spec.auth == "bearer" else "",
                api_access_key=self._api_access_key if spec.auth == "apikey" else None,
                idempotency_key=spec.idempotency_key,
                extra=spec.headers,
            ),
        )

    def _exchange(self, request: httpx.Request, spec: Spec[Any]) -> Plan[dict[str, Any]]:
        """One trip: wait for the rate limiter, send, journal, read the answer or raise."""
        booking = self._limiter_booking(request, spec.auth)
        if booking is not None and booking.wait:
            yield booking.wait
        try:
            reply = yield request
        finally:
            if booking is not None:
                booking.finished()
        assert reply is not None
        answer, started = reply
        if self._sandbox_clock is not None and isinstance(answer, httpx.Response):
            self._sandbox_clock.read(answer.headers)
        if isinstance(answer, httpx.TransportError):
            raise wire.connection_failed(
                self.journal,
                request,
                spec.json_body,
                started,
                answer,
                local=self.environment.is_local,
            )
        return wire.read_answer(self.journal, request, spec.json_body, started, answer)

    def _limiter_booking(self, request: httpx.Request, auth: Auth) -> Booking | None:
        """A place in the shared limiter of the credential this request carries (read from
        the request: an OAuth client looks its token up once a request)."""
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        credential = bearer if auth == "bearer" else self._api_access_key
        if self.requests_per_second is None or not credential:
            return None
        return limiter_for(credential, self.requests_per_second).reserve()

    # -- any request (the OAuth client's, and tests') -----------------------------------

    @operation
    def _request(
        self,
        method: str,
        url: str,
        *,
        json_body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        auth: Auth = "bearer",
        idempotency_key: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Spec[dict[str, Any]]:
        """Send one request, journal it, and return the parsed JSON or raise a CloverError."""
        return Spec(method, url, json_body, params, auth, idempotency_key, headers)
