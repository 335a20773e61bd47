"""`/v1/customers`: cards on file (docs: ecommerce-saving-card, ref: createcustomer).

A new customer needs an `email`: Clover's page lists it as required on `POST /v1/customers`
(https://docs.clover.com/docs/ecommerce-saving-card); an update may leave it out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import missing
from helpers.sandbox.core.http import Call
from helpers.sandbox.core.probe import Probe
from helpers.sandbox.core.store import public
from helpers.sandbox.resources.customers import model

CUSTOMER_FIELDS = (
    "email",
    "firstName",
    "lastName",
    "name",
    "phone",
    "source",
    "shipping",
    "ecomind",
)
TEXT_LIMITS = {"firstName": 64, "lastName": 64, "name": 128, "phone": 32}
SHIPPING_FIELDS = ("name", "phone", "address")
ADDRESS_FIELDS = ("line1", "line2", "city", "state", "postal_code", "country")


def shipping(body: Mapping[str, Any]) -> dict[str, Any] | None:
    """A `shipping` object (name, phone, address), checked; orders take it too."""
    shipping = fields.mapping(body, "shipping")
    if shipping is None:
        return None
    fields.reject_unknown(shipping, SHIPPING_FIELDS, prefix="shipping")
    fields.string(shipping, "name", max_length=128, prefix="shipping")
    fields.string(shipping, "phone", max_length=32, prefix="shipping")
    address = fields.mapping(shipping, "address", prefix="shipping")
    if address is not None:
        fields.reject_unknown(address, ADDRESS_FIELDS, prefix="shipping.address")
        for name in ADDRESS_FIELDS:
            fields.string(address, name, max_length=100, prefix="shipping.address")
    return shipping


def _profile(body: Mapping[str, Any], new: bool = False) -> dict[str, Any]:
    """The customer's own details from a create (``new``) or update body, validated."""
    fields.reject_unknown(body, CUSTOMER_FIELDS)
    if new and not isinstance(body, Probe):
        email = body.get("email")
        if email is None or (isinstance(email, str) and not email.strip()):
            raise missing(
                "email",
                "A new customer needs the customer's email address, e.g. "
                '"email": "ada@example.com".',
            )
    profile: dict[str, Any] = {"email": fields.email(body, "email", required=new)}
    for name, limit in TEXT_LIMITS.items():
        profile[name] = fields.string(body, name, max_length=limit)
    profile["shipping"] = shipping(body)
    fields.string(body, "ecomind", choices=("ecom", "moto"))
    return {k: v for k, v in profile.items() if v is not None}


def create_request(body: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """A new customer's details and the token of its first card (ref: createcustomer)."""
    profile = _profile(body, new=True)
    source = fields.string(body, "source", required=True, max_length=100)
    assert source is not None
    return profile, source


def update_request(body: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """New details, and the token of a card to add, if any (ref: updatecustomer)."""
    return _profile(body), fields.string(body, "source", max_length=100)


def create_customer(call: Call) -> Any:
    profile, source = create_request(call.body)
    token = model.token_to_save(call.store, call.merchant_id, source)
    return public(model.create(call.store, call.merchant_id, profile, token))


def get_customer(call: Call) -> Any:
    return public(model.get(call.store, call.merchant_id, call.path["customer_id"]))


def update_customer(call: Call) -> Any:
    """Change the customer's details and, with `source`, add a card (it becomes the one a
    charge by customer id uses)."""
    store, merchant_id = call.store, call.merchant_id
    customer = model.get(store, merchant_id, call.path["customer_id"])
    profile, source = update_request(call.body)
    if source is not None:
        model.save_card(
            store, merchant_id, customer, model.token_to_save(store, merchant_id, source)
        )
    customer.update(profile)
    model.save(store, customer)
    return public(customer)


def delete_source(call: Call) -> Any:
    """Revoke a card: it leaves the customer, and its multi-pay token stops working."""
    customer = model.get(call.store, call.merchant_id, call.path["customer_id"])
    card_id = call.path["card_id"]
    model.revoke_card(call.store, call.merchant_id, customer, card_id)
    return {"deleted": True, "id": card_id, "object": "deletedcard"}
