"""What the sync and the async client share: the bytes of each request, the reading of
each answer. Only how they wait differs, so everything else lives here, once.

A :class:`Spec` is one Ecommerce call, built from Python arguments (cents checked, ids
taken from objects, empty options left out); ``send_parts`` and ``read_answer`` turn it
into headers and its answer into JSON or a typed error, journaling both.
"""

from __future__ import annotations

import functools
import ssl
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import httpx

from .cards import Card
from .errors import APIConnectionError, APIError, error_from_response
from .journal import Journal

if TYPE_CHECKING:
    from .environments import Environment

Auth = Literal["bearer", "apikey", "none"]


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings every HTTP client of the kit shares (``verify=tls_context()``).

    httpx builds a fresh context for each client it makes, reading the whole CA bundle:
    about 45 ms, paid by every client, every local control call and every simulated
    browser. Built once, a client costs a fraction of a millisecond.
    """
    return httpx.create_ssl_context()


@dataclass(frozen=True)
class Spec:
    """One call, ready for a client's ``_request``."""

    method: str
    url: str
    json_body: Mapping[str, Any] | None = None
    params: Mapping[str, Any] | None = None
    auth: Auth = "bearer"
    idempotency_key: str | None = None
    headers: Mapping[str, str] | None = None

    def kwargs(self) -> dict[str, Any]:
        return {
            "json_body": self.json_body,
            "params": self.params,
            "auth": self.auth,
            "idempotency_key": self.idempotency_key,
            "headers": self.headers,
        }


def source_id(source: str | Mapping[str, Any]) -> str:
    if isinstance(source, Mapping):
        return str(source["id"])
    return source


def cents(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} is an int number of cents (1358 for $13.58), not {value!r}")


def drop_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


# -- requests and answers -------------------------------------------------------------


def request_headers(
    method: str,
    auth: Auth,
    *,
    access_token: str,
    api_access_key: str | None,
    idempotency_key: str | None,
    extra: Mapping[str, str] | None,
) -> dict[str, str]:
    """Accept, the credential, and for every POST an idempotency key (a new uuid4 unless
    one is given): a retry reuses the headers, so it reuses the key."""
    headers: dict[str, str] = {"Accept": "application/json"}
    if auth == "bearer":
        headers["Authorization"] = f"Bearer {access_token}"
    elif auth == "apikey":
        assert api_access_key is not None
        headers["apikey"] = api_access_key
    if method.upper() == "POST":
        headers["idempotency-key"] = idempotency_key or str(uuid.uuid4())
    headers.update(extra or {})
    return headers


def sent_headers(request: httpx.Request) -> list[tuple[str, str]]:
    return [(name.decode(), value.decode()) for name, value in request.headers.raw]


def connection_failed(
    journal: Journal,
    request: httpx.Request,
    json_body: Any,
    started: float,
    exc: httpx.TransportError,
) -> APIConnectionError:
    """Journal a request that got no answer; the error to raise for it."""
    reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
    journal.record(
        method=request.method,
        url=str(request.url),
        request_headers=sent_headers(request),
        request_json=json_body,
        duration_ms=(time.perf_counter() - started) * 1000,
        error=reason,
    )
    return APIConnectionError(
        f"no answer from {request.url.host} ({reason})",
        type="api_connection_error",
        idempotency_key=request.headers.get("idempotency-key"),
    )


