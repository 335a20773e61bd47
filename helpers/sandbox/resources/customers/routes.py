"""`/v1/customers`: cards on file (docs: ecommerce-saving-card, ref: createcustomer).

Saving a `clv_` token to a customer makes it a multi-pay token: the customer's card can be
charged again, by the customer id or by that token, until the card is revoked. The card
itself is stored as its own object (kind `card`) with the public card facts only.
"""

from __future__ import annotations

import re
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import ApiError, invalid_request, not_found
from helpers.sandbox.core.http import Call
from helpers.sandbox.core.ids import ID_ALPHABET
from helpers.sandbox.core.store import Object, public

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
ID_SHAPE = re.compile(f"[{ID_ALPHABET}]{{13}}")
CARD_FACTS = ("brand", "first6", "last4", "exp_month", "exp_year")


def _shipping(body: dict[str, Any]) -> dict[str, Any] | None:
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


def _profile(body: dict[str, Any]) -> dict[str, Any]:
    """The customer's own details from a create or update body, validated."""
    fields.reject_unknown(body, CUSTOMER_FIELDS)
    profile: dict[str, Any] = {"email": fields.email(body, "email")}
    for name, limit in TEXT_LIMITS.items():
        profile[name] = fields.string(body, name, max_length=limit)
    profile["shipping"] = _shipping(body)
    fields.string(body, "ecomind", choices=("ecom", "moto"))
    return {k: v for k, v in profile.items() if v is not None}


def _token_to_save(call: Call, source: str) -> Object:
    token = call.store.get("token", source, call.merchant_id)
    if token is None:
        raise invalid_request("Please provide a valid source or token.", param="source")
    if token.get("_revoked"):
        raise ApiError(
            400,
            "invalid_request_error",
            "card_on_file_missing",
            "The card behind the token in source was revoked; tokenize the card again to save it.",
            param="source",
        )
    if token["_used"] and not token.get("_multipay"):
        raise ApiError(
            400,
            "invalid_request_error",
            "token_already_used",
            "The token in source was already charged, so it cannot be saved: "
            "tokenize the card again, or charge it first with intent "
            "'save_credential_on_file' to keep it usable.",
            param="source",
        )
    return token


def _facts(card: Object) -> tuple[str, ...]:
    """What makes two saves the same card (the sandbox keeps no full number to compare)."""
    return tuple(card[name] for name in CARD_FACTS)


def _save_card(call: Call, customer: Object, token: Object) -> None:
    """Attach the token's card to the customer; the same card twice is a 409."""
    store = call.store
    for card_id in customer["sources"]["data"]:
        card = store.get("card", card_id, call.merchant_id)
        if card is not None and _facts(card) == _facts(token["card"]):
            raise ApiError(
                409,
                "invalid_request_error",
                "invalid_request",
                f"The card in source ({token['card']['brand']} ending "
                f"{token['card']['last4']}) is already on file for customer "
                f"{customer['id']} as card {card_id}.",
                param="source",
            )
    if token.get("_card"):
        raise ApiError(
            409,
            "invalid_request_error",
            "invalid_request",
            f"The token in source is already saved as card {token['_card']} of another customer.",
            param="source",
        )
    card = {
        "id": store.sequence.object_id(),
        "object": "card",
        **token["card"],
        "customer": customer["id"],
        "_token": token["id"],
        "_merchant": call.merchant_id,
    }
    token.update(_multipay=True, _customer=customer["id"], _card=card["id"])
    customer["sources"]["data"].append(card["id"])
    store.put("card", card)
    store.put("token", token)


def create_customer(call: Call) -> Any:
    profile = _profile(call.body)
    source = fields.string(call.body, "source", required=True, max_length=100)
    assert source is not None
    token = _token_to_save(call, source)
    seq = call.store.sequence
    customer: Object = {
        "id": seq.object_id(),
        "object": "customer",
        "created": seq.created_ms(),
        **profile,
        "sources": {"object": "list", "data": []},
        "_merchant": call.merchant_id,
    }
    if "name" not in customer and ("firstName" in customer or "lastName" in customer):
        customer["name"] = " ".join(customer.get(n, "") for n in ("firstName", "lastName")).strip()
    _save_card(call, customer, token)
    call.store.put("customer", customer)
    return public(customer)


def _customer(call: Call, customer_id: str, param: str | None = None) -> Object:
    customer = call.store.get("customer", customer_id, call.merchant_id)
    if customer is None:
        raise not_found("customer", customer_id, param=param)
    return customer


def get_customer(call: Call) -> Any:
    return public(_customer(call, call.path["customer_id"]))


def update_customer(call: Call) -> Any:
    """Change the customer's details and, with `source`, add a card (it becomes the one a
    charge by customer id uses)."""
    customer = _customer(call, call.path["customer_id"])
    profile = _profile(call.body)
    source = fields.string(call.body, "source", max_length=100)
    if source is not None:
        _save_card(call, customer, _token_to_save(call, source))
    customer.update(profile)
    call.store.put("customer", customer)
    return public(customer)


def delete_source(call: Call) -> Any:
    """Revoke a card: it leaves the customer, and its multi-pay token stops working."""
    customer = _customer(call, call.path["customer_id"])
    card_id = call.path["card_id"]
    card = call.store.get("card", card_id, call.merchant_id)
    if card is None or card_id not in customer["sources"]["data"]:
        raise not_found("card", card_id)
    customer["sources"]["data"].remove(card_id)
    card["_revoked"] = True
    token = call.store.get("token", card["_token"], call.merchant_id)
    if token is not None:
        token["_revoked"] = True
        call.store.put("token", token)
    call.store.put("card", card)
    call.store.put("customer", customer)
    return {"deleted": True, "id": card_id, "object": "deletedcard"}


def is_customer_id(source: str) -> bool:
    return not source.startswith("clv_")


def saved_card(call: Call, customer_id: str) -> tuple[Object, Object, Object]:
    """The customer, the card a charge by customer id uses (the newest saved), its token."""
    customer = call.store.get("customer", customer_id, call.merchant_id)
    if customer is None:
        if ID_SHAPE.fullmatch(customer_id):
            raise ApiError(
                404,
                "invalid_request_error",
                "resource_missing",
                f"No such customer: '{customer_id}'. The source must be a clv_ "
                "token or the id of one of your customers.",
                param="source",
            )
        raise invalid_request("Please provide a valid source or token.", param="source")
    if not customer["sources"]["data"]:
        raise ApiError(
            400,
            "invalid_request_error",
            "card_on_file_missing",
            f"Customer {customer_id} has no card on file (it was revoked, or never "
            f"saved): add one with PUT /v1/customers/{customer_id} and a new "
            "source token.",
            param="source",
        )
    card = call.store.get("card", customer["sources"]["data"][-1], call.merchant_id)
    assert card is not None
    token = call.store.get("token", card["_token"], call.merchant_id)
    assert token is not None
    return customer, card, token
