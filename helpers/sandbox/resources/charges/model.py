"""Charges: a sale or an authorization of a token's card, captured now or later.

A charge's fate is decided by the test card behind its token: approved, or declined with
HTTP 402 and stored as a failed charge (declines.py: why, and how each reads). A charge
pays an order: the one it is given
(`POST /v1/orders/{id}/pay`, Hosted Checkout) or one it opens itself, as on Clover.
Orders and Hosted Checkout call these functions directly; routes.py is only HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import (
    card_revoked,
    charge_already_captured,
    conflict,
    invalid_request,
    invalid_source,
    missing,
    not_found,
    processing_error,
    token_already_used,
)
from helpers.sandbox.core.money import MAX_AMOUNT
from helpers.sandbox.core.probe import Probe
from helpers.sandbox.core.store import Kind, Object, Store, public
from helpers.sandbox.resources.ach import model as ach
from helpers.sandbox.resources.charges import declines
from helpers.sandbox.resources.customers import model as customers
from helpers.sandbox.resources.gift_cards import model as gift_cards
from helpers.sandbox.resources.recurring.model import TAX_RATES
from helpers.sandbox.resources.threeds import model as threeds
from helpers.sandbox.resources.tokens import model as tokens

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
    "tax_rate_uuid",
    "stored_credentials",
    "intent",
    "threeds",
    "partial_redemption",
    "return_gateway_response",  # in Clover's gift card samples; taken, adds nothing here
    "level2",
)
OPTIONAL_FIELDS = (
    "description",
    "external_reference_id",
    "receipt_email",
    "metadata",
    "tip_amount",
    "tax_amount",
    "tax_rate_uuid",
    "stored_credentials",
)
# Clover's own words (docs: ecommerce-accepting-payments, the pay-for-an-order answer,
# https://docs.clover.com/docs/ecommerce-accepting-payments)
SUBSEQUENT_WITHOUT_FIRST = (
    "Subsequent credential on file pay request sent for without Initial credential on file "
    "pay request."
)
STORED_CREDENTIAL_FIELDS = (
    "sequence",
    "is_scheduled",
    "initiator",
    "installment_info",
    "bill_pay_indicator",
    "invoice_number",
    "description",
)
ALNUM_12 = re.compile(r"[A-Za-z0-9]{1,12}")
CURRENCY = re.compile(r"[a-z]{3}")


# -- what a charge request may say (shared by /v1/charges and /v1/orders/{id}/pay) -------


def customer_ip(forwarded_for: str) -> str:
    """The shopper's IP, which Clover requires with every charge."""
    ip = forwarded_for.strip()
    if not ip:
        raise invalid_request(
            "Missing header x-forwarded-for: send the shopper's IP address with every "
            "charge (required by Clover since 2023).",
            param="x-forwarded-for",
        )
    return ip


def currency(body: Mapping[str, Any]) -> str:
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


def amount(body: Mapping[str, Any], field: str = "amount", required: bool = True) -> int | None:
    return fields.integer(
        body,
        field,
        code="invalid_charge_amount",
        minimum=1,
        maximum=MAX_AMOUNT,
        too_large_code="amount_too_large",
        required=required,
    )


def _stored_credentials(body: Mapping[str, Any]) -> dict[str, Any] | None:
    value = fields.mapping(body, "stored_credentials")
    if value is None:
        return None
    prefix = "stored_credentials"
    fields.reject_unknown(value, STORED_CREDENTIAL_FIELDS, prefix=prefix)
    fields.string(value, "sequence", choices=("FIRST", "SUBSEQUENT"), required=True, prefix=prefix)
    fields.boolean(value, "is_scheduled", False, prefix=prefix)
    fields.string(
        value, "initiator", choices=("MERCHANT", "CARDHOLDER"), required=True, prefix=prefix
    )
    # docs: ecommerce-saving-card (https://docs.clover.com/docs/ecommerce-saving-card)
    fields.string(value, "installment_info", max_length=255, prefix=prefix)
    fields.string(value, "bill_pay_indicator", choices=("INSTALLMENT", "RECURRING"), prefix=prefix)
    fields.string(value, "invoice_number", max_length=64, prefix=prefix)
    fields.string(value, "description", max_length=255, prefix=prefix)
    return value


