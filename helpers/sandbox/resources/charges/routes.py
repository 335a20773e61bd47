"""`/v1/charges`: create (sale or authorization), read, list, capture (ref: createcharge).

A charge's fate is decided by the test card behind its token: approved, or declined with
HTTP 402 and stored as a failed charge. Every charge also opens an order, as on Clover.
"""

from __future__ import annotations

import re
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import (
    ApiError,
    invalid_request,
    missing,
    not_found,
    processing_error,
)
from helpers.sandbox.core.http import Call
from helpers.sandbox.core.lists import list_page
from helpers.sandbox.core.store import Object, public
from helpers.sandbox.resources.customers import routes as customers

MAX_AMOUNT = 99_999_999
CURRENCIES = frozenset({"usd", "cad", "eur", "gbp", "aud", "mxn", "jpy", "nzd", "chf"})
CHARGE_FIELDS = (
    "amount",
    "currency",
    "source",
    "capture",
    "ecomind",
    "description",
    "external_reference_id",
    "receipt_email",
    "metadata",
    "tip_amount",
    "tax_amount",
    "stored_credentials",
    "intent",
)
ALNUM_12 = re.compile(r"[A-Za-z0-9]{1,12}")
CURRENCY = re.compile(r"[a-z]{3}")


def _customer_ip(call: Call) -> str:
    ip = call.headers.get("x-forwarded-for", "").strip()
    if not ip:
        raise invalid_request(
            "Missing header x-forwarded-for: send the shopper's IP address with every "
            "charge (required by Clover since 2023).",
            param="x-forwarded-for",
        )
    return ip


def currency(body: dict[str, Any]) -> str:
    value = fields.string(
        body,
        "currency",
        required=True,
        pattern=CURRENCY,
        pattern_hint="must be a lowercase three-letter ISO code such as 'usd'",
    )
    assert value is not None
    if value not in CURRENCIES:
        raise invalid_request(
            f"currency {value!r} is not supported here; use one of "
            f"{', '.join(sorted(CURRENCIES))}.",
            param="currency",
        )
    return value


def amount(body: dict[str, Any], field: str = "amount", required: bool = True) -> int | None:
    return fields.integer(
        body,
        field,
        code="invalid_charge_amount",
        minimum=1,
        maximum=MAX_AMOUNT,
        too_large_code="amount_too_large",
        required=required,
    )


def _stored_credentials(body: dict[str, Any]) -> dict[str, Any] | None:
    value = fields.mapping(body, "stored_credentials")
    if value is None:
        return None
    prefix = "stored_credentials"
    fields.reject_unknown(value, ("sequence", "is_scheduled", "initiator"), prefix=prefix)
    fields.string(value, "sequence", choices=("FIRST", "SUBSEQUENT"), required=True, prefix=prefix)
    fields.boolean(value, "is_scheduled", False, prefix=prefix)
    fields.string(
        value, "initiator", choices=("MERCHANT", "CARDHOLDER"), required=True, prefix=prefix
    )
    return value


def _validated(body: dict[str, Any]) -> dict[str, Any]:
    fields.reject_unknown(body, CHARGE_FIELDS)
    return {
        "amount": amount(body),
        "currency": currency(body),
        "source": fields.string(body, "source", required=True, max_length=100),
        "capture": fields.boolean(body, "capture", True),
        "ecomind": fields.string(body, "ecomind", choices=("ecom", "moto")) or "ecom",
        "description": fields.string(body, "description", max_length=255),
        "external_reference_id": fields.string(
            body,
            "external_reference_id",
            pattern=ALNUM_12,
            pattern_hint="must be 1 to 12 letters or digits",
        ),
        "receipt_email": fields.email(body, "receipt_email"),
        "metadata": fields.metadata(body),
        "tip_amount": fields.integer(
            body, "tip_amount", code="invalid_tip_amount", maximum=MAX_AMOUNT
        ),
        "tax_amount": fields.integer(
            body, "tax_amount", code="invalid_tax_amount", maximum=MAX_AMOUNT
        ),
        "stored_credentials": _stored_credentials(body),
        "intent": fields.string(body, "intent", choices=("save_credential_on_file",)),
    }


def _token_source(call: Call, source: str, stored: dict[str, Any] | None) -> Object:
    token = call.store.get("token", source, call.merchant_id)
    if token is None:
        raise invalid_request("Please provide a valid source or token.", param="source")
    if token.get("_revoked"):
        raise ApiError(
            400,
            "invalid_request_error",
            "card_on_file_missing",
            "The card behind the multi-pay token in source was revoked: ask the "
            "customer for their card again.",
            param="source",
        )
    if token["_used"] and not token.get("_multipay"):
        raise ApiError(
            400,
            "invalid_request_error",
            "token_already_used",
            "The token in source was already used: a clv_ token can be charged once. "
            "Tokenize the card again for a new charge.",
            param="source",
        )
    if token.get("_multipay") and stored is None:
        raise missing(
            "stored_credentials",
            "A multi-pay token is a stored credential: say "
            'which use this is, e.g. {"sequence": "SUBSEQUENT", '
            '"is_scheduled": false, "initiator": "CARDHOLDER"}.',
        )
    return token


def _source(
    call: Call, source: str, stored: dict[str, Any] | None
) -> tuple[Object, dict[str, Any], str | None]:
    """The token behind `source` (a token or a customer id), how the charge shows the card,
    and the customer it belongs to."""
    if customers.is_customer_id(source):
        customer, card, token = customers.saved_card(call, source)
        return token, {**_source_view(token), "id": card["id"]}, customer["id"]
    token = _token_source(call, source, stored)
    return token, _source_view(token), token.get("_customer")


