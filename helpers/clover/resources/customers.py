"""Cards on file: customers, their saved cards, and multi-pay tokens (docs: ecommerce-saving-card).

A ``clv_`` token is single use; saving it to a customer makes it a **multi-pay** token, so
the customer's card can be charged again later, by the customer id (the card saved last)
or by that token with ``stored_credentials``. Clover asks for the customer's consent
before a card is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from ..objects import CloverObject
from ..operation import Calls, operation
from ..spec import Ref, Spec, drop_none, object_id, optional_id

__all__ = [
    "Customer",
    "Customers",
    "DeletedCard",
    "stored_credentials",
]


class Customer(CloverObject):
    """A card-on-file customer; ``sources.data`` lists the ids of the cards saved."""


class DeletedCard(CloverObject):
    """The answer to revoking a card: ``{"deleted": true, "id", "object": "deletedcard"}``."""


def stored_credentials(
    sequence: Literal["FIRST", "SUBSEQUENT"],
    initiator: Literal["CARDHOLDER", "MERCHANT"],
    *,
    is_scheduled: bool = False,
) -> dict[str, Any]:
    """The ``stored_credentials`` of a charge on a saved card: which use of the card this
    is (the ``FIRST`` or a ``SUBSEQUENT`` one), who started it (the shopper at checkout, or
    the merchant, as for a subscription), and whether it follows a schedule."""
    return {"sequence": sequence, "is_scheduled": is_scheduled, "initiator": initiator}


def _url(calls: Calls, path: str = "") -> str:
    return f"{calls.environment.ecommerce_url}/v1/customers{path}"


def _details(
    email: str | None,
    first_name: str | None,
    last_name: str | None,
    name: str | None,
    phone: str | None,
    shipping: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """A customer's details in Clover's names (firstName, lastName...)."""
    return {
        "email": email,
        "firstName": first_name,
        "lastName": last_name,
        "name": name,
        "phone": phone,
        "shipping": dict(shipping) if shipping is not None else None,
    }


class Customers(Calls):
    """The calls of ``/v1/customers`` (https://docs.clover.com/docs/ecommerce-saving-card)."""

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
        details = _details(email, first_name, last_name, name, phone, shipping)
        body = {"source": object_id(source), **details}
        return Spec(
            "POST", _url(self), drop_none(body), idempotency_key=idempotency_key, read=Customer
        )

    @operation
    def get_customer(self, customer: Ref) -> Spec[Customer]:
        """``GET /v1/customers/{id}``."""
        return Spec("GET", _url(self, f"/{object_id(customer)}"), read=Customer)

    @operation
    def update_customer(
        self,
        customer: Ref,
        *,
        source: Ref | None = None,
        email: str | None = None,
        firstName: str | None = None,
        lastName: str | None = None,
        name: str | None = None,
        phone: str | None = None,
        shipping: Mapping[str, Any] | None = None,
    ) -> Spec[Customer]:
        """``PUT /v1/customers/{id}`` with Clover's names: change details (``email``,
        ``firstName``, ``lastName``, ``name``, ``phone``, ``shipping``) and, with
        ``source``, save another card; charges by customer id then use that card. Saving
        a card the customer already has answers 409."""
        details = _details(email, firstName, lastName, name, phone, shipping)
        body = {**details, "source": optional_id(source)}
        return Spec("PUT", _url(self, f"/{object_id(customer)}"), drop_none(body), read=Customer)

    @operation
    def revoke_card(self, customer: Ref, card_id: str) -> Spec[DeletedCard]:
        """``DELETE /v1/customers/{id}/sources/{card}``: forget a saved card. Its multi-pay
        token stops working too; the customer must give their card again."""
        path = f"/{object_id(customer)}/sources/{card_id}"
        return Spec("DELETE", _url(self, path), read=DeletedCard)
