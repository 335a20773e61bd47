"""The merchant app's side of Clover's Ecommerce API: one client, typed answers.

:class:`CloverClient` sends every request through one method, so each of them is
journaled with its secrets masked, every POST carries an idempotency key, and every
non-2xx answer becomes a typed :mod:`helpers.errors` exception a notebook can catch.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal, TypeVar

import httpx

from . import wire
from .cards import Card, mask_last4
from .environments import Environment
from .errors import CloverError
from .journal import Journal, mask_payload
from .limiter import CLOVER_TOKEN_RATE, RateLimiter, limiter_for
from .retries import RetryPolicy, ambiguous

__all__ = [
    "Charge",
    "CloverClient",
    "CloverObject",
    "ListPage",
    "PakmsKey",
    "Refund",
    "Token",
]

Auth = Literal["bearer", "apikey", "none"]
T = TypeVar("T", bound="CloverObject")


class CloverObject(dict[str, Any]):
    """A JSON object from Clover that also reads as attributes: ``charge.source.last4``.

    It stays a ``dict`` (``json.dumps`` works), but its printed forms mask ``clv_`` token
    ids and the ``apiAccessKey``. Keys that clash with dict methods (``items``, ``keys``)
    are read with ``obj["items"]``.
    """

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__()
        for key, value in {**(data or {}), **kwargs}.items():
            self[key] = _wrap(value)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__} has no field {name!r}; fields: {', '.join(self.keys())}"
            ) from None

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | {k for k in self.keys() if k.isidentifier()})

    def to_dict(self) -> dict[str, Any]:
        """A plain ``dict`` copy (unmasked) for code that wants exactly the wire JSON."""
        return json.loads(json.dumps(self))

    def masked(self) -> Any:
        """The JSON with token ids and keys masked, as it is shown."""
        return mask_payload(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__} {json.dumps(self.masked(), indent=2, ensure_ascii=False)}"

    __str__ = __repr__

    def _repr_html_(self) -> str:
        body = html.escape(json.dumps(self.masked(), indent=2, ensure_ascii=False))
        return f"<b>{type(self).__name__}</b><pre>{body}</pre>"


class Charge(CloverObject):
    """A payment (``POST /v1/charges``); ``amount`` is in cents."""


class Token(CloverObject):
    """A single-use ``clv_`` card token from ``POST /v1/tokens``."""


class Refund(CloverObject):
    """A refund, or a void when it refunds an uncaptured authorization."""


class PakmsKey(CloverObject):
    """The merchant's public ``apiAccessKey`` for tokenizing cards (``GET /pakms/apikey``)."""


class ListPage(CloverObject):
    """One page of a list: ``data`` holds the objects, ``has_more`` says if more follow."""

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        return iter(self.get("data", []))

    def __len__(self) -> int:
        return len(self.get("data", []))


def _wrap(value: Any) -> Any:
    if isinstance(value, CloverObject):
        return value
    if isinstance(value, Mapping):
        return CloverObject(value)
    if isinstance(value, list):
        return [_wrap(item) for item in value]
    return value


def _as_page(body: Mapping[str, Any], item_type: type[T]) -> ListPage:
    page = ListPage(body)
    page["data"] = [item_type(item) for item in body.get("data") or []]
    page.setdefault("has_more", False)
    return page


# The resource mixins build on the objects above, so they are imported once those exist.
from .customers import CustomersAPI  # noqa: E402
from .hosted_checkout import HostedCheckoutAPI  # noqa: E402
from .orders import OrdersAPI  # noqa: E402


