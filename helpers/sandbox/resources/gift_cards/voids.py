"""Voids of gift card money movements (docs: gift-card-api, "Void of reload or refund" and
"Void of redemption or cashout", https://docs.clover.com/docs/gift-card-api): a reload or
a cashout is voided by `POST /v1/refunds {"charge": ID}` with its id, a refund of a gift
card redemption by `POST /v1/refunds/{id}/cancel`. Each answers `metadata.refundType:
"VOID"` and the card's `previous_balance` and `new_balance`.

The kit's choices (docs/choices.md, Gift cards): a voided refund reads `status:
"canceled"` afterwards; a void that the card's balance cannot bear (the reload already
spent) is refused, changing nothing; a movement is voided once.
"""

from __future__ import annotations

from typing import Any

from helpers.sandbox.core.errors import conflict, invalid_request, not_found
from helpers.sandbox.core.store import Kind, Object, Store
from helpers.sandbox.resources.gift_cards import model

MAXIMUM = model.MAXIMUM


def record(store: Store, merchant_id: str, kind: str, card: Object, answer: dict[str, Any]) -> None:
    """Keep a reload or cashout, under the id its answer showed, so it can be voided."""
    store.put(
        Kind.GIFT_CARD,
        {
            "id": answer["id"],
            "_movement": kind,
            "_account": card["id"],
            "amount": answer["amount"],
            "_merchant": merchant_id,
        },
    )


def movement(store: Store, merchant_id: str, movement_id: str) -> Object | None:
    found = store.get(Kind.GIFT_CARD, movement_id, merchant_id)
    return found if found is not None and found.get("_movement") else None


def _void_answer(store: Store, obj: str, amount: int, charge: str, view: Any) -> Object:
    seq = store.sequence
    return {
        "id": seq.object_id(),
        "object": obj,
        "amount": amount,
        "charge": charge,
        "created": seq.created_ms(),
        "status": "succeeded",
        "metadata": {
            "refundType": "VOID",
            "authCode": seq.auth_code(),
            "refNum": seq.digits(6),
            "gatewayResponseCode": "00",
        },
        "gift_card": view,
    }


def _move(store: Store, card: Object, change: int, param: str, what: str) -> Any:
    previous = int(card["balance"])
    after = previous + change
    if after < 0:
        raise invalid_request(
            f"Voiding this {what} ({param}) would take {-change} cents off the gift card, "
            f"which holds only {previous}: the money was spent since.",
            param=param,
        )
    if after > MAXIMUM:
        raise invalid_request(
            f"Voiding this {what} ({param}) would take the gift card's balance over "
            f"{MAXIMUM} cents.",
            param=param,
            code="amount_too_large",
        )
    card["balance"] = after
    store.put(Kind.GIFT_CARD, card)
    return {**model.balance_view(card, previous), "lock_amount": model.locked(card)}


def void_movement(store: Store, merchant_id: str, found: Object) -> Object:
    """`POST /v1/refunds {"charge": RELOAD_OR_CASHOUT_ID}`: undo it on the card."""
    what = found["_movement"]
    if found.get("_voided"):
        raise conflict(f"This {what}, charge {found['id']}, was voided already.", param="charge")
    card = store.get(Kind.GIFT_CARD, found["_account"], merchant_id)
    assert card is not None
    amount = int(found["amount"])
    change = -amount if what == "reload" else amount
    view = _move(store, card, change, "charge", what)
    found["_voided"] = True
    store.put(Kind.GIFT_CARD, found)
    answer = _void_answer(store, "refund", amount, found["id"], view)
    store.put(Kind.REFUND, {**answer, "currency": "usd", "_merchant": merchant_id})
    return answer


def cancel_refund(store: Store, merchant_id: str, refund_id: str) -> Object:
    """`POST /v1/refunds/{id}/cancel`: take a gift card refund back off the card."""
    refund = store.get(Kind.REFUND, refund_id, merchant_id)
    if refund is None:
        raise not_found("refund", refund_id)
    charge = store.get(Kind.CHARGE, refund["charge"], merchant_id)
    if charge is None or not charge.get("_gift_card"):
        raise invalid_request(
            f"refund_id {refund_id} is not a refund to a gift card: only those are voided "
            "with /cancel (docs: gift-card-api). A card refund stands once made.",
            param="refund_id",
        )
    if refund.get("metadata", {}).get("refundType") != "AUTH":
        raise invalid_request(
            f"refund_id {refund_id} is a void of a lock, not a refund of redeemed money: "
            "there is nothing to cancel. Lock the amount again with a new charge.",
            param="refund_id",
        )
    if refund["status"] == "canceled":
        raise conflict(f"refund_id {refund_id} was voided already.", param="refund_id")
    card = store.get(Kind.GIFT_CARD, charge["_gift_card"], merchant_id)
    assert card is not None
    amount = int(refund["amount"])
    view = _move(store, card, -amount, "refund_id", "refund")
    refund["status"] = "canceled"
    store.put(Kind.REFUND, refund)
    charge["amount_refunded"] -= amount
    charge["refunded"] = False
    store.put(Kind.CHARGE, charge)
    return _void_answer(store, "void_on_refund", amount, charge["id"], view)