def _flag(body: Mapping[str, Any], name: str, default: bool) -> bool:
    """A boolean that may also come as Clover's gift card samples write it, the string
    "true" or "false" (https://docs.clover.com/docs/gift-card-api sends `"capture":
    "false"`, `"partial_redemption": "true"`); any other string is refused by name."""
    value = None if isinstance(body, Probe) else body.get(name)
    if value in ("true", "false"):
        return value == "true"
    return fields.boolean(body, name, default)


def _tax_from_rate(body: Mapping[str, Any], amount: int | None) -> tuple[str | None, int | None]:
    """`tax_rate_uuid`, one of the merchant's tax rates, and the tax it puts in `amount`
    (which includes it: docs: ecommerce-accepting-payments, where 1100 at 10% shows
    `tax_amount` 100, https://docs.clover.com/docs/ecommerce-accepting-payments)."""
    uuid = fields.string(body, "tax_rate_uuid", max_length=64)
    if uuid is None or amount is None:
        return uuid, None
    if uuid not in TAX_RATES:
        raise invalid_request(
            f"tax_rate_uuid {uuid!r} is not one of the merchant's tax rates; use one of "
            f"{', '.join(sorted(TAX_RATES))}, or send tax_amount instead.",
            param="tax_rate_uuid",
        )
    rate = TAX_RATES[uuid][1]
    scale = 10_000_000
    return uuid, (2 * amount * rate + scale + rate) // (2 * (scale + rate))


LEVEL2_MAX_FIELDS = 50


def level2(body: Mapping[str, Any]) -> dict[str, Any] | None:
    """`level2`: purchase card (Level 2) data, an object, on a charge and on its capture
    (https://docs.clover.com/docs/accepting-purchase-cards,
    https://docs.clover.com/docs/capture-a-charge-tutorial: "Additional data for purchase
    card transactions (US only)"). Its fields go to no card network here, so the kit
    checks only that it is an object of plain values (docs/choices.md, "Charges")."""
    data = fields.mapping(body, "level2")
    if data is None or isinstance(data, Probe):
        return data
    if len(data) > LEVEL2_MAX_FIELDS:
        raise invalid_request(
            f"level2 has {len(data)} fields; send at most {LEVEL2_MAX_FIELDS}.", param="level2"
        )
    for name, value in data.items():
        if isinstance(value, (dict, list)):
            raise invalid_request(
                f"level2.{name} must be a string, number or boolean, "
                f"not {fields.type_name(value)}.",
                param=f"level2.{name}",
            )
        if isinstance(value, str):
            fields.string(data, name, max_length=255, prefix="level2")
    return dict(data)


def charge_request(body: Mapping[str, Any]) -> dict[str, Any]:
    """A charge request's fields, checked, with their defaults (ref: createcharge)."""
    fields.reject_unknown(body, CHARGE_FIELDS)
    checked = _charge_fields(body)
    uuid, tax = _tax_from_rate(body, checked["amount"])
    checked["tax_rate_uuid"] = uuid
    if checked["tax_amount"] is None:
        checked["tax_amount"] = tax
    return checked


def _charge_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "amount": amount(body),
        "currency": currency(body),
        "source": fields.string(body, "source", required=True, max_length=100),
        "capture": _flag(body, "capture", True),
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
        "threeds": threeds.request(body),
        "partial_redemption": _flag(body, "partial_redemption", False),
        "return_gateway_response": _flag(body, "return_gateway_response", False),
        "level2": level2(body),
    }


# -- the source: a token or a customer's card on file -----------------------------------


def _token_source(
    store: Store, merchant_id: str, source: str, stored: dict[str, Any] | None
) -> Object:
    token = tokens.get(store, merchant_id, source)
    if token is None:
        raise invalid_source()
    if token.get("_revoked"):
        raise card_revoked()
    if token["_used"] and not token.get("_multipay"):
        raise token_already_used()
    if token.get("_multipay") and stored is None:
        raise missing(
            "stored_credentials",
            "A multi-pay token is a stored credential: say "
            'which use this is, e.g. {"sequence": "SUBSEQUENT", '
            '"is_scheduled": false, "initiator": "CARDHOLDER"}.',
        )
    return token