class CloverClient(CustomersAPI, OrdersAPI, HostedCheckoutAPI):
    """Talks to one Clover environment on behalf of one merchant.

    ``access_token`` is the Bearer of the Ecommerce API: an Ecommerce private key or an
    OAuth access token. ``api_access_key`` is the merchant's public PAKMS key; when it is
    not given, the first call that needs it fetches it with :meth:`get_pakms_key`.

    Failed requests are sent again as ``retries`` allows (see :mod:`helpers.retries`;
    ``RetryPolicy(max_retries=0)`` turns retries off), and requests are spaced to stay
    under ``requests_per_second`` per credential, Clover's 16 by default (None: no limit).
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
        transport: httpx.BaseTransport | None = None,
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
        self._http = httpx.Client(timeout=timeout, transport=transport, verify=wire.tls_context())
        self._sleep: Callable[[float], None] = time.sleep

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def __enter__(self) -> CloverClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        key = mask_last4(self._api_access_key) if self._api_access_key else None
        return (
            f"CloverClient(environment={self.environment.name!r}, "
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

    # -- the one place requests go through --------------------------------------------

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
        reread: Callable[[CloverError], dict[str, Any] | None] | None = None,
    ) -> Any:
        """Send one request, journal it, and return the parsed JSON or raise a CloverError.

        Every POST gets an ``idempotency-key`` (a new uuid4 unless one is passed). When the
        retry policy allows another attempt, the very same request is sent again, same key
        included, so Clover acts at most once. ``reread``, given an ambiguous failure, looks
        for the effect of the request; what it finds is returned instead of retrying.
        """
        request = self._http.build_request(
            method,
            url,
            params=wire.drop_none(params or {}) or None,
            json=json_body,
            headers=wire.request_headers(
                method,
                auth,
                access_token=self.access_token,
                api_access_key=self.api_access_key if auth == "apikey" else None,
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
                return self._send_once(request, json_body, auth)
            except CloverError as error:
                delay = self.retries.delay(error, method=method, idempotency_key=key, retry=retry)
                if delay is None:
                    raise
                if reread is not None and ambiguous(error):
                    found = reread(error)
                    if found is not None:
                        return found
                self._sleep(delay)
                retry += 1

    def _limiter(self, auth: Auth) -> RateLimiter | None:
        """The shared limiter of the credential this request carries."""
        credential = self.access_token if auth == "bearer" else self._api_access_key
        if self.requests_per_second is None or not credential:
            return None
        return limiter_for(credential, self.requests_per_second)

    def _send_once(self, request: httpx.Request, json_body: Any, auth: Auth) -> dict[str, Any]:
        limiter = self._limiter(auth)
        if limiter is not None:
            self._sleep(limiter.reserve())
        started = time.perf_counter()
        try:
            response = self._http.send(request)
        except httpx.TransportError as exc:
            raise wire.connection_failed(self.journal, request, json_body, started, exc) from exc
        return wire.read_answer(self.journal, request, json_body, started, response)

    def _call(self, spec: wire.Spec, **options: Any) -> Any:
        return self._request(spec.method, spec.url, **spec.kwargs(), **options)

    def _ecommerce(self, path: str) -> str:
        return f"{self.environment.ecommerce_url}{path}"

    # -- PAKMS and tokens --------------------------------------------------------------

    @property
    def api_access_key(self) -> str:
        """The merchant's public PAKMS key; fetched once on first use, then cached."""
        if self._api_access_key is None:
            self.get_pakms_key()
        assert self._api_access_key is not None
        return self._api_access_key

    def get_pakms_key(self) -> PakmsKey:
        """``GET /pakms/apikey``: the public key that tokenizes cards for this merchant.

        It does not expire, so an app fetches it once and stores it; the client caches it.
        """
        body = self._request("GET", f"{self.environment.pakms_url}/pakms/apikey")
        key = PakmsKey(body)
        if key.get("apiAccessKey"):
            self._api_access_key = str(key["apiAccessKey"])
        return key

    def create_token(
        self, card: Card | Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Token:
        """``POST /v1/tokens`` on the tokenizer: raw card data in, a single-use ``clv_`` out.

        Authenticated by the public ``apikey`` header, never by the Bearer token.
        """
        return Token(self._call(wire.create_token(self.environment, card, idempotency_key)))

    # -- charges -----------------------------------------------------------------------

    def create_charge(
        self,
        amount: int,
        source: str | Mapping[str, Any],
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
    ) -> Charge:
        """``POST /v1/charges``: charge a token, a customer or a multi-pay token.

        ``amount`` (and tip and tax) are int cents. ``capture=False`` only authorizes;
        capture later with :meth:`capture_charge`. ``x-forwarded-for`` carries the
        shopper's IP, which Clover requires on charges.
        """
        spec = wire.create_charge(
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
        return Charge(self._call(spec))

    def get_charge(self, charge_id: str) -> Charge:
        """``GET /v1/charges/{id}``."""
        return Charge(self._call(wire.get_charge(self.environment, charge_id)))

    def list_charges(
        self,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        customer: str | None = None,
        created_gte: int | None = None,
        created_lte: int | None = None,
    ) -> ListPage:
        """``GET /v1/charges``: one page (``limit`` 1-100); ``created_*`` are Unix ms."""
        spec = wire.list_charges(
            self.environment,
            limit,
            starting_after,
            ending_before,
            customer,
            created_gte,
            created_lte,
        )
        return _as_page(self._call(spec), Charge)

    def iter_charges(self, page_size: int = 100, **filters: Any) -> Iterator[Charge]:
        """Every charge matching the filters of :meth:`list_charges`, page after page."""
        starting_after = filters.pop("starting_after", None)
        while True:
            page = self.list_charges(limit=page_size, starting_after=starting_after, **filters)
            yield from page.data
            if not page.has_more or not page.data:
                return
            starting_after = page.data[-1]["id"]

    def capture_charge(
        self, charge_id: str, amount: int | None = None, *, idempotency_key: str | None = None
    ) -> Charge:
        """``POST /v1/charges/{id}/capture``: capture an authorization, all or part of it."""
        spec = wire.capture_charge(self.environment, charge_id, amount, idempotency_key)
        return Charge(self._call(spec))

    # -- refunds -----------------------------------------------------------------------

    def create_refund(
        self,
        charge: str | Mapping[str, Any],
        amount: int | None = None,
        reason: str | None = None,
        external_reference_id: str | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Refund:
        """``POST /v1/refunds``: refund all (no ``amount``) or part of a charge.

        On an authorization that was never captured this is a void. The refund carries an
        ``external_reference_id`` (yours, or one the client makes): after an ambiguous
        failure (a 5xx, a dropped connection), the client first reads the charge's refunds
        back and returns the refund if it was made, and retries only if it was not.
        """
        spec = wire.create_refund(
            self.environment, charge, amount, reason, external_reference_id, idempotency_key
        )

        def reread(error: CloverError) -> dict[str, Any] | None:
            listing = self._call(
                wire.list_refunds(self.environment, spec.json_body["charge"], limit=100)
            )
            return wire.refund_in(listing, spec)

        return Refund(self._call(spec, reread=reread))

    def get_refund(self, refund_id: str) -> Refund:
        """``GET /v1/refunds/{id}``."""
        return Refund(self._call(wire.get_refund(self.environment, refund_id)))

    def list_refunds(
        self, charge: str | Mapping[str, Any] | None = None, limit: int | None = None
    ) -> ListPage:
        """``GET /v1/refunds``, optionally only those of one charge."""
        return _as_page(self._call(wire.list_refunds(self.environment, charge, limit)), Refund)
