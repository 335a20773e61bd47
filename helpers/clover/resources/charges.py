"""Charges (``/v1/charges``): take a payment, read it back, list them, capture an
authorization. Amounts are int cents (https://docs.clover.com/docs/create-a-charge)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from ..objects import CloverObject, ListPage
from ..operation import Calls, operation
from ..spec import Ref, Spec, cents, drop_none, object_id, optional_cents

__all__ = ["Charge", "Charges"]


class Charge(CloverObject):
    """A payment (``POST /v1/charges``); ``amount`` is in cents."""


class Charges(Calls):
    """The calls of ``/v1/charges``."""

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
        tax_rate_uuid: str | None = None,
        ecomind: Literal["ecom", "moto"] | None = None,
        stored_credentials: Mapping[str, Any] | None = None,
        intent: str | None = None,
        threeds: Mapping[str, Any] | None = None,
        partial_redemption: bool | None = None,
        level2: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        customer_ip: str | None = None,
    ) -> Spec[Charge]:
        """``POST /v1/charges``: charge a token, a customer or a multi-pay token.

        ``amount`` (and tip and tax) are int cents. ``capture=False`` only authorizes;
        capture later with :meth:`capture_charge`. ``x-forwarded-for`` carries the
        shopper's IP (``customer_ip``, else the client's), which Clover requires on
        charges. ``stored_credentials`` (see ``stored_credentials(...)``) and
        ``intent="save_credential_on_file"`` charge a card on file; ``threeds``
        (``clover_threeds(...)``) runs 3-D Secure; ``partial_redemption=True`` takes what a
        gift card holds; ``level2`` is purchase card data.
        """
        cents("amount", amount)
        optional_cents("tip_amount", tip_amount)
        optional_cents("tax_amount", tax_amount)
        payload = drop_none(
            {
                "amount": amount,
                "currency": currency,
                "source": object_id(source),
                "capture": capture,
                "description": description,
                "external_reference_id": external_reference_id,
                "receipt_email": receipt_email,
                "metadata": _copy(metadata),
                "tip_amount": tip_amount,
                "tax_amount": tax_amount,
                "tax_rate_uuid": tax_rate_uuid,
                "ecomind": ecomind,
                "stored_credentials": _copy(stored_credentials),
                "intent": intent,
                "threeds": _copy(threeds),
                "partial_redemption": partial_redemption,
                "level2": _copy(level2),
            }
        )
        return Spec(
            "POST",
            f"{self.environment.ecommerce_url}/v1/charges",
            payload,
            idempotency_key=idempotency_key,
            headers={"x-forwarded-for": customer_ip or self.customer_ip},
            read=Charge,
        )

    @operation
    def get_charge(self, charge_id: str) -> Spec[Charge]:
        """``GET /v1/charges/{id}``: a charge as Clover has it now."""
        return Spec("GET", f"{self.environment.ecommerce_url}/v1/charges/{charge_id}", read=Charge)

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
            f"{self.environment.ecommerce_url}/v1/charges",
            params=drop_none(params) or None,
            read=ListPage.of(Charge),
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
        ``receipt_email`` replaces the charge's; ``level2`` is purchase card data
        (https://docs.clover.com/docs/capture-a-charge-tutorial)."""
        optional_cents("amount", amount)
        body = {"amount": amount, "receipt_email": receipt_email, "level2": _copy(level2)}
        return Spec(
            "POST",
            f"{self.environment.ecommerce_url}/v1/charges/{charge_id}/capture",
            drop_none(body),
            idempotency_key=idempotency_key,
            read=Charge,
        )


def _copy(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if value is None else dict(value)
