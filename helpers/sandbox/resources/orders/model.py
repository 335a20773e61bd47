"""Orders: carts with tax and shipping, paid in one or more charges, returned with refunds
(ref: postorders, postordersidpay, postordersidreturns).

Totals are computed here, in whole cents, and are a local sandbox decision where Clover's
pages are silent: an item's `amount` is its unit price, so a line is `amount * quantity`;
a tax rate is in units of 1/10,000,000 (1000000 is 10%); tax is computed once per rate on
the sum of the lines that carry it, rounded half up to the cent; `tax` items add their
amount as it is. What returning items refunds is what they add to that total: the total
before the return minus the total of what is left.

Paying charges through the charges model; returning refunds through the refunds model.
Hosted Checkout makes and pays its orders through these functions too.
"""

from __future__ import annotations

from typing import Any

from helpers.sandbox.core.errors import (
    ApiError,
    authorization_waiting,
    conflict,
    invalid_request,
    not_found,
    order_already_paid,
    order_already_returned,
    order_charges_refunded,
    processing_error,
)
from helpers.sandbox.core.money import MAX_AMOUNT
from helpers.sandbox.core.store import Kind, Object, Store, public
from helpers.sandbox.resources.charges import model as charges
from helpers.sandbox.resources.refunds import model as refunds

