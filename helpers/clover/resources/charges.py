"""Charges (``/v1/charges``): take a payment, read it back, list them, capture an
authorization. Amounts are int cents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..objects import CloverObject, ListPage
from ..spec import Ref, Spec, cents, drop_none, object_id, optional_cents

if TYPE_CHECKING:
    from ..environments import Environment

__all__ = ["Charge", "capture_charge", "create_charge", "get_charge", "list_charges"]


class Charge(CloverObject):
    """A payment (``POST /v1/charges``); ``amount`` is in cents."""


def create_charge(
    env: Environment,
    amount: int,
    source: Ref,
    *,
    customer_ip: str,
    currency: str = "usd",
    capture: bool = True,
    metadata: Mapping[str, Any] | None = None,
    tip_amount: int | None = None,
    tax_amount: int | None = None,
    idempotency_key: str | None = None,
    **options: Any,
) -> Spec[Charge]:
    """``POST /v1/charges``; ``x-forwarded-for`` carries the shopper's IP, as Clover asks."""
    cents("amount", amount)
    optional_cents("tip_amount", tip_amount)
    optional_cents("tax_amount", tax_amount)
    payload = drop_none(
        {
            "amount": amount,
            "currency": currency,
            "source": object_id(source),
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
        read=Charge,
    )


def get_charge(env: Environment, charge_id: str) -> Spec[Charge]:
    """``GET /v1/charges/{id}``: a charge as Clover has it now."""
    return Spec("GET", f"{env.ecommerce_url}/v1/charges/{charge_id}", read=Charge)


def list_charges(
    env: Environment,
    limit: int | None = None,
    starting_after: str | None = None,
    ending_before: str | None = None,
    customer: str | None = None,
    created_gte: int | None = None,
    created_lte: int | None = None,
) -> Spec[ListPage]:
    """``GET /v1/charges``: one page, the filters given and no others."""
    params = {
        "limit": limit,
        "starting_after": starting_after,
        "ending_before": ending_before,
        "customer": customer,
        "created.gte": created_gte,  # Clover's form (docs: get-charges)
        "created.lte": created_lte,
    }
    return Spec(
        "GET",
        f"{env.ecommerce_url}/v1/charges",
        params=drop_none(params) or None,
        read=ListPage.of(Charge),
    )


def capture_charge(
    env: Environment,
    charge_id: str,
    amount: int | None,
    idempotency_key: str | None,
    receipt_email: str | None = None,
    level2: Mapping[str, Any] | None = None,
) -> Spec[Charge]:
    """``POST /v1/charges/{id}/capture``: all of an authorization, or ``amount`` of it;
    ``receipt_email`` replaces the charge's; ``level2`` is purchase card data (docs:
    capture-a-charge-tutorial)."""
    optional_cents("amount", amount)
    body = {
        "amount": amount,
        "receipt_email": receipt_email,
        "level2": dict(level2) if level2 is not None else None,
    }
    return Spec(
        "POST",
        f"{env.ecommerce_url}/v1/charges/{charge_id}/capture",
        drop_none(body),
        idempotency_key=idempotency_key,
        read=Charge,
    )
