"""Customers and their cards on file (docs: ecommerce-saving-card, ref: createcustomer).

Saving a `clv_` token to a customer makes it a multi-pay token: the customer's card can be
charged again, by the customer id or by that token, until the card is revoked. The card
itself is stored as its own object (`Kind.CARD`) with the public card facts only.
"""

from __future__ import annotations

import re
from typing import Any

from helpers.sandbox.core.errors import (
    card_already_on_file,
    card_revoked,
    customer_not_found_as_source,
    invalid_source,
    no_card_on_file,
    not_found,
    token_already_used,
    token_saved_elsewhere,
)
from helpers.sandbox.core.ids import ID_ALPHABET
from helpers.sandbox.core.store import Kind, Object, Store
from helpers.sandbox.resources.tokens import model as tokens

ID_SHAPE = re.compile(f"[{ID_ALPHABET}]{{13}}")
CARD_FACTS = ("brand", "first6", "last4", "exp_month", "exp_year")


def token_to_save(store: Store, merchant_id: str, source: str) -> Object:
    """The token a save names in `source`: known, not revoked, and still usable."""
    token = tokens.get(store, merchant_id, source)
    if token is None:
        raise invalid_source()
    if token.get("_revoked"):
        raise card_revoked()
    if token["_used"] and not token.get("_multipay"):
        raise token_already_used(saving=True)
    return token


def _facts(card: Object) -> tuple[str, ...]:
    """What makes two saves the same card (the sandbox keeps no full number to compare)."""
    return tuple(card[name] for name in CARD_FACTS)


def save_card(store: Store, merchant_id: str, customer: Object, token: Object) -> None:
    """Attach the token's card to the customer; the same card twice is a 409."""
    for card_id in customer["sources"]["data"]:
        card = store.get(Kind.CARD, card_id, merchant_id)
        if card is not None and _facts(card) == _facts(token["card"]):
            raise card_already_on_file(
                token["card"]["brand"], token["card"]["last4"], customer["id"], card_id
            )
    if token.get("_card"):
        raise token_saved_elsewhere(token["_card"])
    card = {
        "id": store.sequence.object_id(),
        "object": "card",
        **token["card"],
        "customer": customer["id"],
        "_token": token["id"],
        "_merchant": merchant_id,
    }
    token.update(_multipay=True, _customer=customer["id"], _card=card["id"])
    customer["sources"]["data"].append(card["id"])
    store.put(Kind.CARD, card)
    tokens.save(store, token)


def create(store: Store, merchant_id: str, profile: dict[str, Any], token: Object) -> Object:
    seq = store.sequence
    customer: Object = {
        "id": seq.object_id(),
        "object": "customer",
        "created": seq.created_ms(),
        **profile,
        "sources": {"object": "list", "data": []},
        "_merchant": merchant_id,
    }
    if "name" not in customer and ("firstName" in customer or "lastName" in customer):
        customer["name"] = " ".join(customer.get(n, "") for n in ("firstName", "lastName")).strip()
    save_card(store, merchant_id, customer, token)
    store.put(Kind.CUSTOMER, customer)
    return customer


def get(store: Store, merchant_id: str, customer_id: str, param: str | None = None) -> Object:
    customer = store.get(Kind.CUSTOMER, customer_id, merchant_id)
    if customer is None:
        raise not_found("customer", customer_id, param=param)
    return customer


def exists(store: Store, merchant_id: str, customer_id: str) -> bool:
    return store.get(Kind.CUSTOMER, customer_id, merchant_id) is not None


def save(store: Store, customer: Object) -> None:
    store.put(Kind.CUSTOMER, customer)


def revoke_card(store: Store, merchant_id: str, customer: Object, card_id: str) -> None:
    """The card leaves the customer, and its multi-pay token stops working."""
    card = store.get(Kind.CARD, card_id, merchant_id)
    if card is None or card_id not in customer["sources"]["data"]:
        raise not_found("card", card_id)
    customer["sources"]["data"].remove(card_id)
    card["_revoked"] = True
    token = tokens.get(store, merchant_id, card["_token"])
    if token is not None:
        token["_revoked"] = True
        tokens.save(store, token)
    store.put(Kind.CARD, card)
    store.put(Kind.CUSTOMER, customer)


def is_customer_id(source: str) -> bool:
    return not source.startswith("clv_")


def saved_card(store: Store, merchant_id: str, customer_id: str) -> tuple[Object, Object, Object]:
    """The customer, the card a charge by customer id uses (the newest saved), its token."""
    customer = store.get(Kind.CUSTOMER, customer_id, merchant_id)
    if customer is None:
        if ID_SHAPE.fullmatch(customer_id):
            raise customer_not_found_as_source(customer_id)
        raise invalid_source()
    if not customer["sources"]["data"]:
        raise no_card_on_file(customer_id)
    card = store.get(Kind.CARD, customer["sources"]["data"][-1], merchant_id)
    assert card is not None
    token = tokens.get(store, merchant_id, card["_token"])
    assert token is not None
    return customer, card, token
