"""The merchant app's side of Clover's Ecommerce API: one client, typed answers.

:class:`CloverClient` sends every request through one method, so each of them is
journaled with its secrets masked, every POST carries an idempotency key, and every
non-2xx answer becomes a typed :mod:`helpers.errors` exception a notebook can catch.
"""

from __future__ import annotations

import html
import json
import time
import uuid
from collections.abc import Iterator, Mapping
from typing import Any, Literal, TypeVar

import httpx

from .cards import Card, mask_last4
from .environments import Environment
from .errors import APIConnectionError, APIError, error_from_response
from .journal import Journal, mask_payload

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


def _source_id(source: str | Mapping[str, Any]) -> str:
    if isinstance(source, Mapping):
        return str(source["id"])
    return source


def _cents(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{name} is an int number of cents (1358 for $13.58), not {value!r}"
        )


def _drop_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


class CloverClient:
    """Talks to one Clover environment on behalf of one merchant.

    ``access_token`` is the Bearer of the Ecommerce API: an Ecommerce private key or an
    OAuth access token. ``api_access_key`` is the merchant's public PAKMS key; when it is
    not given, the first call that needs it fetches it with :meth:`get_pakms_key`.
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
    ) -> None:
        self.environment = environment
        self.access_token = access_token
        self.merchant_id = merchant_id
        self._api_access_key = api_access_key
        self.journal = journal if journal is not None else Journal()
        self.customer_ip = customer_ip
        self._http = httpx.Client(timeout=timeout, transport=transport)

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
    ) -> Any:
        """Send one request, journal it, and return the parsed JSON or raise a CloverError.

        Every POST gets an ``idempotency-key`` (a new uuid4 unless one is passed); a retry
        passes the same key again so Clover acts at most once.
        """
        request_headers: dict[str, str] = {"Accept": "application/json"}
        if auth == "bearer":
            request_headers["Authorization"] = f"Bearer {self.access_token}"
        elif auth == "apikey":
            request_headers["apikey"] = self.api_access_key
        if method.upper() == "POST":
            request_headers["idempotency-key"] = idempotency_key or str(uuid.uuid4())
        request_headers.update(headers or {})
        key = request_headers.get("idempotency-key")

        request = self._http.build_request(
            method,
            url,
            params=_drop_none(params or {}) or None,
            json=json_body,
            headers=request_headers,
        )
        sent_headers = [(name.decode(), value.decode()) for name, value in request.headers.raw]
        started = time.perf_counter()
        try:
            response = self._http.send(request)
        except httpx.TransportError as exc:
            elapsed = (time.perf_counter() - started) * 1000
            reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
            self.journal.record(
                method=method,
                url=str(request.url),
                request_headers=sent_headers,
                request_json=json_body,
                duration_ms=elapsed,
                error=reason,
            )
            raise APIConnectionError(
                f"no answer from {request.url.host} ({reason})",
                type="api_connection_error",
                idempotency_key=key,
            ) from exc
        elapsed = (time.perf_counter() - started) * 1000

        body: Any
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = response.text
        self.journal.record(
            method=method,
            url=str(request.url),
            request_headers=sent_headers,
            request_json=json_body,
            status=response.status_code,
            response_json=body,
            duration_ms=elapsed,
            response_headers=dict(response.headers),
        )
        if not response.is_success:
            raise error_from_response(
                response.status_code, body, dict(response.headers), idempotency_key=key
            )
        if not isinstance(body, dict):
            raise APIError(
                f"expected a JSON object from {request.url.path}, got {str(body)[:80]!r}",
                status=response.status_code,
                body=body,
                idempotency_key=key,
            )
        return body

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
        if isinstance(card, Card):
            payload: dict[str, Any] = {"card": card.to_wire()}
        elif "card" in card:
            payload = dict(card)
        else:
            payload = {"card": dict(card)}
        body = self._request(
            "POST",
            f"{self.environment.tokenizer_url}/v1/tokens",
            json_body=payload,
            auth="apikey",
            idempotency_key=idempotency_key,
        )
        return Token(body)

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
        _cents("amount", amount)
        for name, value in (("tip_amount", tip_amount), ("tax_amount", tax_amount)):
            if value is not None:
                _cents(name, value)
        payload = _drop_none(
            {
                "amount": amount,
                "currency": currency,
                "source": _source_id(source),
                "capture": capture,
                "description": description,
                "external_reference_id": external_reference_id,
                "receipt_email": receipt_email,
                "metadata": dict(metadata) if metadata is not None else None,
                "tip_amount": tip_amount,
                "tax_amount": tax_amount,
                "ecomind": ecomind,
                **extra,
            }
        )
        body = self._request(
            "POST",
            self._ecommerce("/v1/charges"),
            json_body=payload,
            idempotency_key=idempotency_key,
            headers={"x-forwarded-for": customer_ip or self.customer_ip},
        )
        return Charge(body)

    def get_charge(self, charge_id: str) -> Charge:
        """``GET /v1/charges/{id}``."""
        return Charge(self._request("GET", self._ecommerce(f"/v1/charges/{charge_id}")))

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
        params = {
            "limit": limit,
            "starting_after": starting_after,
            "ending_before": ending_before,
            "customer": customer,
            "created[gte]": created_gte,
            "created[lte]": created_lte,
        }
        body = self._request("GET", self._ecommerce("/v1/charges"), params=params)
        return _as_page(body, Charge)

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
        if amount is not None:
            _cents("amount", amount)
        body = self._request(
            "POST",
            self._ecommerce(f"/v1/charges/{charge_id}/capture"),
            json_body=_drop_none({"amount": amount}),
            idempotency_key=idempotency_key,
        )
        return Charge(body)

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

        On an authorization that was never captured this is a void.
        """
        if amount is not None:
            _cents("amount", amount)
        payload = _drop_none(
            {
                "charge": _source_id(charge),
                "amount": amount,
                "reason": reason,
                "external_reference_id": external_reference_id,
            }
        )
        body = self._request(
            "POST",
            self._ecommerce("/v1/refunds"),
            json_body=payload,
            idempotency_key=idempotency_key,
        )
        return Refund(body)

    def get_refund(self, refund_id: str) -> Refund:
        """``GET /v1/refunds/{id}``."""
        return Refund(self._request("GET", self._ecommerce(f"/v1/refunds/{refund_id}")))

    def list_refunds(
        self, charge: str | Mapping[str, Any] | None = None, limit: int | None = None
    ) -> ListPage:
        """``GET /v1/refunds``, optionally only those of one charge."""
        params = {
            "charge": _source_id(charge) if charge is not None else None,
            "limit": limit,
        }
        body = self._request("GET", self._ecommerce("/v1/refunds"), params=params)
        return _as_page(body, Refund)