def _source_view(token: Object) -> dict[str, Any]:
    if token.get("_ach"):
        return ach.source_view(token)
    if token.get("_gift_card"):
        return {  # a gift card has no expiry: null, as the card fields are shaped
            "id": token["id"],
            "brand": "GIFT_CARD",
            "first6": token["_first6"],
            "last4": token["giftCard"]["last4"],
            "exp_month": None,
            "exp_year": None,
        }
    card = token["card"]
    avs = "pass" if token["_outcome"] == "approve_avs" and token["_address_zip"] else "unchecked"
    decline = declines.of(token["_outcome"])
    if decline is not None and decline.address_check is not None:
        avs = decline.address_check
    return {
        "id": token["id"],
        "brand": card["brand"],
        "first6": card["first6"],
        "last4": card["last4"],
        "exp_month": card["exp_month"],
        "exp_year": card["exp_year"],
        "cvc_check": decline.cvc_check if decline else "pass",
        "address_line1_check": avs if avs == "fail" else "unchecked",
        "address_zip_check": avs,
    }


def _source(
    store: Store, merchant_id: str, source: str, stored: dict[str, Any] | None
) -> tuple[Object, dict[str, Any], str | None]:
    """The token behind `source` (a token or a customer id), how the charge shows the card,
    and the customer it belongs to."""
    if customers.is_customer_id(source):
        customer, card, token = customers.saved_card(store, merchant_id, source)
        return token, {**_source_view(token), "id": card["id"]}, customer["id"]
    token = _token_source(store, merchant_id, source, stored)
    return token, _source_view(token), token.get("_customer")


def _stored_credential_warning(token: Object, stored: dict[str, Any] | None) -> str | None:
    if stored is None or stored["sequence"] != "SUBSEQUENT" or token.get("_first_done"):
        return None
    return SUBSEQUENT_WITHOUT_FIRST


# -- charges ---------------------------------------------------------------------------


def _email_or_phone(
    store: Store, merchant_id: str, request: dict[str, Any], customer_id: str | None
) -> str | None:
    if request["receipt_email"]:
        return str(request["receipt_email"])
    customer = store.get(Kind.CUSTOMER, customer_id, merchant_id) if customer_id else None
    if customer is not None:
        return customer.get("email") or customer.get("phone")
    return None


def _authenticate(
    store: Store,
    merchant_id: str,
    request: dict[str, Any],
    token: Object,
    customer_id: str | None,
    threeds_required: bool,
) -> tuple[dict[str, Any] | None, declines.Decline | None, str | None]:
    """The `threeds` a charge shows, a decline it leads to, and the flow the issuer asks
    for first (`method`, `challenge` or None); threeds/model.py says what each means."""
    asked = request.get("threeds")
    if token.get("_gift_card") or token.get("_ach"):  # 3-D Secure is for network cards
        return None, None, None
    stored = request["stored_credentials"]
    if asked is None:
        if threeds.required(threeds_required, stored, token):
            raise threeds.refuse_missing(stored)
        return None, None, None
    if asked["source"] == "NON_CLOVER":
        status = asked["status"]
        if status in ("FAILED", "REJECTED"):
            return threeds.failed("NON_CLOVER", status), declines.AUTHENTICATION_FAILED, None
        return threeds.frictionless("NON_CLOVER", status), None, None
    browser_ip = str(asked["browser_info"]["browser_ip"])
    threeds.check_visa_asks(
        token, browser_ip, _email_or_phone(store, merchant_id, request, customer_id)
    )
    flow = threeds.flow_of(token, request["amount"])
    if flow == "decline":
        return threeds.failed("CLOVER", "FAILED"), declines.AUTHENTICATION_FAILED, None
    if flow == "success":
        return threeds.frictionless("CLOVER"), None, None
    return None, None, flow


def _settle(
    charge: Object, token: Object, decline: declines.Decline | None, capture: bool, seq: Any
) -> None:
    """Approve or decline `charge`: its status, money and outcome."""
    approved = decline is None
    captured = capture and approved
    charge.update(
        amount_captured=charge["amount"] if captured else 0,
        captured=captured,
        paid=approved,
        status="succeeded" if approved else "failed",
        auth_code=seq.auth_code() if approved else None,
        outcome=(
            {"network_status": "approved_by_network", "type": "authorized"}
            if decline is None
            else {"network_status": decline.network_status, "type": decline.decline_code}
        ),
    )


def _open_order(store: Store, charge: Object, merchant_id: str) -> None:
    """The order a charge opens itself; an authorization pays it only when captured."""
    store.put(
        Kind.ORDER,
        {
            "id": charge["order"],
            "object": "order",
            "amount": charge["amount"],
            "amount_paid": charge["amount_captured"],
            "currency": charge["currency"],
            "created": charge["created"],
            "status": "paid" if charge["captured"] else "created",
            "charge": charge["id"],
            "_charges": [charge["id"]],
            "_merchant": merchant_id,
        },
    )


