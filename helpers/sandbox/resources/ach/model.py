"""ACH: a US bank account in, a `clv_` token out; its charge settles or comes back later.

Clover's pages: docs: create-an-ach-token (https://docs.clover.com/docs/create-an-ach-token:
the fields, their lengths and which are required for a personal or a corporate check;
`agreement`, the object of its request example, with `agreement_id` (the generic sandbox
id it gives), `type`, `locale` and `template_data`); docs: internet-check-acceptance
(https://docs.clover.com/docs/internet-check-acceptance: the shopper's consent is given on
a disclaimer that must follow Clover's templates); dev: ach-faqs
(https://docs.clover.com/dev/docs/ach-faqs: "inspect the agreement object");
docs: ecommerce-refunding-payments (a refund comes after settlement).

The kit's choices (docs/choices.md, ACH):
- The answer is `{"id", "object": "token", "ach": {"account_last4", "routing_last4"}}`.
- `agreement.agreement_id` must be Clover's generic sandbox id; `type` and `locale` are
  short strings and `template_data` an object of the values filled into the template,
  all optional and kept with the token (Clover's pages give no list of their values). The
  older page's bare id (`"agreement": "<id>"`) is taken too. `encrypted: true` is refused
  (the local sandbox has no key for it).
- An ACH charge is `pending` when made (nothing is final yet), settles three days later on
  the sandbox clock (`POST /_sandbox/clock`) to `succeeded`, or is returned then as
  `failed` with `outcome.type: "returned"` and `ach_return_code` R01 (insufficient funds)
  when the account number ends in 0001 (LOCAL test accounts); a returned payment takes its
  amount off the order it paid. A charge is brought up to date when it, or its order, is
  read or listed. `capture: false` is refused: there is no ACH authorization. A pending
  charge cannot be refunded (nothing has come in yet).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import ApiError, invalid_request, missing, processing_error
from helpers.sandbox.core.store import Kind, Object, Store

SANDBOX_AGREEMENT = "2c74dcc0-61ad-4f08-8764-a29aeb98f4a4"
SETTLE_MS = 3 * 24 * 3600 * 1000
RETURNED_SUFFIX = "0001"
FIELDS = (
    "bank_account_number",
    "bank_routing_number",
    "encrypted",
    "check_type",
    "account_type",
    "customer_id_type",
    "customer_id_state",
    "customer_id",
    "first_name",
    "last_name",
    "business_name",
    "email",
    "phone",
    "session_id",
    "address_line1",
    "address_line2",
    "address_city",
    "address_state",
    "address_zip",
    "agreement",
)
AGREEMENT_FIELDS = ("agreement_id", "type", "locale", "template_data")
DIGITS = re.compile(r"\d+")
STATE = re.compile(r"[A-Z]{2}")


def _routing_valid(routing: str) -> bool:
    """The ABA checksum every US routing number passes."""
    d = [int(c) for c in routing]
    total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])
    return total % 10 == 0


def request(ach: Mapping[str, Any]) -> dict[str, Any]:
    """The `ach` object of `/v1/tokens`, checked field by field (docs: create-an-ach-token)."""
    p = "ach"
    fields.reject_unknown(ach, FIELDS, p)
    if fields.boolean(ach, "encrypted", False, p):
        raise invalid_request(
            "ach.encrypted true is not supported by the local sandbox: send the numbers in "
            "clear (over HTTPS to Clover) with encrypted false.",
            param="ach.encrypted",
        )
    account = fields.string(ach, "bank_account_number", required=True, max_length=12, prefix=p)
    assert account is not None
    if not (DIGITS.fullmatch(account) and 10 <= len(account) <= 12):
        raise invalid_request(
            "ach.bank_account_number must be 10 to 12 digits.", param="ach.bank_account_number"
        )
    routing = fields.string(ach, "bank_routing_number", required=True, max_length=9, prefix=p)
    assert routing is not None
    if not (DIGITS.fullmatch(routing) and len(routing) == 9 and _routing_valid(routing)):
        raise invalid_request(
            "ach.bank_routing_number must be the bank's 9-digit ABA routing number (it "
            "fails the routing checksum): check the digits typed.",
            param="ach.bank_routing_number",
        )
    check_type = fields.string(
        ach, "check_type", required=True, prefix=p, choices=("personal_check", "corporate_check")
    )
    fields.string(ach, "account_type", required=True, prefix=p, choices=("checking", "savings"))
    fields.string(
        ach,
        "customer_id_type",
        required=True,
        prefix=p,
        choices=("driver_license", "ssn", "tax_id", "military_id"),
    )
    fields.string(
        ach,
        "customer_id_state",
        required=True,
        prefix=p,
        pattern=STATE,
        pattern_hint="must be a two-letter state code such as 'NJ'",
    )
    fields.string(ach, "customer_id", required=True, max_length=40, prefix=p)
    needed = ("first_name", "last_name") if check_type == "personal_check" else ("business_name",)
    for name in ("first_name", "last_name", "business_name"):
        fields.string(ach, name, required=name in needed, max_length=60, prefix=p)
    fields.email(ach, "email", prefix=p)
    if not ach.get("email"):
        raise missing("ach.email", "TeleCheck needs the customer's email address.")
    fields.string(ach, "phone", required=True, max_length=20, prefix=p)
    for name, limit in (
        ("address_line1", 100),
        ("address_city", 60),
        ("address_state", 60),
        ("address_zip", 20),
    ):
        fields.string(ach, name, required=True, max_length=limit, prefix=p)
    fields.string(ach, "address_line2", max_length=100, prefix=p)
    fields.string(ach, "session_id", max_length=100, prefix=p)
    agreement = _agreement(ach)
    return {
        "account": account,
        "routing": routing,
        "check_type": check_type,
        "account_type": ach["account_type"],
        "agreement": agreement,
    }


def _agreement(ach: Mapping[str, Any]) -> dict[str, Any]:
    """`ach.agreement`: the object of Clover's request example, or the older bare id."""
    p = "ach.agreement"
    if isinstance(ach.get("agreement"), str):
        agreement: dict[str, Any] = {"agreement_id": ach["agreement"]}
    else:
        found = fields.mapping(ach, "agreement", "ach", required=True)
        assert found is not None
        fields.reject_unknown(found, AGREEMENT_FIELDS, p)
        agreement = found
    agreement_id = fields.string(agreement, "agreement_id", required=True, max_length=64, prefix=p)
    if agreement_id != SANDBOX_AGREEMENT:
        raise invalid_request(
            f"ach.agreement.agreement_id must be the id of the agreement the shopper "
            f"accepted; in the sandbox, Clover's generic id {SANDBOX_AGREEMENT} "
            "(docs: create-an-ach-token).",
            param="ach.agreement.agreement_id",
        )
    fields.string(agreement, "type", max_length=40, prefix=p)
    fields.string(agreement, "locale", max_length=10, prefix=p)
    fields.mapping(agreement, "template_data", p)
    return {k: agreement[k] for k in AGREEMENT_FIELDS if agreement.get(k) is not None}


