"""`POST /v1/activate`: a physical gift card by its token, or a new virtual card by its
promotion code (docs: gift-card-api, "Activate gift card",
https://docs.clover.com/docs/gift-card-api). A denominated card's `amount` is optional and,
when sent, must be its value; a non-denominated card needs `amount` and `currency`.

The kit's choices (docs/choices.md, Gift cards): the inactive test cards and promotion
codes are model.INACTIVE_GIFT_CARDS and model.PROMOTION_CODES; sending both `source` and
`promotion_code` is refused; a virtual card's number is 7777 and twelve digits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import conflict, invalid_request, missing
from helpers.sandbox.core.store import Kind, Object, Store
from helpers.sandbox.resources.gift_cards import model

FIELDS = ("source", "promotion_code", "amount", "currency")


def activation_request(body: Mapping[str, Any]) -> dict[str, Any]:
    """`{"source" | "promotion_code", "amount"?, "currency"?}`, checked whole."""
    fields.reject_unknown(body, FIELDS)
    source = fields.string(body, "source", max_length=100)
    code = fields.string(body, "promotion_code", max_length=20)
    amount = fields.integer(
        body,
        "amount",
        code="invalid_charge_amount",
        minimum=1,
        maximum=model.MAXIMUM,
        too_large_code="amount_too_large",
    )
    currency = fields.string(body, "currency", choices=("usd", "cad"))
    if source is not None and code is not None:
        raise invalid_request(
            "Send source (a physical card's token) or promotion_code (a new virtual card), "
            "not both.",
            param="promotion_code",
        )
    if source is None and code is None:
        raise missing(
            "source", "Send a gift card token as source, or a promotion_code for a virtual card."
        )
    if amount is not None and currency is None:
        raise missing("currency", "An amount needs its currency, e.g. usd.")
    return {"source": source, "promotion_code": code, "amount": amount}


def _value(denomination: int | None, amount: int | None, what: str) -> int:
    if denomination is None:
        if amount is None:
            raise missing("amount", f"{what} is non-denominated: send the amount to load.")
        return amount
    if amount is not None and amount != denomination:
        raise invalid_request(
            f"amount {amount} is not {what}'s value of {denomination} cents: leave amount "
            "out, or send that value.",
            param="amount",
            code="invalid_charge_amount",
        )
    return denomination


def _answer(store: Store, card: Object, amount: int) -> dict[str, Any]:
    seq = store.sequence
    return {
        "id": seq.object_id(),
        "amount": amount,
        "ref_num": seq.digits(6),
        "outcome": {"network_status": "approved_by_network", "type": "authorized"},
        "paid": True,
        "status": "succeeded",
        "source": {"last4": card["last4"]},
        "gift_card": model.balance_view(card, 0),
    }


def activate_physical(store: Store, token: Object, amount: int | None) -> dict[str, Any]:
    card = model.of_token(store, token, active=False)
    if card.get("active", True):
        raise conflict("source is a gift card that is active already.", param="source")
    value = _value(card.get("_denomination"), amount, "this gift card")
    card.update(active=True, balance=value)
    store.put(Kind.GIFT_CARD, card)
    return _answer(store, card, value)


def activate_virtual(
    store: Store, merchant_id: str, code: str, amount: int | None
) -> dict[str, Any]:
    if code not in model.PROMOTION_CODES:
        known = ", ".join(model.PROMOTION_CODES)
        raise invalid_request(
            f"promotion_code {code} is not one of this merchant's gift card promotions; the "
            f"local sandbox's are {known}.",
            param="promotion_code",
        )
    value = _value(model.PROMOTION_CODES[code], amount, f"promotion {code}")
    number = "7777" + store.sequence.digits(12)
    card = model.open_virtual(store, merchant_id, number, value)
    answer = _answer(store, card, value)
    answer["gift_card"] = {
        "security_card_value": store.sequence.digits(8),
        "expiration_date": model.EXPIRATION_DATE,
        "number": number,
        "previous_balance": 0,
        "new_balance": value,
    }
    return answer