def _after_approval(token: Object, charge: Object, request: Mapping[str, Any]) -> None:
    stored = request.get("stored_credentials")
    if charge["paid"] and request.get("intent") == "save_credential_on_file":
        token["_multipay"] = True
    if charge["paid"] and stored is not None and stored["sequence"] == "FIRST":
        token["_first_done"] = True


def _redeem_gift_card(store: Store, token: Object, request: dict[str, Any]) -> dict[str, Any]:
    """Take the charge's amount (or all that is left) off a gift card, or with `capture:
    false` lock it (a multi-lock; docs: gift-card-api, gift_cards/model.py)."""
    card = gift_cards.of_token(store, token)
    if int(card["balance"]) == 0:  # nothing to redeem or lock: declined (the kit's choice)
        return {"redeemed": 0, "view": gift_cards.balance_view(card, 0)}
    if not request["capture"]:
        held, previous, lock_id = gift_cards.lock(store, card, request["amount"])
        view = {**gift_cards.balance_view(card, previous), "lock_id": lock_id}
        return {"redeemed": held, "view": view, "lock_id": lock_id}
    redeemed, previous = gift_cards.redeem(store, card, request["amount"])
    return {"redeemed": redeemed, "view": gift_cards.balance_view(card, previous)}


def _show_gift_card(charge: Object, gift: dict[str, Any], request: dict[str, Any]) -> None:
    """What a gift card redemption adds to the charge, as Clover's samples show it (docs:
    gift-card-api, https://docs.clover.com/docs/gift-card-api): `partial_auth: true` with
    `partial_redemption: true`, Clover's warning without it."""
    charge["payment_method_details"] = "giftCard"
    charge["gift_card"] = gift["view"]
    if request.get("partial_redemption"):
        charge["partial_auth"] = True
    else:
        charge["warning_message"] = gift_cards.PARTIAL_WARNING
    if gift.get("lock_id") is not None:
        charge["_gift_lock"] = gift["lock_id"]


def create(
    store: Store,
    merchant_id: str,
    request: dict[str, Any],
    customer_ip: str,
    order_id: str | None = None,
    *,
    threeds_required: bool = False,
    base_url: str = "",
) -> Object:
    """A charge of a checked `charge_request`; with `order_id` it pays that order,
    otherwise it opens its own. A decline is stored, then raised as a 402. With 3-D Secure
    (`request["threeds"]`), a card whose issuer asks for a method flow or a challenge
    leaves the charge pending until the merchant's server calls `finalize`."""
    stored = request["stored_credentials"]
    token, source_view, customer_id = _source(store, merchant_id, request["source"], stored)
    shown, decline, flow = _authenticate(
        store, merchant_id, request, token, customer_id, threeds_required
    )
    if decline is None and flow is None:
        decline = declines.of(token["_outcome"])
    if token.get("_ach") and not request["capture"]:
        raise invalid_request(
            "capture false is not possible for ACH: a bank payment has no authorization "
            "to capture later. Send capture true (the default).",
            param="capture",
        )
    gift = _redeem_gift_card(store, token, request) if token.get("_gift_card") else None
    if gift is not None and gift["redeemed"] == 0:
        decline = declines.REASONS["insufficient_funds"]
    seq = store.sequence
    charge_id = seq.object_id()
    opens_order = order_id is None
    order_id = seq.object_id() if order_id is None else order_id
    charge: Object = {
        "id": charge_id,
        "amount": request["amount"] if gift is None or decline else gift["redeemed"],
        "amount_captured": 0,
        "amount_refunded": 0,
        "currency": request["currency"],
        "created": seq.created_ms(),
        "captured": False,
        "paid": False,
        "refunded": False,
        "status": "pending",
        "ref_num": seq.digits(12),
        "auth_code": None,
        "order": order_id,
        "outcome": {"network_status": "not_sent_to_network", "type": "threeds_challenge"},
        "source": source_view,
        # docs: ecommerce-accepting-payments shows "card"; gift cards and ACH say theirs
        "payment_method_details": "ach" if token.get("_ach") else "card",
        "ecomind": request["ecomind"],
        "warning_message": _stored_credential_warning(token, stored),
        "_merchant": merchant_id,
        "_customer_ip": customer_ip,
    }
    if flow is not None:
        charge["threeds"] = threeds.open_flow(store, merchant_id, charge_id, flow, base_url)
        charge["_pending"] = {
            "token": token["id"],
            "capture": request["capture"],
            "intent": request["intent"],
            "stored_credentials": stored,
            "threeds_server_transaction_id": charge["threeds"]["data"][
                "threeds_server_transaction_id"
            ],
            "pays_order": not opens_order,
        }
    else:
        _settle(charge, token, decline, request["capture"], seq)
        if shown is not None:
            charge["threeds"] = shown
    for optional in OPTIONAL_FIELDS:
        if request[optional] is not None:
            charge[optional] = request[optional]
    if customer_id is not None:
        charge["customer"] = customer_id
    if gift is not None:
        _show_gift_card(charge, gift, request)
        charge["_gift_card"] = token["_gift_card"]  # where a refund puts the money back
    if token.get("_ach") and decline is None:
        ach.start(charge, token)
    token["_used"] = True
    _after_approval(token, charge, request)
    tokens.save(store, token)
    store.put(Kind.CHARGE, charge)
    if opens_order:
        _open_order(store, charge, merchant_id)
    if decline is not None and flow is None:
        raise declines.error(decline, charge_id)
    return charge