def tokenize(store: Store, merchant_id: str, checked: dict[str, Any]) -> Object:
    """An ACH token; the account number is kept only as its last four and a hash."""
    account = checked["account"]
    token: Object = {
        "id": store.sequence.token_id(),
        "object": "token",
        "ach": {"account_last4": account[-4:], "routing_last4": checked["routing"][-4:]},
        "_merchant": merchant_id,
        "_created": store.sequence.created_ms(),
        "_outcome": "approve",
        "_ach": {
            "account_type": checked["account_type"],
            "check_type": checked["check_type"],
            "agreement": checked["agreement"],
            "returns": account.endswith(RETURNED_SUFFIX),
            "account_hash": hashlib.sha256(account.encode()).hexdigest()[:16],
        },
        "_used": False,
    }
    store.put(Kind.TOKEN, token)
    return token


def source_view(token: Object) -> dict[str, Any]:
    return {
        "id": token["id"],
        "brand": "ACH",
        **token["ach"],
        "account_type": token["_ach"]["account_type"],
        "check_type": token["_ach"]["check_type"],
    }


def start(charge: Object, token: Object) -> None:
    """A new ACH charge: pending until it settles or comes back (see `bring_up_to_date`)."""
    charge.update(
        status="pending",
        paid=False,
        captured=True,
        amount_captured=charge["amount"],
        auth_code=None,
        outcome={"network_status": "pending_settlement", "type": "ach_pending"},
        payment_method_details="ach",
        ach={
            "agreement": token["_ach"]["agreement"]["agreement_id"],
            "settles_after_ms": SETTLE_MS,
        },
        _ach_returns=token["_ach"]["returns"],
    )


def refusal_before_settlement(charge: Object) -> ApiError | None:
    """A refund is a repayment after settlement (docs: ecommerce-refunding-payments,
    https://docs.clover.com/docs/ecommerce-refunding-payments): a pending ACH charge has
    brought in no money yet, so none can go back (issue 23: a return then left a refund
    standing on money that never came in)."""
    if charge.get("payment_method_details") != "ach" or charge["status"] != "pending":
        return None
    error = processing_error(
        f"ACH charge {charge['id']} is pending: the bank has not settled it, so there is "
        "nothing to refund yet. Refund it once it has settled (three days on the sandbox "
        "clock); a returned payment needs no refund."
    )
    error.param = "charge"
    return error


def _unpay_order(store: Store, charge: Object) -> None:
    """A returned payment pays no order: take it off the order it was paying."""
    order = store.get(Kind.ORDER, charge["order"], charge["_merchant"])
    if order is None:
        return
    order["amount_paid"] = max(0, int(order.get("amount_paid", 0)) - int(charge["amount"]))
    if order["status"] == "paid" and order["amount_paid"] < order["amount"]:
        order["status"] = "created"
        order.get("status_transitions", {}).pop("paid", None)
    store.put(Kind.ORDER, order)


def bring_up_to_date(store: Store, charge: Object) -> bool:
    """Settle or return a pending ACH charge whose three days have passed; True if changed."""
    if charge.get("payment_method_details") != "ach" or charge["status"] != "pending":
        return False
    if store.sequence.now_ms() - charge["created"] < SETTLE_MS:
        return False
    if charge["_ach_returns"]:
        charge.update(
            status="failed",
            amount_captured=0,
            captured=False,
            outcome={"network_status": "returned", "type": "returned"},
            ach_return_code="R01",
            failure_message="Returned by the bank: insufficient funds (R01).",
        )
        _unpay_order(store, charge)
    else:
        charge.update(
            status="succeeded",
            paid=True,
            outcome={"network_status": "settled", "type": "settled"},
        )
    store.put(Kind.CHARGE, charge)
    return True