def _stored_credential_warning(token: Object, stored: dict[str, Any] | None) -> str | None:
    if stored is None or stored["sequence"] != "SUBSEQUENT" or token.get("_first_done"):
        return None
    return (
        "stored_credentials.sequence is SUBSEQUENT, but no approved charge with sequence "
        "FIRST was made with this card: send FIRST on the first charge of a stored card."
    )


def _source_view(token: Object) -> dict[str, Any]:
    card = token["card"]
    avs = "pass" if token["_outcome"] == "approve_avs" and token["_address_zip"] else "unchecked"
    return {
        "id": token["id"],
        "brand": card["brand"],
        "first6": card["first6"],
        "last4": card["last4"],
        "exp_month": card["exp_month"],
        "exp_year": card["exp_year"],
        "cvc_check": "pass",
        "address_line1_check": "unchecked",
        "address_zip_check": avs,
    }


def create_charge(call: Call, order: Object | None = None) -> Any:
    """A charge; with `order` it pays that order, otherwise it opens its own."""
    ip = _customer_ip(call)
    request = _validated(call.body)
    stored = request["stored_credentials"]
    token, source_view, customer_id = _source(call, request["source"], stored)
    store, seq = call.store, call.store.sequence
    approved = token["_outcome"] in ("approve", "approve_avs")
    capture = request["capture"] and approved
    charge_id = seq.object_id()
    order_id = order["id"] if order is not None else seq.object_id()
    created = seq.created_ms()
    charge: Object = {
        "id": charge_id,
        "amount": request["amount"],
        "amount_captured": request["amount"] if capture else 0,
        "amount_refunded": 0,
        "currency": request["currency"],
        "created": created,
        "captured": capture,
        "paid": approved,
        "refunded": False,
        "status": "succeeded" if approved else "failed",
        "ref_num": seq.digits(12),
        "auth_code": seq.auth_code() if approved else None,
        "order": order_id,
        "outcome": (
            {"network_status": "approved_by_network", "type": "authorized"}
            if approved
            else {"network_status": "declined_by_network", "type": "issuer_declined"}
        ),
        "source": source_view,
        "ecomind": request["ecomind"],
        "warning_message": _stored_credential_warning(token, stored),
        "_merchant": call.merchant_id,
        "_customer_ip": ip,
    }
    for optional in (
        "description",
        "external_reference_id",
        "receipt_email",
        "metadata",
        "tip_amount",
        "tax_amount",
        "stored_credentials",
    ):
        if request[optional] is not None:
            charge[optional] = request[optional]
    if customer_id is not None:
        charge["customer"] = customer_id
    token["_used"] = True
    if approved and request["intent"] == "save_credential_on_file":
        token["_multipay"] = True
    if approved and stored is not None and stored["sequence"] == "FIRST":
        token["_first_done"] = True
    store.put("token", token)
    store.put("charge", charge)
    if order is None:  # an authorization pays its order only when it is captured
        store.put(
            "order",
            {
                "id": order_id,
                "object": "order",
                "amount": request["amount"],
                "amount_paid": charge["amount_captured"],
                "currency": request["currency"],
                "created": created,
                "status": "paid" if capture else "created",
                "charge": charge_id,
                "_charges": [charge_id],
                "_merchant": call.merchant_id,
            },
        )
    if not approved:
        partial = token["_outcome"] == "partial"
        message = (
            "The card was declined: only part of the amount was approved, and the "
            "Ecommerce API does not take partial authorizations."
            if partial
            else "The card was declined."
        )
        raise ApiError(
            402,
            "card_error",
            "card_declined",
            message,
            charge=charge_id,
            declineCode="issuer_declined",
            decline_code="issuer_declined",
        )
    return public(charge)


def _charge(call: Call) -> Object:
    charge = call.store.get("charge", call.path["charge_id"], call.merchant_id)
    if charge is None:
        raise not_found("charge", call.path["charge_id"])
    return charge


def get_charge(call: Call) -> Any:
    return public(_charge(call))


def list_charges(call: Call) -> Any:
    return list_page(
        call.store,
        "charge",
        call.merchant_id,
        call.query,
        "/v1/charges",
        filters={"customer": lambda c, v: c.get("customer") == v},
    )


def capture_charge(call: Call) -> Any:
    charge = _charge(call)
    fields.reject_unknown(call.body, ("amount",))
    requested = amount(call.body, required=False)
    if charge["status"] == "failed":
        raise processing_error("This charge was declined; there is nothing to capture.")
    if charge["captured"]:
        if charge.get("_captured_later"):
            raise ApiError(
                400,
                "invalid_request_error",
                "charge_already_captured",
                f"Charge {charge['id']} has already been captured.",
            )
        raise processing_error(
            f"Charge {charge['id']} was a sale (capture true); it needs no capture."
        )
    if charge["refunded"]:
        raise processing_error(f"Charge {charge['id']} was voided; it can no longer be captured.")
    captured = charge["amount"] if requested is None else requested
    if captured > charge["amount"]:
        raise invalid_request(
            f"amount {captured} is more than the {charge['amount']} cents "
            "authorized; capture at most the authorized amount.",
            param="amount",
            code="invalid_charge_amount",
        )
    charge.update(captured=True, amount_captured=captured, _captured_later=True)
    call.store.put("charge", charge)
    order = call.store.get("order", charge["order"], call.merchant_id)
    if order is not None and order["_charges"] == [charge["id"]]:
        # the order this authorization opened is a sale of what was captured
        order.update(amount=captured, amount_paid=captured, status="paid")
        order.setdefault("status_transitions", {})["paid"] = call.store.sequence.now_ms()
        call.store.put("order", order)
    return public(charge)