def finalize(
    store: Store, merchant_id: str, charge_id: str, flow_status: str, base_url: str
) -> Object:
    """`POST /v1/charges/finalize_payment`: after a method flow the issuer answers success,
    decline or a challenge; after a challenge, success or decline (what the shopper did on
    the issuer's page). https://docs.clover.com/docs/3ds-secure-configure-sdk"""
    charge = get(store, merchant_id, charge_id, param="charge_id")
    authentication = threeds.for_charge(store, charge)
    if authentication is None:
        raise invalid_request(
            f"charge_id {charge_id} is not waiting for 3-D Secure (its status is "
            f"{charge['status']}): finalize only a charge answered "
            "THREEDS_METHOD_FLOW_REQUIRED or CHALLENGE_FLOW_REQUIRED, once.",
            param="charge_id",
        )
    authentication["flow_status"] = flow_status
    if authentication["stage"] == "method":
        token = tokens.get(store, merchant_id, charge["_pending"]["token"])
        outcome = threeds.after_method(token or {})
        if outcome == "challenge":
            base = base_url or charge["threeds"]["data"]["method_url"].rsplit("/threeds/", 1)[0]
            charge["threeds"] = threeds.challenge(store, authentication, base)
            store.put(Kind.CHARGE, charge)
            return charge
        passed = outcome == "success"
    elif authentication["status"] == "pending" and flow_status == "Y":
        raise conflict(
            f"The shopper has not answered the issuer's challenge for charge {charge_id} "
            "yet: finalize when the 3DS script fires executePatch.",
            param="charge_id",
        )
    else:  # the issuer's record decides; a shopper who closed the window did not pass
        passed = authentication["status"] == "succeeded"
    authentication["status"] = "succeeded" if passed else "failed"
    threeds.save(store, authentication)
    return _complete(store, charge, passed)


def _complete(store: Store, charge: Object, passed: bool) -> Object:
    """Authorize the waiting charge (the card's own outcome then applies) or decline it as
    `authentication_failed`; the order it pays takes the money. A decline is raised (402)."""
    pending = charge.pop("_pending")
    merchant_id = charge["_merchant"]
    token = tokens.get(store, merchant_id, pending["token"])
    assert token is not None
    decline = declines.of(token["_outcome"]) if passed else declines.AUTHENTICATION_FAILED
    _settle(charge, token, decline, pending["capture"], store.sequence)
    server_id = charge["threeds"]["data"]["threeds_server_transaction_id"]
    if passed:
        charge["threeds"] = threeds.frictionless("CLOVER")
    else:
        charge["threeds"] = threeds.failed("CLOVER", "FAILED")
    charge["threeds"]["authentication_result"]["transaction_id"] = server_id
    _after_approval(token, charge, pending)
    tokens.save(store, token)
    store.put(Kind.CHARGE, charge)
    _order_takes(store, charge, pending["pays_order"])
    if decline is not None:
        raise declines.error(decline, charge["id"])
    return charge


