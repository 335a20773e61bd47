"""Cards on file: customers, their saved cards, and multi-pay tokens (docs: ecommerce-saving-card).

A ``clv_`` token is single use; saving it to a customer makes it a **multi-pay** token, so
the customer's card can be charged again later, by the customer id (the card saved last)
or by that token with ``stored_credentials``. Clover asks for the customer's consent
before a card is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from ..objects import CloverObject
from ..spec import Ref, Spec, drop_none, object_id, optional_id

if TYPE_CHECKING:
    from ..environments import Environment

__all__ = [
    "Customer",
    "DeletedCard",
    "create_customer",
    "get_customer",
    "revoke_card",
    "stored_credentials",
    "update_customer",
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


def _customers(env: Environment, path: str = "") -> str:
    return f"{env.ecommerce_url}/v1/customers{path}"


def create_customer(
    env: Environment,
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
    """``POST /v1/customers``: the card behind ``source`` saved for a new customer, whose
    ``email`` Clover requires (https://docs.clover.com/docs/ecommerce-saving-card)."""
    body = {
        "source": object_id(source),
        "email": email,
        "firstName": first_name,
        "lastName": last_name,
        "name": name,
        "phone": phone,
        "shipping": dict(shipping) if shipping is not None else None,
    }
    return Spec(
        "POST",
        _customers(env),
        drop_none(body),
        idempotency_key=idempotency_key,
        read=Customer,
    )


def get_customer(env: Environment, customer: Ref) -> Spec[Customer]:
    """``GET /v1/customers/{id}``."""
    return Spec("GET", _customers(env, f"/{object_id(customer)}"), read=Customer)


def update_customer(
    env: Environment, customer: Ref, *, source: Ref | None = None, **details: Any
) -> Spec[Customer]:
    """``PUT /v1/customers/{id}``: new details, or another card with ``source``."""
    body = {**details, "source": optional_id(source)}
    return Spec("PUT", _customers(env, f"/{object_id(customer)}"), drop_none(body), read=Customer)


def revoke_card(env: Environment, customer: Ref, card_id: str) -> Spec[DeletedCard]:
    """``DELETE /v1/customers/{id}/sources/{card}``: the saved card forgotten."""
    return Spec(
        "DELETE", _customers(env, f"/{object_id(customer)}/sources/{card_id}"), read=DeletedCard
    )
