"""Refunds (``/v1/refunds``): give back all or part of a charge; on an authorization
never captured, a refund is a void."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from ..objects import CloverObject, ListPage
from ..spec import Recovery, Ref, Spec, drop_none, object_id, optional_cents

if TYPE_CHECKING:
    from ..environments import Environment

__all__ = ["Refund", "create_refund", "get_refund", "list_refunds", "refund_in"]


class Refund(CloverObject):
    """A refund, or a void when it refunds an uncaptured authorization."""


def create_refund(
    env: Environment,
    charge: Ref,
    amount: int | None,
    reason: str | None,
    external_reference_id: str | None,
    idempotency_key: str | None,
) -> Spec[Refund]:
    """The refund carries an ``external_reference_id`` (yours, or one made from the
    idempotency key), so that after an ambiguous failure it can be found again among the
    charge's refunds before anything is sent twice."""
    optional_cents("amount", amount)
    key = idempotency_key or str(uuid.uuid4())
    reference = external_reference_id or "R" + key.replace("-", "")[-11:].upper()
    charge_id = object_id(charge)
    payload = drop_none(
        {
            "charge": charge_id,
            "amount": amount,
            "reason": reason,
            "external_reference_id": reference,
        }
    )
    return Spec(
        "POST",
        f"{env.ecommerce_url}/v1/refunds",
        payload,
        idempotency_key=key,
        read=Refund,
        recovery=Recovery(
            list_refunds(env, charge_id, limit=100), lambda page: refund_in(page, reference)
        ),
    )


def get_refund(env: Environment, refund_id: str) -> Spec[Refund]:
    """``GET /v1/refunds/{id}``."""
    return Spec("GET", f"{env.ecommerce_url}/v1/refunds/{refund_id}", read=Refund)


def list_refunds(
    env: Environment,
    charge: Ref | None = None,
    limit: int | None = None,
    starting_after: str | None = None,
) -> Spec[ListPage]:
    """``GET /v1/refunds``, of one charge when ``charge`` is given; newest first, a page
    at a time (``starting_after``: the last id of the page before)."""
    params = drop_none(
        {
            "charge": object_id(charge) if charge is not None else None,
            "limit": limit,
            "starting_after": starting_after,
        }
    )
    return Spec(
        "GET", f"{env.ecommerce_url}/v1/refunds", params=params or None, read=ListPage.of(Refund)
    )


def refund_in(page: ListPage, reference: str) -> dict[str, Any] | None:
    """The refund of ``page`` (the refunds of one charge) carrying ``reference``."""
    for candidate in page:
        if candidate.get("external_reference_id") == reference:
            return candidate.to_dict()
    return None
