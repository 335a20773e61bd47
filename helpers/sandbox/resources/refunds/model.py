"""Refunds of captured money, and voids of authorizations (ref: createrefund).

A refund of an uncaptured authorization releases it (a void, `refundType: PREAUTH`);
otherwise refunds are limited to what was captured and not yet refunded, and a charge
with a tax or tip amount is refunded whole or not at all (docs: ecommerce-refunding-payments,
https://docs.clover.com/docs/ecommerce-refunding-payments). Order returns
refund through `create` too. A refund of a gift card charge puts the money back on that
gift card (docs: ecomm-void-and-refund-for-a-gift-card,
https://docs.clover.com/dev/docs/ecomm-void-and-refund-for-a-gift-card).
"""

from __future__ import annotations

from helpers.sandbox.core.errors import (
    charge_already_refunded,
    invalid_request,
    not_found,
    processing_error,
)
from helpers.sandbox.core.money import MAX_AMOUNT
from helpers.sandbox.core.store import Kind, Object, Store, public
from helpers.sandbox.resources.ach import model as ach
from helpers.sandbox.resources.charges import model as charges
from helpers.sandbox.resources.gift_cards import model as gift_cards
from helpers.sandbox.resources.gift_cards import voids as gift_card_voids


def create(
    store: Store,
    merchant_id: str,
    charge_id: str,
    requested: int | None = None,
    reason: str | None = None,
    reference: str | None = None,
) -> Object:
    """Refund `requested` cents of the charge (all that is left when None), or void it;
    the id of a gift card reload or cashout voids that (gift_cards/voids.py)."""
    movement = gift_card_voids.movement(store, merchant_id, charge_id)
    if movement is not None:
        return gift_card_voids.void_movement(store, merchant_id, movement)
    charge = charges.get(store, merchant_id, charge_id, param="charge")
    if charge["status"] == "failed":
        raise processing_error(f"Charge {charge_id} was declined; there is nothing to refund.")
    if charge["refunded"]:
        raise charge_already_refunded(charge_id)
    if charge["status"] == "pending" and charge.get("_pending"):  # threeds/model.py
        raise processing_error(
            f"Charge {charge_id} waits for 3-D Secure, so nothing is authorized yet: finalize "
            "it (POST /v1/charges/finalize_payment); a declined one needs no refund."
        )
    unsettled = ach.refusal_before_settlement(charge)
    if unsettled is not None:
        raise unsettled
    if charge["captured"]:
        kind = "AUTH"
        left = charge["amount_captured"] - charge["amount_refunded"]
        refunded = left if requested is None else requested
        if refunded < left and (charge.get("tax_amount") or charge.get("tip_amount")):
            # docs: ecommerce-refunding-payments: /v1/refunds does not refund part of a
            # charge with tax or a tip (https://docs.clover.com/docs/ecommerce-refunding-payments)
            raise invalid_request(
                f"Charge {charge_id} has a tax or tip amount: /v1/refunds refunds all of it "
                "or nothing. Leave out amount; to refund part of a sale, take it as an order "
                "(POST /v1/orders, then /pay) and return items with POST /v1/orders/{id}/returns.",
                param="amount",
            )
        if refunded > left:
            raise processing_error(
                f"amount {refunded} is more than the {left} cents left to refund on charge "
                f"{charge_id}."
            )
    else:
        kind = "PREAUTH"
        refunded = charge["amount"]
        if requested is not None and requested != refunded:
            raise processing_error(
                f"Charge {charge_id} is an uncaptured authorization: a refund voids all of it "
                f"({refunded} cents). Leave out amount, or capture first and refund part."
            )

    if charge.get("_gift_lock") is not None:  # a void of a lock gives it back whole
        gift_cards.unlock(store, merchant_id, charge["_gift_card"], charge.pop("_gift_lock"), 0)
    elif charge.get("_gift_card"):  # first, so that a refusal changes nothing
        gift_cards.refund(store, merchant_id, charge["_gift_card"], refunded, MAX_AMOUNT)
    seq = store.sequence
    refund: Object = {
        "id": seq.object_id(),
        "object": "refund",
        "amount": refunded,
        "charge": charge_id,
        "created": seq.created_ms(),
        "currency": charge["currency"],
        "status": "succeeded",
        "metadata": {"refundType": kind},
        "_merchant": merchant_id,
    }
    if reason:
        refund["reason"] = reason
    if reference:
        refund["external_reference_id"] = reference
    charge["amount_refunded"] += refunded
    if kind == "PREAUTH" or charge["amount_refunded"] == charge["amount_captured"]:
        charge["refunded"] = True
    charges.save(store, charge)
    store.put(Kind.REFUND, refund)
    return refund


def check(store: Store, merchant_id: str, charge_id: str, amount: int) -> None:
    """Refuse now what `create` would refuse of a gift card refund, so that a caller making
    several refunds in one request (an order return) changes nothing when one would fail."""
    charge = charges.get(store, merchant_id, charge_id, param="charge")
    if charge.get("_gift_card") and charge.get("_gift_lock") is None:
        gift_cards.check_refund(store, merchant_id, charge["_gift_card"], amount, MAX_AMOUNT)


def get(store: Store, merchant_id: str, refund_id: str) -> Object:
    refund = store.get(Kind.REFUND, refund_id, merchant_id)
    if refund is None:
        raise not_found("refund", refund_id)
    return refund


def view(refund: Object) -> Object:
    return public(refund)
