"""`/v1/refunds`: refunds of captured money, and voids of authorizations (ref: createrefund).

A refund of an uncaptured authorization releases it (a void, `refundType: PREAUTH`);
otherwise refunds are limited to what was captured and not yet refunded.
"""

from __future__ import annotations

import re
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import ApiError, not_found, processing_error
from helpers.sandbox.core.http import Call
from helpers.sandbox.core.lists import list_page
from helpers.sandbox.core.store import Object, public
from helpers.sandbox.resources.charges.routes import amount

REFUND_FIELDS = ("charge", "amount", "reason", "external_reference_id")
REASONS = ("duplicate", "fraudulent", "requested_by_customer")
ALNUM_12 = re.compile(r"[A-Za-z0-9]{1,12}")


def create_refund(call: Call) -> Any:
    body = call.body
    fields.reject_unknown(body, REFUND_FIELDS)
    charge_id = fields.string(body, "charge", required=True, max_length=100)
    requested = amount(body, required=False)
    reason = fields.string(body, "reason", choices=REASONS)
    reference = fields.string(
        body,
        "external_reference_id",
        pattern=ALNUM_12,
        pattern_hint="must be 1 to 12 letters or digits",
    )
    assert charge_id is not None
    charge = call.store.get("charge", charge_id, call.merchant_id)
    if charge is None:
        raise not_found("charge", charge_id, param="charge")
    if charge["status"] == "failed":
        raise processing_error(f"Charge {charge_id} was declined; there is nothing to refund.")
    if charge["refunded"]:
        raise ApiError(
            400,
            "invalid_request_error",
            "charge_already_refunded",
            f"Charge {charge_id} has already been refunded in full.",
        )
    if charge["captured"]:
        kind = "AUTH"
        left = charge["amount_captured"] - charge["amount_refunded"]
        refunded = left if requested is None else requested
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

    seq = call.store.sequence
    refund: Object = {
        "id": seq.object_id(),
        "object": "refund",
        "amount": refunded,
        "charge": charge_id,
        "created": seq.created_ms(),
        "currency": charge["currency"],
        "status": "succeeded",
        "metadata": {"refundType": kind},
        "_merchant": call.merchant_id,
    }
    if reason:
        refund["reason"] = reason
    if reference:
        refund["external_reference_id"] = reference
    charge["amount_refunded"] += refunded
    if kind == "PREAUTH" or charge["amount_refunded"] == charge["amount_captured"]:
        charge["refunded"] = True
    call.store.put("charge", charge)
    call.store.put("refund", refund)
    return public(refund)


def get_refund(call: Call) -> Any:
    refund = call.store.get("refund", call.path["refund_id"], call.merchant_id)
    if refund is None:
        raise not_found("refund", call.path["refund_id"])
    return public(refund)


def list_refunds(call: Call) -> Any:
    return list_page(
        call.store,
        "refund",
        call.merchant_id,
        call.query,
        "/v1/refunds",
        filters={"charge": lambda r, v: r["charge"] == v},
    )
