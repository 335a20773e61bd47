"""`/v1/charges`: create (sale or authorization), read, list, capture (ref: createcharge).

HTTP only: the request is checked here and the work done by model.py, which orders and
Hosted Checkout call too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.http import Call
from helpers.sandbox.core.lists import list_page
from helpers.sandbox.core.store import Kind
from helpers.sandbox.resources.charges import model
from helpers.sandbox.resources.threeds import model as threeds


def create_charge(call: Call) -> Any:
    ip = model.customer_ip(call.headers.get("x-forwarded-for", ""))
    request = model.charge_request(call.body)
    charge = model.create(
        call.store,
        call.merchant_id,
        request,
        ip,
        threeds_required=call.merchant_id in call.state.settings.threeds_required,
        base_url=call.request.app.state.addresses.base_url,
    )
    return model.view(charge)


def get_charge(call: Call) -> Any:
    return model.view(model.get(call.store, call.merchant_id, call.path["charge_id"]))


def list_charges(call: Call) -> Any:
    model.bring_up_to_date(call.store, call.merchant_id)
    return list_page(
        call.store,
        Kind.CHARGE,
        call.merchant_id,
        call.query,
        "/v1/charges",
        filters={
            "customer": lambda c, v: c.get("customer") == v,
            # docs: get-charges (https://docs.clover.com/docs/get-charges)
            "is_threeds": lambda c, v: (c.get("threeds") is not None) == (v.lower() == "true"),
            "threeds_validation_result": lambda c, v: (
                (c.get("threeds") or {}).get("validation_result") == v
            ),
        },
    )


def capture_request(body: Mapping[str, Any]) -> tuple[int | None, str | None]:
    """The amount to capture (None: all of it) and a `receipt_email` that replaces the
    charge's; `level2` purchase card data is taken too (docs: capture-a-charge-tutorial,
    https://docs.clover.com/docs/capture-a-charge-tutorial; ref: capturecharge). An amount
    of 0 only releases a gift card lock (docs: gift-card-api: "to unlock ... without
    affecting the balance, send 0"), which `model.capture` checks."""
    fields.reject_unknown(body, ("amount", "receipt_email", "level2"))
    model.level2(body)
    email = fields.email(body, "receipt_email")
    if body.get("amount") == 0 and not isinstance(body.get("amount"), bool):
        return 0, email
    return model.amount(body, required=False), email


def capture_charge(call: Call) -> Any:
    charge = model.get(call.store, call.merchant_id, call.path["charge_id"])
    requested, receipt_email = capture_request(call.body)
    captured = model.capture(call.store, call.merchant_id, charge, requested, receipt_email)
    return model.view(captured)


def finalize_payment(call: Call) -> Any:
    """`POST /v1/charges/finalize_payment`: the end of a 3-D Secure method flow or challenge
    (https://docs.clover.com/docs/3ds-secure-configure-sdk)."""
    charge_id, flow_status = threeds.finalize_request(call.body)
    base_url = call.request.app.state.addresses.base_url
    charge = model.finalize(call.store, call.merchant_id, charge_id, flow_status, base_url)
    return model.view(charge)