def _order_takes(store: Store, charge: Object, pays_order: bool) -> None:
    """The order a finalized charge pays: its money never exceeds its total."""
    order = store.get(Kind.ORDER, charge["order"], charge["_merchant"])
    if order is None:
        return
    if not pays_order:  # the order this charge opened itself
        order.update(
            amount_paid=charge["amount_captured"],
            status="paid" if charge["captured"] else "created",
        )
    elif charge["paid"]:
        paid = order.get("amount_paid", 0) + charge["amount_captured"]
        order["amount_paid"] = paid
        if paid == order["amount"]:
            order["status"] = "paid"
            # a new dict, not the one an earlier answer (kept for idempotent replay) shows
            transitions = {**order.get("status_transitions", {}), "paid": store.sequence.now_ms()}
            order["status_transitions"] = transitions
    store.put(Kind.ORDER, order)


def find(store: Store, merchant_id: str, charge_id: str) -> Object | None:
    charge = store.get(Kind.CHARGE, charge_id, merchant_id)
    if charge is not None:
        ach.bring_up_to_date(store, charge)
    return charge


def bring_up_to_date(store: Store, merchant_id: str) -> None:
    """Settle or return the merchant's ACH charges whose days have passed (ach/model.py)."""
    for charge in list(store.newest_first(Kind.CHARGE, merchant_id)):
        if charge.get("payment_method_details") == "ach" and charge["status"] == "pending":
            fresh = store.get(Kind.CHARGE, charge["id"], merchant_id)
            if fresh is not None:
                ach.bring_up_to_date(store, fresh)


def get(store: Store, merchant_id: str, charge_id: str, param: str | None = None) -> Object:
    charge = find(store, merchant_id, charge_id)
    if charge is None:
        raise not_found("charge", charge_id, param=param)
    return charge


def save(store: Store, charge: Object) -> None:
    store.put(Kind.CHARGE, charge)


def _release_gift_lock(store: Store, merchant_id: str, charge: Object) -> Object:
    """A capture of 0 on a gift card lock frees it whole, the balance untouched (docs:
    gift-card-api); the charge then reads as a void (`refunded: true`, nothing captured),
    the kit's choice, so that nothing can be captured or refunded from it later."""
    if charge.get("_gift_lock") is None:
        raise invalid_request(
            "amount must be at least 1 cent; got 0. (0 only releases a gift card lock.)",
            param="amount",
            code="invalid_charge_amount",
        )
    charge["gift_card"] = gift_cards.unlock(
        store, merchant_id, charge["_gift_card"], charge.pop("_gift_lock"), 0
    )
    charge.update(refunded=True)
    store.put(Kind.CHARGE, charge)
    return charge


def capture(
    store: Store,
    merchant_id: str,
    charge: Object,
    requested: int | None,
    receipt_email: str | None = None,
) -> Object:
    """Capture an authorization, all of it or `requested` cents of it; a `receipt_email`
    replaces the charge's (docs: capture-a-charge-tutorial)."""
    if requested == 0:
        return _release_gift_lock(store, merchant_id, charge)
    if charge["status"] == "failed":
        raise processing_error("This charge was declined; there is nothing to capture.")
    if charge["status"] == "pending":
        raise processing_error(
            f"Charge {charge['id']} waits for 3-D Secure: finalize it "
            "(POST /v1/charges/finalize_payment), then capture it once it has succeeded."
        )
    if charge["captured"]:
        if charge.get("_captured_later"):
            raise charge_already_captured(charge["id"])
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
    if charge.get("_gift_lock") is not None:  # redeem part of a gift card lock, free the rest
        lock_id = charge.pop("_gift_lock")
        charge["gift_card"] = gift_cards.unlock(
            store, merchant_id, charge["_gift_card"], lock_id, captured
        )
    charge.update(captured=True, amount_captured=captured, _captured_later=True)
    if receipt_email is not None:
        charge["receipt_email"] = receipt_email
    store.put(Kind.CHARGE, charge)
    order = store.get(Kind.ORDER, charge["order"], merchant_id)
    if order is not None and order["_charges"] == [charge["id"]]:
        # the order this authorization opened is a sale of what was captured
        order.update(amount=captured, amount_paid=captured, status="paid")
        order.setdefault("status_transitions", {})["paid"] = store.sequence.now_ms()
        store.put(Kind.ORDER, order)
    return charge


def view(charge: Object) -> Object:
    return public(charge)
