"""`/v1/refunds`: refunds and voids (ref: createrefund); the work is in model.py."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import invalid_request
from helpers.sandbox.core.http import Call
from helpers.sandbox.core.lists import list_page
from helpers.sandbox.core.store import Kind
from helpers.sandbox.resources.charges import model as charges
from helpers.sandbox.resources.charges.model import amount
from helpers.sandbox.resources.refunds import model

REFUND_FIELDS = ("charge", "amount", "reason", "external_reference_id")
REASONS = ("duplicate", "fraudulent", "requested_by_customer")
ALNUM_12 = re.compile(r"[A-Za-z0-9]{1,12}")


def refund_request(body: Mapping[str, Any]) -> tuple[str, int | None, str | None, str | None]:
    """The charge, amount, reason and reference of a refund (ref: createrefund)."""
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
    return charge_id, requested, reason, reference


def create_refund(call: Call) -> Any:
    charge_id, requested, reason, reference = refund_request(call.body)
    charge = charges.find(call.store, call.merchant_id, charge_id)
    if charge is not None and charge.get("_order_pay"):
        # docs: ecommerce-refunding-payments: /v1/refunds is only for charges made with
        # /v1/charges; an order's payment comes back through the order's returns
        # (https://docs.clover.com/docs/ecommerce-refunding-payments). Returns refund
        # through the model, not this route.
        raise invalid_request(
            f"Charge {charge_id} paid order {charge['order']} (POST /v1/orders/{{id}}/pay): "
            "/v1/refunds refunds only charges made with /v1/charges. Refund it by returning "
            f"the order: POST /v1/orders/{charge['order']}/returns, with items to return "
            "part of it.",
            param="charge",
        )
    refund = model.create(call.store, call.merchant_id, charge_id, requested, reason, reference)
    return model.view(refund)


def get_refund(call: Call) -> Any:
    return model.view(model.get(call.store, call.merchant_id, call.path["refund_id"]))


def list_refunds(call: Call) -> Any:
    return list_page(
        call.store,
        Kind.REFUND,
        call.merchant_id,
        call.query,
        "/v1/refunds",
        filters={"charge": lambda r, v: r["charge"] == v},
    )