def read_answer(
    journal: Journal,
    request: httpx.Request,
    json_body: Any,
    started: float,
    response: httpx.Response,
) -> dict[str, Any]:
    """Journal the exchange; the answer's JSON object, or the matching CloverError."""
    elapsed = (time.perf_counter() - started) * 1000
    key = request.headers.get("idempotency-key")
    body: Any
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = response.text
    journal.record(
        method=request.method,
        url=str(request.url),
        request_headers=sent_headers(request),
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


# -- the calls both clients make ------------------------------------------------------


def create_token(
    env: Environment, card: Card | Mapping[str, Any], idempotency_key: str | None
) -> Spec:
    if isinstance(card, Card):
        payload: dict[str, Any] = {"card": card.to_wire()}
    elif "card" in card:
        payload = dict(card)
    else:
        payload = {"card": dict(card)}
    return Spec(
        "POST",
        f"{env.tokenizer_url}/v1/tokens",
        payload,
        auth="apikey",
        idempotency_key=idempotency_key,
    )


def create_charge(
    env: Environment,
    amount: int,
    source: str | Mapping[str, Any],
    *,
    customer_ip: str,
    currency: str = "usd",
    capture: bool = True,
    metadata: Mapping[str, Any] | None = None,
    tip_amount: int | None = None,
    tax_amount: int | None = None,
    idempotency_key: str | None = None,
    **options: Any,
) -> Spec:
    cents("amount", amount)
    for name, value in (("tip_amount", tip_amount), ("tax_amount", tax_amount)):
        if value is not None:
            cents(name, value)
    payload = drop_none(
        {
            "amount": amount,
            "currency": currency,
            "source": source_id(source),
            "capture": capture,
            **options,
            "metadata": dict(metadata) if metadata is not None else None,
            "tip_amount": tip_amount,
            "tax_amount": tax_amount,
        }
    )
    return Spec(
        "POST",
        f"{env.ecommerce_url}/v1/charges",
        payload,
        idempotency_key=idempotency_key,
        headers={"x-forwarded-for": customer_ip},
    )


def get_charge(env: Environment, charge_id: str) -> Spec:
    return Spec("GET", f"{env.ecommerce_url}/v1/charges/{charge_id}")


def list_charges(
    env: Environment,
    limit: int | None = None,
    starting_after: str | None = None,
    ending_before: str | None = None,
    customer: str | None = None,
    created_gte: int | None = None,
    created_lte: int | None = None,
) -> Spec:
    params = {
        "limit": limit,
        "starting_after": starting_after,
        "ending_before": ending_before,
        "customer": customer,
        "created[gte]": created_gte,
        "created[lte]": created_lte,
    }
    return Spec("GET", f"{env.ecommerce_url}/v1/charges", params=drop_none(params) or None)


def capture_charge(
    env: Environment, charge_id: str, amount: int | None, idempotency_key: str | None
) -> Spec:
    if amount is not None:
        cents("amount", amount)
    return Spec(
        "POST",
        f"{env.ecommerce_url}/v1/charges/{charge_id}/capture",
        drop_none({"amount": amount}),
        idempotency_key=idempotency_key,
    )


def create_refund(
    env: Environment,
    charge: str | Mapping[str, Any],
    amount: int | None,
    reason: str | None,
    external_reference_id: str | None,
    idempotency_key: str | None,
) -> Spec:
    """The refund carries an ``external_reference_id`` (yours, or one made from the
    idempotency key), so that after an ambiguous failure it can be found again."""
    if amount is not None:
        cents("amount", amount)
    key = idempotency_key or str(uuid.uuid4())
    reference = external_reference_id or "R" + key.replace("-", "")[-11:].upper()
    payload = drop_none(
        {
            "charge": source_id(charge),
            "amount": amount,
            "reason": reason,
            "external_reference_id": reference,
        }
    )
    return Spec("POST", f"{env.ecommerce_url}/v1/refunds", payload, idempotency_key=key)


def get_refund(env: Environment, refund_id: str) -> Spec:
    return Spec("GET", f"{env.ecommerce_url}/v1/refunds/{refund_id}")


def list_refunds(
    env: Environment, charge: str | Mapping[str, Any] | None = None, limit: int | None = None
) -> Spec:
    params = drop_none(
        {"charge": source_id(charge) if charge is not None else None, "limit": limit}
    )
    return Spec("GET", f"{env.ecommerce_url}/v1/refunds", params=params or None)


def refund_in(listing: Mapping[str, Any], refund: Spec) -> dict[str, Any] | None:
    """The refund of ``listing`` (a refunds page of the same charge) that ``refund`` made."""
    assert refund.json_body is not None
    reference = refund.json_body["external_reference_id"]
    for candidate in listing.get("data") or []:
        if candidate.get("external_reference_id") == reference:
            return dict(candidate)
    return None
