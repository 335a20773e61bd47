"""Everything a Clover client does except the I/O, written once for the sync and the async
client.

A call goes through a *plan*: a generator that builds the request from a
:class:`~helpers.clover.spec.Spec`, asks its client to wait (a float of seconds: the rate
limiter, a retry's backoff) or to send (an ``httpx.Request``), reads the answer into a
typed object or a typed error, decides whether to retry, and after an ambiguous failure
first looks whether the call took effect anyway. :class:`~helpers.CloverClient` drives a
plan with ``time.sleep`` and ``httpx.Client``, :class:`~helpers.AsyncCloverClient` with
``asyncio.sleep`` and ``httpx.AsyncClient``; nothing else differs.

Every public call is declared once below with :func:`operation`: it returns the call's
spec, and the descriptor hands that spec to the client's ``_run``, so the sync client
returns a ``Charge`` and the async one an awaitable of a ``Charge``.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Awaitable, Callable, Generator, Iterable, Mapping
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

import httpx

from . import wire
from .cards import Card, mask_last4
from .environments import Environment
from .errors import CloverError
from .journal import Journal
from .limiter import CLOVER_TOKEN_RATE, limiter_for
from .local_sandbox import local_clock
from .objects import CloverObject, ListPage
from .resources import (
    ach,
    charges,
    customers,
    gift_cards,
    hosted_checkout,
    orders,
    pakms,
    recurring,
    refunds,
    threeds,
    tokens,
    wallet,
)
from .resources.charges import Charge
from .resources.customers import Customer, DeletedCard
from .resources.gift_cards import GiftCardBalance, GiftCardTransaction, RefundVoid
from .resources.hosted_checkout import CheckoutSession
from .resources.orders import Order
from .resources.pakms import PakmsKey
from .resources.recurring import Subscription, When
from .resources.refunds import Refund
from .resources.tokens import Token
from .retries import RetryPolicy, ambiguous
from .spec import Auth, Ref, Spec, drop_none

__all__ = ["Async", "BaseClient", "Operation", "Plan", "Sync", "operation"]

T = TypeVar("T")
P = ParamSpec("P")
M = TypeVar("M")

Step = float | httpx.Request
"""What a plan asks of its client: wait this many seconds, or send this request."""
Reply = tuple[httpx.Response | httpx.TransportError, float] | None
"""What the client gives back for a sent request: the answer (or the failure), and when
it left (``time.perf_counter()``); None after a wait."""
Plan = Generator[Step, Reply, T]


class Sync:
    """Marks a client whose calls return their result."""


class Async:
    """Marks a client whose calls return an awaitable of their result."""


class Operation(Generic[P, T]):
    """A public call declared once: a function from arguments to a spec, bound to a client
    as a method that runs that spec (and returns what the client's ``_run`` returns)."""

    def __init__(self, build: Callable[Concatenate[Any, P], Spec[T]]) -> None:
        self._build = build
        functools.update_wrapper(cast(Any, self), build)
        shown = inspect.signature(build)
        # what help() and Jupyter's ``?`` show for the bound call: no ``self``, the result
        result = str(shown.return_annotation).removeprefix("Spec[").removesuffix("]")
        parameters = list(shown.parameters.values())[1:]
        self._signatures = {
            False: shown.replace(parameters=parameters, return_annotation=result),
            True: shown.replace(parameters=parameters, return_annotation=f"Awaitable[{result}]"),
        }

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Operation[P, T]: ...
    @overload
    def __get__(self, client: BaseClient[Sync], owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(self, client: BaseClient[Async], owner: type[Any]) -> Callable[P, Awaitable[T]]: ...
    def __get__(self, client: BaseClient[Any] | None, owner: type[Any]) -> Any:
        if client is None:
            return self
        build = self._build

        @functools.wraps(build)
        def call(*args: P.args, **kwargs: P.kwargs) -> Any:
            return client._run(build(client, *args, **kwargs))

        awaited = inspect.iscoroutinefunction(client._run)
        call.__signature__ = self._signatures[awaited]  # type: ignore[attr-defined]
        return call


def operation(build: Callable[Concatenate[Any, P], Spec[T]]) -> Operation[P, T]:
    """Declare a public call of both clients by the spec it sends."""
    return Operation(build)


class BaseClient(Generic[M]):
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
        self.environment = environment
        self.access_token = access_token
        self.merchant_id = merchant_id
        self._api_access_key = api_access_key
        self.journal = journal if journal is not None else Journal()
        self.customer_ip = customer_ip
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
            yield from self._plan(self._pakms_key_spec())
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
        wait = self._limiter_wait(request, spec.auth)
        if wait is not None:
            yield wait
        reply = yield request
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

    def _limiter_wait(self, request: httpx.Request, auth: Auth) -> float | None:
        """Seconds to wait for the shared limiter of the credential this request carries
        (read from the request: an OAuth client looks its token up once a request)."""
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        credential = bearer if auth == "bearer" else self._api_access_key
        if self.requests_per_second is None or not credential:
            return None
        return limiter_for(credential, self.requests_per_second).reserve()

    def _pakms_key_spec(self) -> Spec[PakmsKey]:
        spec = pakms.get_pakms_key(self.environment)
        return dataclasses.replace(spec, read=self._remember_pakms_key)

    def _remember_pakms_key(self, body: dict[str, Any]) -> PakmsKey:
        """Keep the merchant's ``apiAccessKey`` from a PAKMS answer, for the next tokens."""
        key = PakmsKey(body)
        if key.get("apiAccessKey"):
            self._api_access_key = str(key["apiAccessKey"])
        return key

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

    # -- PAKMS and tokens --------------------------------------------------------------

    @operation
    def get_pakms_key(self) -> Spec[PakmsKey]:
        """``GET /pakms/apikey``: the public key that tokenizes cards for this merchant.

        It does not expire, so an app fetches it once and stores it; the client caches it.
        """
        return self._pakms_key_spec()

    @operation
    def create_token(
        self, card: Card | Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Spec[Token]:
        """``POST /v1/tokens`` on the tokenizer: raw card data in, a single-use ``clv_`` out.

        Authenticated by the public ``apikey`` header, never by the Bearer token.
        """
        return tokens.create_token(self.environment, card, idempotency_key)

    @operation
    def create_multipay_token(
        self, card: Card | Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Spec[Token]:
        """``POST /v1/tokens`` with ``"multipay": true``: a token that may be charged more
        than once, as a stored credential (what ``clover.createToken(true)`` asks for in the
        browser). The flag's name is the local sandbox's; on Clover, save the card to a
        customer instead, which makes its token multi-pay."""
        return tokens.create_multipay_token(self.environment, card, idempotency_key)

    # -- charges -----------------------------------------------------------------------

    @operation
    def create_charge(
        self,
        amount: int,
        source: Ref,
        *,
        currency: str = "usd",
        capture: bool = True,
        description: str | None = None,
        external_reference_id: str | None = None,
        receipt_email: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        tip_amount: int | None = None,
        tax_amount: int | None = None,
        ecomind: str | None = None,
        idempotency_key: str | None = None,
        customer_ip: str | None = None,
        **extra: Any,
    ) -> Spec[Charge]:
        """``POST /v1/charges``: charge a token, a customer or a multi-pay token.

        ``amount`` (and tip and tax) are int cents. ``capture=False`` only authorizes;
        capture later with :meth:`capture_charge`. ``x-forwarded-for`` carries the
        shopper's IP, which Clover requires on charges.
        """
        return charges.create_charge(
            self.environment,
            amount,
            source,
            customer_ip=customer_ip or self.customer_ip,
            currency=currency,
            capture=capture,
            description=description,
            external_reference_id=external_reference_id,
            receipt_email=receipt_email,
            metadata=metadata,
            tip_amount=tip_amount,
            tax_amount=tax_amount,
            ecomind=ecomind,
            idempotency_key=idempotency_key,
            **extra,
        )

    @operation
    def get_charge(self, charge_id: str) -> Spec[Charge]:
        """``GET /v1/charges/{id}``."""
        return charges.get_charge(self.environment, charge_id)

    @operation
    def list_charges(
        self,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        customer: str | None = None,
        created_gte: int | None = None,
        created_lte: int | None = None,
    ) -> Spec[ListPage]:
        """``GET /v1/charges``: one page (``limit`` 1-100); ``created_*`` are Unix ms."""
        return charges.list_charges(
            self.environment,
            limit,
            starting_after,
            ending_before,
            customer,
            created_gte,
            created_lte,
        )

    @operation
    def capture_charge(
        self,
        charge_id: str,
        amount: int | None = None,
        *,
        receipt_email: str | None = None,
        level2: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Spec[Charge]:
        """``POST /v1/charges/{id}/capture``: capture an authorization, all or part of it;
        ``level2`` carries purchase card data (it is also taken by ``create_charge``)."""
        return charges.capture_charge(
            self.environment, charge_id, amount, idempotency_key, receipt_email, level2
        )

    @operation
    def finalize_payment(
        self, charge: Ref, flow_status: str, *, idempotency_key: str | None = None
    ) -> Spec[Charge]:
        """``POST /v1/charges/finalize_payment``: after the browser's 3-D Secure method flow
        or challenge (``flow_status`` is the ``executePatch`` event's ``_3DSStatus``). The
        answer is the charge: succeeded, declined (a ``CardError``), or after a method flow
        waiting for a challenge (``threeds.validation_result`` ``CHALLENGE_FLOW_REQUIRED``).
        https://docs.clover.com/docs/3ds-secure-configure-sdk"""
        return threeds.finalize_payment(self.environment, charge, flow_status, idempotency_key)

    # -- ACH (docs: create-an-ach-token) -------------------------------------------------

    @operation
    def create_ach_token(
        self, ach_fields: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Spec[Token]:
        """``POST /v1/tokens`` with ``ach``: a US bank account and the customer's
        identification in, a ``clv_`` token out, by the public ``apikey``; its charge is
        ``pending`` until the bank settles or returns it."""
        return ach.create_ach_token(self.environment, ach_fields, idempotency_key)

    @operation
    def create_apple_pay_token(
        self, payment_data: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Spec[Token]:
        """``POST /v1/tokens`` with ``encryptedWallet.applePayPaymentData``: Apple Pay's
        ``paymentData`` in, a single-use ``clv_`` token out (dev:
        create-applepaywallet-token)."""
        return wallet.create_apple_pay_token(self.environment, payment_data, idempotency_key)

    # -- the wallet button's test wallet (local sandbox only) ----------------------------

    @operation
    def create_sandbox_wallet_token(
        self, payment_req_data: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Spec[Token]:
        """``POST /v1/tokens`` with ``sandbox_wallet``: the token the wallet button's test
        wallet makes from ``paymentReqData`` (local sandbox only; Clover's come from the
        shopper's wallet). Charge it like a card token."""
        return wallet.create_sandbox_wallet_token(
            self.environment, payment_req_data, idempotency_key
        )

    # -- gift cards (docs: gift-card-api) ------------------------------------------------

    @operation
    def create_gift_card_token(
        self,
        number: str,
        security_code: str | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Spec[Token]:
        """``POST /v1/tokens`` with ``gift_card``: a gift card's number (and its SCV) in,
        a ``clv_`` token out, by the public ``apikey``. Redeem it with
        ``create_charge(amount, token, partial_redemption=True)``."""
        return gift_cards.create_gift_card_token(
            self.environment, number, security_code, idempotency_key
        )

    @operation
    def get_gift_card_balance(self, source: Ref) -> Spec[GiftCardBalance]:
        """``POST /v1/balance_inquiry``: ``gift_card.new_balance`` in cents."""
        return gift_cards.get_gift_card_balance(self.environment, source)

    @operation
    def reload_gift_card(
        self,
        source: Ref,
        amount: int,
        currency: str = "usd",
        *,
        idempotency_key: str | None = None,
    ) -> Spec[GiftCardTransaction]:
        """``POST /v1/reload``: add ``amount`` cents to the gift card."""
        return gift_cards.reload_gift_card(
            self.environment, source, amount, currency, idempotency_key
        )

    @operation
    def cashout_gift_card(
        self, source: Ref, *, idempotency_key: str | None = None
    ) -> Spec[GiftCardTransaction]:
        """``POST /v1/cashout``: take the whole balance off the gift card."""
        return gift_cards.cashout_gift_card(self.environment, source, idempotency_key)

    @operation
    def activate_gift_card(
        self,
        source: Ref | None = None,
        *,
        promotion_code: str | None = None,
        amount: int | None = None,
        currency: str = "usd",
        idempotency_key: str | None = None,
    ) -> Spec[GiftCardTransaction]:
        """``POST /v1/activate``: a physical card's token, or a ``promotion_code`` for a
        new virtual card (its number and SCV are in ``gift_card``); ``amount`` for a
        non-denominated card."""
        return gift_cards.activate_gift_card(
            self.environment, source, promotion_code, amount, currency, idempotency_key
        )

    @operation
    def cancel_gift_card_refund(
        self, refund: Ref, *, reason: str | None = None, idempotency_key: str | None = None
    ) -> Spec[RefundVoid]:
        """``POST /v1/refunds/{id}/cancel``: void a refund to a gift card; the money
        leaves the card again. (A reload or cashout is voided with ``create_refund``.)"""
        return gift_cards.cancel_gift_card_refund(self.environment, refund, reason, idempotency_key)

    # -- refunds -----------------------------------------------------------------------

    @operation
    def create_refund(
        self,
        charge: Ref,
        amount: int | None = None,
        reason: str | None = None,
        external_reference_id: str | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Spec[Refund]:
        """``POST /v1/refunds``: refund all (no ``amount``) or part of a charge.

        On an authorization that was never captured this is a void. The refund carries an
        ``external_reference_id`` (yours, or one the client makes): after an ambiguous
        failure (a 5xx, a dropped connection), the client first reads the charge's refunds
        back and returns the refund if it was made, and retries only if it was not.
        """
        return refunds.create_refund(
            self.environment, charge, amount, reason, external_reference_id, idempotency_key
        )

    @operation
    def get_refund(self, refund_id: str) -> Spec[Refund]:
        """``GET /v1/refunds/{id}``."""
        return refunds.get_refund(self.environment, refund_id)

    @operation
    def list_refunds(
        self, charge: Ref | None = None, limit: int | None = None, starting_after: str | None = None
    ) -> Spec[ListPage]:
        """``GET /v1/refunds``, optionally only those of one charge; one page."""
        return refunds.list_refunds(self.environment, charge, limit, starting_after)

    # -- customers (cards on file) -----------------------------------------------------

    @operation
    def create_customer(
        self,
        source: Ref,
        *,
        email: str,
        first_name: str | None = None,
        last_name: str | None = None,
        name: str | None = None,
        phone: str | None = None,
        shipping: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Spec[Customer]:
        """``POST /v1/customers``: save the card behind ``source`` (a ``clv_`` token) for a
        new customer, whose ``email`` Clover requires. The token becomes multi-pay;
        ``sources.data`` names the saved card."""
        return customers.create_customer(
            self.environment,
            source,
            email=email,
            first_name=first_name,
            last_name=last_name,
            name=name,
            phone=phone,
            shipping=shipping,
            idempotency_key=idempotency_key,
        )

    @operation
    def get_customer(self, customer: Ref) -> Spec[Customer]:
        """``GET /v1/customers/{id}``."""
        return customers.get_customer(self.environment, customer)

    @operation
    def update_customer(
        self, customer: Ref, *, source: Ref | None = None, **details: Any
    ) -> Spec[Customer]:
        """``PUT /v1/customers/{id}``: change details (``email``, ``phone``...) and, with
        ``source``, save another card; charges by customer id then use that card. Saving
        a card the customer already has answers 409."""
        return customers.update_customer(self.environment, customer, source=source, **details)

    @operation
    def revoke_card(self, customer: Ref, card_id: str) -> Spec[DeletedCard]:
        """``DELETE /v1/customers/{id}/sources/{card}``: forget a saved card. Its multi-pay
        token stops working too; the customer must give their card again."""
        return customers.revoke_card(self.environment, customer, card_id)

    # -- orders ------------------------------------------------------------------------

    @operation
    def create_order(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        currency: str = "usd",
        email: str | None = None,
        customer: Ref | None = None,
        metadata: Mapping[str, Any] | None = None,
        shipping: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Spec[Order]:
        """``POST /v1/orders``: a cart of items; the answer carries the total ``amount``."""
        return orders.create_order(
            self.environment,
            items,
            currency=currency,
            email=email,
            customer=customer,
            metadata=metadata,
            shipping=shipping,
            idempotency_key=idempotency_key,
        )

    @operation
    def get_order(self, order: Ref) -> Spec[Order]:
        """``GET /v1/orders/{id}``."""
        return orders.get_order(self.environment, order)

    @operation
    def list_orders(
        self, limit: int | None = None, customer: str | None = None, status: str | None = None
    ) -> Spec[ListPage]:
        """``GET /v1/orders``: one page, newest first."""
        return orders.list_orders(self.environment, limit, customer, status)

    @operation
    def pay_order(
        self,
        order: Ref,
        source: Ref | None = None,
        *,
        customer: Ref | None = None,
        amount: int | None = None,
        email: str | None = None,
        tip_amount: int | None = None,
        stored_credentials: Mapping[str, Any] | None = None,
        threeds: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        customer_ip: str | None = None,
    ) -> Spec[Order]:
        """``POST /v1/orders/{id}/pay`` with a token (``source``) or a saved ``customer``:
        all that is left to pay, or ``amount`` cents of it. Earlier payments then show under
        ``past_charges``; the order is ``paid`` once ``amount_paid`` reaches ``amount``.
        ``threeds`` (``clover_threeds(...)``) runs 3-D Secure as on a charge."""
        return orders.pay_order(
            self.environment,
            order,
            source,
            customer_ip=customer_ip or self.customer_ip,
            customer=customer,
            amount=amount,
            email=email,
            tip_amount=tip_amount,
            stored_credentials=stored_credentials,
            threeds=threeds,
            idempotency_key=idempotency_key,
        )

    @operation
    def return_order(
        self,
        order: Ref,
        items: Iterable[Mapping[str, Any]] | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Spec[Order]:
        """``POST /v1/orders/{id}/returns``: the whole order, or ``items`` such as
        ``[{"parent": sku_item.parent, "quantity": 1}]``; the money goes back to the card."""
        return orders.return_order(self.environment, order, items, idempotency_key=idempotency_key)

    # -- Hosted Checkout ---------------------------------------------------------------

    @operation
    def create_checkout_session(
        self,
        line_items: Iterable[Mapping[str, Any]],
        *,
        customer: Mapping[str, Any],
        success_url: str | None = None,
        failure_url: str | None = None,
        cancel_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> Spec[CheckoutSession]:
        """A Hosted Checkout session for the cart; send the shopper to its ``href``.
        ``customer`` (``checkout_customer(first, last, email, phone)``) is required: Clover
        needs the shopper's firstName, lastName, email and phoneNumber."""
        return hosted_checkout.create_checkout_session(
            self.environment,
            self.merchant_id,
            line_items,
            success_url=success_url,
            failure_url=failure_url,
            cancel_url=cancel_url,
            customer=customer,
            idempotency_key=idempotency_key,
        )

    # -- recurring payments: plans, subscriptions, invoices ------------------------------

    @operation
    def create_plan(
        self,
        name: str,
        amount: int,
        interval: recurring.Interval = "MONTH",
        interval_count: int = 1,
        *,
        tip_amount: int | None = None,
        tax_rate_uuids: Iterable[str] | None = None,
        note: str | None = None,
        idempotency_key: str | None = None,
    ) -> Spec[recurring.Plan]:
        """``POST /recurring/v1/plans``: bill ``amount`` cents every ``interval_count``
        days, weeks, months or years."""
        return recurring.create_plan(
            self.environment,
            self.merchant_id,
            name,
            amount,
            interval,
            interval_count,
            tip_amount=tip_amount,
            tax_rate_uuids=tax_rate_uuids,
            note=note,
            idempotency_key=idempotency_key,
        )

    @operation
    def list_plans(
        self,
        limit: int | None = None,
        offset: int | None = None,
        *,
        active: bool | None = None,
        name: str | None = None,
        interval: recurring.Interval | None = None,
        interval_count: int | None = None,
    ) -> Spec[list[recurring.Plan]]:
        """``GET /recurring/v1/plans``: a JSON array, sorted by name; ``limit`` is at least
        10 (Clover's getplans reference), filtered by the options given."""
        filters: dict[str, Any] = {"active": active, "name": name, "interval": interval}
        filters["intervalCount"] = interval_count
        return recurring.list_plans(self.environment, self.merchant_id, limit, offset, filters)

    @operation
    def get_plan(self, plan: Ref) -> Spec[recurring.Plan]:
        """``GET /recurring/v1/plans/{id}``."""
        return recurring.get_plan(self.environment, self.merchant_id, plan)

    @operation
    def update_plan(self, plan: Ref, **changes: Any) -> Spec[recurring.Plan]:
        """``PUT /recurring/v1/plans/{id}`` with Clover's names: ``name``, ``amount``,
        ``tipAmount``, ``taxRateUuids``, ``note``, ``active``."""
        return recurring.update_plan(self.environment, self.merchant_id, plan, changes)

    @operation
    def delete_plan(self, plan: Ref) -> Spec[recurring.Plan]:
        """``DELETE /recurring/v1/plans/{id}``: refused while it has active subscriptions."""
        return recurring.delete_plan(self.environment, self.merchant_id, plan)

    @operation
    def create_subscription(
        self,
        plan: Ref,
        customer: Ref,
        *,
        start_date: When | None = None,
        end_date: When | None = None,
        payments: int | None = None,
        amount: int | None = None,
        tip_amount: int | None = None,
        tax_rate_uuids: Iterable[str] | None = None,
        note: str | None = None,
        soft_descriptor: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Spec[Subscription]:
        """``POST /recurring/v1/plans/{id}/subscriptions``: bill the customer's card on file
        from ``start_date`` (default: tomorrow) until ``end_date``, or for ``payments``
        invoices, or until canceled; ``soft_descriptor`` is Clover's ``softDescriptor``
        (``{"dbaName": ...}``)."""
        return recurring.create_subscription(
            self.environment,
            self.merchant_id,
            plan,
            customer,
            start_date=start_date,
            end_date=end_date,
            payments=payments,
            amount=amount,
            tip_amount=tip_amount,
            tax_rate_uuids=tax_rate_uuids,
            note=note,
            soft_descriptor=soft_descriptor,
            idempotency_key=idempotency_key,
        )

    @operation
    def list_subscriptions(
        self, plan: Ref | None = None, limit: int | None = None, offset: int | None = None
    ) -> Spec[list[Subscription]]:
        """``GET /recurring/v1/subscriptions``, or one plan's: a JSON array, newest first;
        ``limit`` (10 to 100) and ``offset`` page it (the kit's: see docs/choices.md)."""
        return recurring.list_subscriptions(self.environment, self.merchant_id, plan, limit, offset)

    @operation
    def get_subscription(self, subscription: Ref) -> Spec[Subscription]:
        """``GET /recurring/v1/subscriptions/{id}``."""
        return recurring.get_subscription(self.environment, self.merchant_id, subscription)

    @operation
    def update_subscription(self, subscription: Ref, **changes: Any) -> Spec[Subscription]:
        """``PUT /recurring/v1/subscriptions/{id}`` with Clover's names: ``amount``,
        ``tipAmount``, ``taxRateUuids``, ``note``, ``startDate`` (before it starts only),
        ``endDate``, ``active``."""
        return recurring.update_subscription(
            self.environment, self.merchant_id, subscription, changes
        )

    @operation
    def cancel_subscription(self, subscription: Ref) -> Spec[Subscription]:
        """``PUT /recurring/v1/subscriptions/{id}`` with ``active: false``, as Clover's page
        cancels (docs/recurring-apis-subscriptions): nothing more is billed."""
        return recurring.cancel_subscription(self.environment, self.merchant_id, subscription)

    @operation
    def list_invoices(
        self, subscription: Ref, limit: int | None = None, offset: int | None = None
    ) -> Spec[ListPage]:
        """A subscription's invoices, oldest first (a local sandbox path)."""
        return recurring.list_invoices(
            self.environment, self.merchant_id, subscription, limit, offset
        )

    def checkout_page_url(self, session: Mapping[str, Any] | CloverObject) -> str:
        """The session's ``href`` as the shopper's browser must open it: the same, except
        for a local sandbox that the browser reaches at another address (a proxy path)."""
        return hosted_checkout.checkout_page_url(self.environment, session)
