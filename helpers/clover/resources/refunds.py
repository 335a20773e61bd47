"""Refunds (``/v1/refunds``): give back all or part of a charge; on an authorization
never captured, a refund is a void (https://docs.clover.com/docs/ecommerce-refunding-payments)."""

from __future__ import annotations

import uuid
from typing import Any

from ..objects import CloverObject, ListPage
from ..operation import Calls, operation
from ..spec import Recovery, Ref, Spec, drop_none, object_id, optional_cents

__all__ = ["Refund", "Refunds", "refund_in"]


class Refund(CloverObject):
    """A refund, or a void when it refunds an uncaptured authorization."""


class Refunds(Calls):
    """The calls of ``/v1/refunds``."""

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
        ``external_reference_id`` (yours, or one made from the idempotency key): after an
        ambiguous failure (a 5xx, a dropped connection), the client first reads the
        charge's refunds back and returns the refund if it was made, and retries only if
        it was not.
        """
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
        lookup = Refunds.list_refunds.spec(self, charge_id, limit=100)
        return Spec(
            "POST",
            f"{self.environment.ecommerce_url}/v1/refunds",
            payload,
            idempotency_key=key,
            read=Refund,
            recovery=Recovery(lookup, lambda page: refund_in(page, reference)),
        )

    @operation
    def get_refund(self, refund_id: str) -> Spec[Refund]:
        """``GET /v1/refunds/{id}``."""
        return Spec("GET", f"{self.environment.ecommerce_url}/v1/refunds/{refund_id}", read=Refund)

    @operation
    def list_refunds(
        self, charge: Ref | None = None, limit: int | None = None, starting_after: str | None = None
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
            "GET",
            f"{self.environment.ecommerce_url}/v1/refunds",
            params=params or None,
            read=ListPage.of(Refund),
        )


def refund_in(page: ListPage, reference: str) -> dict[str, Any] | None:
    """The refund of ``page`` (the refunds of one charge) carrying ``reference``."""
    for candidate in page:
        if candidate.get("external_reference_id") == reference:
            return candidate.to_dict()
    return None
