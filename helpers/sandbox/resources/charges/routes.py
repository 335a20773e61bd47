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
        filters={"customer": lambda c, v: c.get("customer") == v},
    )


def capture_request(body: Mapping[str, Any]) -> int | None:
    """The amount to capture, or None for all of it (ref: capturecharge); 0 only releases a
    gift card lock (docs: gift-card-api: "to unlock ... without affecting the balance, send
    0"), which `model.capture` checks."""
    fields.reject_unknown(body, ("amount",))
    if body.get("amount") == 0 and not isinstance(body.get("amount"), bool):
        return 0
    return model.amount(body, required=False)


def capture_charge(call: Call) -> Any:
    charge = model.get(call.store, call.merchant_id, call.path["charge_id"])
    requested = capture_request(call.body)
    return model.view(model.capture(call.store, call.merchant_id, charge, requested))