RATE_SCALE = 10_000_000


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves up (both >= 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def totals(items: list[dict[str, Any]], returned: dict[str, int] | None = None) -> tuple[int, int]:
    """`(amount, tax_amount)` of the items, less the sku quantities in `returned`."""
    returned = returned or {}
    subtotal = explicit_tax = 0
    taxable: dict[tuple[str, int], int] = {}
    for item in items:
        quantity = item["quantity"] - returned.get(item.get("parent", ""), 0)
        line = item["amount"] * quantity
        if item["type"] == "tax":
            explicit_tax += line
            continue
        subtotal += line
        for rate in item.get("tax_rates") or ():
            key = (rate["name"], rate["rate"])
            taxable[key] = taxable.get(key, 0) + line
    tax = explicit_tax + sum(
        round_half_up(base * rate, RATE_SCALE) for (_, rate), base in taxable.items()
    )
    return subtotal + tax, tax


def create(
    store: Store,
    merchant_id: str,
    currency: str,
    items: list[dict[str, Any]],
    email: str | None = None,
    customer: str | None = None,
    metadata: dict[str, Any] | None = None,
    shipping: dict[str, Any] | None = None,
) -> Object:
    """An order of checked `items`; sku items without a `parent` get one."""
    amount, tax = totals(items)
    if amount > MAX_AMOUNT:
        raise invalid_request(
            f"The items add up to {amount} cents; an order may be at most {MAX_AMOUNT}.",
            param="items",
            code="amount_too_large",
        )
    if amount < 1:
        raise invalid_request(
            "The items add up to 0 cents: an order must cost something.", param="items"
        )
    seq = store.sequence
    order_id = seq.object_id()
    for item in items:
        if item["type"] == "sku" and "parent" not in item:
            item["parent"] = seq.object_id()
    order: Object = {
        "id": order_id,
        "object": "order",
        "amount": amount,
        "tax_amount": tax,
        "amount_paid": 0,
        "amount_returned": 0,
        "currency": currency,
        "created": seq.created_ms(),
        "items": items,
        "status": "created",
        "status_transitions": {},
        "_charges": [],
        "_returned": {},
        "_merchant": merchant_id,
    }
    optional = (("email", email), ("customer", customer), ("metadata", metadata))
    for name, value in (*optional, ("shipping", shipping)):
        if value is not None:
            order[name] = value
    store.put(Kind.ORDER, order)
    return order


def get(store: Store, merchant_id: str, order_id: str) -> Object:
    """The order, its ACH payments brought up to date first (a returned one unpays it)."""
    order = store.get(Kind.ORDER, order_id, merchant_id)
    if order is None:
        raise not_found("order", order_id)
    for charge_id in order.get("_charges", []):
        charges.find(store, merchant_id, charge_id)
    fresh = store.get(Kind.ORDER, order_id, merchant_id)
    return order if fresh is None else fresh


def view(store: Store, order: Object) -> dict[str, Any]:
    """The order as Clover shows it: earlier payments appear under `past_charges`, and the
    tax its items' rates add is a `tax` item of its own, as in the create-an-order answer of
    docs: ecommerce-accepting-payments (https://docs.clover.com/docs/ecommerce-accepting-payments)."""
    shown = public(order)
    items = order.get("items", [])
    rated = totals(items)[1] - sum(i["amount"] * i["quantity"] for i in items if i["type"] == "tax")
    if rated > 0:
        shown["items"] = [
            *shown["items"],
            {"type": "tax", "amount": rated, "description": "Sales Tax"},
        ]
    earlier = order.get("_charges", [])[:-1]
    if earlier:
        found = (charges.find(store, order["_merchant"], cid) for cid in earlier)
        shown["past_charges"] = [public(c) for c in found if c is not None]
    return shown


# -- paying ------------------------------------------------------------------------------


def check_payable(store: Store, merchant_id: str, order: Object) -> None:
    """Refuse a payment to an order that is paid, holds an uncaptured authorization, or
    holds a charge waiting for 3-D Secure (which may yet take the order's money: issue 23)."""
    if order["status"] != "created":
        raise order_already_paid(order["id"])
    for charge_id in order["_charges"]:
        held = charges.find(store, merchant_id, charge_id)
        if held is None:
            continue
        if held["status"] == "pending" and held.get("_pending"):
            raise threeds_waiting(order["id"], charge_id)
        if held["status"] == "succeeded" and not (held["captured"] or held["refunded"]):
            raise authorization_waiting(order["id"], charge_id)


def threeds_waiting(order_id: str, charge_id: str) -> ApiError:
    return conflict(
        f"Order {order_id} has a payment waiting for 3-D Secure, charge {charge_id}: "
        "finalize it (POST /v1/charges/finalize_payment) before paying the order again; "
        "if it is declined, pay again then."
    )


ORDER_SOURCE_FIELDS = (
    "brand",
    "exp_month",
    "exp_year",
    "first6",
    "last4",
    "account_last4",
    "routing_last4",
)
"""What an order shows of its payment's source: a card's, or an ACH account's last fours
(an ACH source has no expiry: paying with it answered 500 before, issue 23)."""


def left_to_pay(order: Object) -> int:
    return int(order["amount"]) - int(order.get("amount_paid", 0))


def pay(
    store: Store,
    merchant_id: str,
    order: Object,
    request: dict[str, Any],
    customer_ip: str,
    email: str | None = None,
    *,
    threeds_required: bool = False,
    base_url: str = "",
) -> Object:
    """One charge of a checked charge request towards the order; a decline (402) is kept
    in the order's history, then raised. A charge waiting for 3-D Secure pays nothing yet:
    `charges.finalize` adds its money when it succeeds."""
    try:
        charge = charges.create(
            store,
            merchant_id,
            request,
            customer_ip,
            order_id=order["id"],
            threeds_required=threeds_required,
            base_url=base_url,
        )
    except ApiError as error:
        if error.status == 402:  # the declined charge is part of the order's history
            order["_charges"].append(error.extra["charge"])
            store.put(Kind.ORDER, order)
        raise
    order["_charges"].append(charge["id"])
    if not charge.get("_pending"):  # waiting for 3-D Secure: finalize adds it; ACH counts now
        order["amount_paid"] = order.get("amount_paid", 0) + charge["amount"]
    source_card = {k: v for k, v in charge["source"].items() if k in ORDER_SOURCE_FIELDS}
    order.update(
        charge=charge["id"],
        ref_num=charge["ref_num"],
        auth_code=charge["auth_code"],
        source=source_card,
        ecomind=charge["ecomind"],  # docs: ecommerce-accepting-payments shows it on a paid order
    )
    if charge.get("warning_message"):  # as that page's pay-for-an-order answer shows it
        order["warning_message"] = charge["warning_message"]
    if email is not None:
        order.setdefault("email", email)
    if order["amount_paid"] == order["amount"]:
        order["status"] = "paid"
        order.setdefault("status_transitions", {})["paid"] = charge["created"]
    store.put(Kind.ORDER, order)
    return order


# -- returning ---------------------------------------------------------------------------


def _refundable(store: Store, merchant_id: str, order: Object) -> list[tuple[str, int]]:
    """The order's charges that still hold captured money, newest first, with how much."""
    found = []
    for charge_id in reversed(order["_charges"]):
        charge = charges.find(store, merchant_id, charge_id)
        if charge is None or charge["status"] != "succeeded" or charge["refunded"]:
            continue
        left = charge["amount_captured"] - charge["amount_refunded"]
        if left > 0:
            found.append((charge_id, left))
    return found


def _refund(store: Store, merchant_id: str, order: Object, value: int) -> None:
    """Refund `value` cents over the order's charges, newest first; refuse, changing
    nothing, when they no longer hold that much (refunded apart from the order, say)."""
    refundable = _refundable(store, merchant_id, order)
    held = sum(left for _, left in refundable)
    if value > held:
        if held == 0:
            raise order_charges_refunded(order["id"])
        raise processing_error(
            f"Returning this would refund {value} cents, but order "
            f"{order['id']}'s charges hold only {held} cents not yet "
            "refunded."
        )
    planned, rest = [], value
    for charge_id, left in refundable:
        if rest == 0:
            break
        planned.append((charge_id, min(rest, left)))
        rest -= planned[-1][1]
    for charge_id, part in planned:  # all checked first: a return refunds whole or nothing
        refunds.check(store, merchant_id, charge_id, part)
    for charge_id, part in planned:
        refunds.create(store, merchant_id, charge_id, part)


def return_items(
    store: Store, merchant_id: str, order: Object, returned: dict[str, int] | None
) -> Object:
    """Return the whole order (`returned` None), or its sku items up to the quantities in
    `returned`; the money goes back to the card."""
    paid, already = order.get("amount_paid", 0), order.get("amount_returned", 0)
    if paid == 0:
        raise invalid_request(
            f"Order {order['id']} has no payments: nothing to return. "
            "Pay it first with POST /v1/orders/{id}/pay."
        )
    if already == paid:
        raise order_already_returned(order["id"])
    if order["status"] not in ("paid", "fulfilled"):
        # docs: ecommerce-refunding-payments: the order's status must be paid or fulfilled
        # (https://docs.clover.com/docs/ecommerce-refunding-payments)
        raise invalid_request(
            f"Order {order['id']} is {order['status']}, not paid: only a paid (or fulfilled) "
            "order can be returned. Pay the rest first, or refund its charges with "
            "POST /v1/refunds."
        )
    if returned is None:
        value = paid - already
        returned = {
            item["parent"]: item["quantity"]
            for item in order.get("items", [])
            if item["type"] == "sku"
        }
    else:
        items = order.get("items", [])
        value = totals(items, order.get("_returned"))[0] - totals(items, returned)[0]
    if value > paid - already:
        raise processing_error(
            f"Returning this would refund {value} cents, more than the "
            f"{paid - already} cents paid and not yet refunded on order "
            f"{order['id']}."
        )
    _refund(store, merchant_id, order, value)
    order["_returned"] = returned
    order["amount_returned"] = already + value
    if order["amount_returned"] == paid:
        order["status"] = "returned"
        order.setdefault("status_transitions", {})["returned"] = store.sequence.created_ms()
    store.put(Kind.ORDER, order)
    return order
