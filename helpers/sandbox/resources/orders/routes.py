"""`/v1/orders`: carts with tax and shipping, paid in one or more charges, returned with
refunds (ref: postorders, postordersidpay, postordersidreturns).

Totals are computed here, in whole cents, and are a local sandbox decision where Clover's
pages are silent: an item's `amount` is its unit price, so a line is `amount * quantity`;
a tax rate is in units of 1/10,000,000 (1000000 is 10%); tax is computed once per rate on
the sum of the lines that carry it, rounded half up to the cent; `tax` items add their
amount as it is. What returning items refunds is what they add to that total: the total
before the return minus the total of what is left.
"""

from __future__ import annotations

from dataclasses import replace
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
from helpers.sandbox.core.store import Object, Store, public
from helpers.sandbox.resources.charges import routes as charges
from helpers.sandbox.resources.refunds import routes as refunds

RATE_SCALE = 10_000_000
MAX_ITEMS = 100
MAX_QUANTITY = 10_000
MAX_RATES = 10
ORDER_FIELDS = ("currency", "email", "customer", "items", "metadata")
ITEM_FIELDS = ("type", "parent", "amount", "currency", "description", "quantity", "tax_rates")
ITEM_TYPES = ("sku", "tax", "shipping")
PAY_FIELDS = (
    "source",
    "customer",
    "amount",
    "email",
    "tip_amount",
    "ecomind",
    "stored_credentials",
)
RETURN_ITEM_FIELDS = ("parent", "quantity")


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


# -- validation -------------------------------------------------------------------------


def _tax_rates(item: dict[str, Any], prefix: str) -> list[dict[str, Any]] | None:
    rates = item.get("tax_rates")
    if rates is None:
        return None
    if not isinstance(rates, list) or len(rates) > MAX_RATES:
        raise invalid_request(
            f"{prefix}.tax_rates must be a list of at most {MAX_RATES} "
            'tax rates such as {"name": "Sales tax", "rate": 1000000} '
            "(1000000 is 10%).",
            param=f"{prefix}.tax_rates",
        )
    for j, rate in enumerate(rates):
        where = f"{prefix}.tax_rates[{j}]"
        if not isinstance(rate, dict):
            raise invalid_request(f"{where} must be a JSON object with name and rate.", param=where)
        fields.reject_unknown(rate, ("name", "rate"), prefix=where)
        fields.string(rate, "name", required=True, max_length=64, prefix=where)
        fields.integer(
            rate,
            "rate",
            required=True,
            maximum=RATE_SCALE,
            prefix=where,
            unit="ten-millionths (1000000 is 10%)",
        )
    return [{"name": r["name"], "rate": r["rate"]} for r in rates]


def _item(item: Any, i: int, currency: str) -> dict[str, Any]:
    prefix = f"items[{i}]"
    if not isinstance(item, dict):
        raise invalid_request(f"{prefix} must be a JSON object.", param=prefix)
    fields.reject_unknown(item, ITEM_FIELDS, prefix=prefix)
    kind = fields.string(item, "type", choices=ITEM_TYPES, prefix=prefix) or "sku"
    amount = fields.integer(
        item, "amount", required=True, maximum=charges.MAX_AMOUNT, prefix=prefix
    )
    quantity = fields.integer(
        item, "quantity", minimum=1, maximum=MAX_QUANTITY, prefix=prefix, unit="units"
    )
    if kind != "sku" and quantity not in (None, 1):
        raise invalid_request(
            f"{prefix}.quantity must be 1 (or left out) on a {kind} item.",
            param=f"{prefix}.quantity",
        )
    item_currency = fields.string(item, "currency", prefix=prefix)
    if item_currency is not None and item_currency != currency:
        raise invalid_request(
            f"{prefix}.currency is {item_currency!r} but the order's "
            f"currency is {currency!r}: use one currency.",
            param=f"{prefix}.currency",
        )
    checked: dict[str, Any] = {
        "type": kind,
        "amount": amount,
        "currency": currency,
        "quantity": quantity or 1,
    }
    for name, limit in (("parent", 100), ("description", 255)):
        value = fields.string(item, name, max_length=limit, prefix=prefix)
        if value is not None:
            checked[name] = value
    rates = _tax_rates(item, prefix)
    if rates is not None and kind == "tax":
        raise invalid_request(
            f"{prefix} is a tax item: it carries its tax amount itself, not tax_rates.",
            param=f"{prefix}.tax_rates",
        )
    if rates:
        checked["tax_rates"] = rates
    return checked


def _items(body: dict[str, Any], currency: str) -> list[dict[str, Any]]:
    items = body.get("items")
    if items is None:
        raise missing("items", "Send the cart as a list of items: sku, tax or shipping.")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise invalid_request(f"items must be a list of 1 to {MAX_ITEMS} items.", param="items")
    checked = [_item(item, i, currency) for i, item in enumerate(items)]
    parents = [item["parent"] for item in checked if "parent" in item]
    if len(parents) != len(set(parents)):
        raise invalid_request(
            "Two items have the same parent: give each sku its own, or "
            "raise the quantity of one item.",
            param="items",
        )
    return checked


# -- handlers ---------------------------------------------------------------------------


def view(store: Store, order: Object) -> dict[str, Any]:
    """The order as Clover shows it: earlier payments appear under `past_charges`."""
    shown = public(order)
    earlier = order.get("_charges", [])[:-1]
    if earlier:
        found = (store.get("charge", cid, order["_merchant"]) for cid in earlier)
        shown["past_charges"] = [public(c) for c in found if c is not None]
    return shown


def create_order(call: Call) -> Any:
    body = call.body
    fields.reject_unknown(body, ORDER_FIELDS)
    currency = charges.currency(body)
    items = _items(body, currency)
    email = fields.email(body, "email")
    customer = fields.string(body, "customer", max_length=100)
    if customer is not None and call.store.get("customer", customer, call.merchant_id) is None:
        raise not_found("customer", customer, param="customer")
    metadata = fields.metadata(body)
    amount, tax = totals(items)
    if amount > charges.MAX_AMOUNT:
        raise invalid_request(
            f"The items add up to {amount} cents; an order may be at most {charges.MAX_AMOUNT}.",
            param="items",
            code="amount_too_large",
        )
    if amount < 1:
        raise invalid_request(
            "The items add up to 0 cents: an order must cost something.", param="items"
        )
    seq = call.store.sequence
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
        "_merchant": call.merchant_id,
    }
    for name, value in (("email", email), ("customer", customer), ("metadata", metadata)):
        if value is not None:
            order[name] = value
    call.store.put("order", order)
    return view(call.store, order)


def _order(call: Call) -> Object:
    order = call.store.get("order", call.path["order_id"], call.merchant_id)
    if order is None:
        raise not_found("order", call.path["order_id"])
    return order


def get_order(call: Call) -> Any:
    return view(call.store, _order(call))


def list_orders(call: Call) -> Any:
    return list_page(
        call.store,
        "order",
        call.merchant_id,
        call.query,
        "/v1/orders",
        filters={
            "customer": lambda o, v: o.get("customer") == v,
            "status": lambda o, v: o.get("status") == v,
        },
    )


def pay_order(call: Call) -> Any:
    """One payment towards the order: all that is left, or `amount` of it."""
    order = _order(call)
    body = call.body
    fields.reject_unknown(body, PAY_FIELDS)
    if order["status"] != "created":
        raise ApiError(
            409,
            "invalid_request_error",
            "order_already_paid",
            f"Order with id {order['id']} has been already paid.",
        )
    for charge_id in order["_charges"]:
        held = call.store.get("charge", charge_id, call.merchant_id)
        if held and held["status"] == "succeeded" and not (held["captured"] or held["refunded"]):
            raise ApiError(
                409,
                "invalid_request_error",
                "invalid_request",
                f"Order {order['id']} has an authorization waiting, charge "
                f"{charge_id}: capture it (POST /v1/charges/{charge_id}/capture) "
                "or void it (POST /v1/refunds) before paying the order again.",
            )
    source = fields.string(body, "source", max_length=100)
    customer = fields.string(body, "customer", max_length=100)
    if source is not None and customer is not None:
        raise invalid_request("Send source or customer, not both.", param="customer")
    if source is None and customer is None:
        raise missing("source", "Send a clv_ token as source, or a customer id as customer.")
    left = order["amount"] - order.get("amount_paid", 0)
    requested = charges.amount(body, required=False)
    if requested is not None and requested > left:
        raise invalid_request(
            f"amount {requested} is more than the {left} cents left to pay on order {order['id']}.",
            param="amount",
            code="invalid_charge_amount",
        )
    email = fields.email(body, "email")
    paying = left if requested is None else requested
    charge_body = {
        "amount": paying,
        "currency": order["currency"],
        "source": source if source is not None else customer,
    }
    for name, value in (
        ("receipt_email", email),
        ("tip_amount", body.get("tip_amount")),
        ("ecomind", body.get("ecomind")),
        ("stored_credentials", body.get("stored_credentials")),
    ):
        if value is not None:
            charge_body[name] = value
    try:
        charge = charges.create_charge(replace(call, body=charge_body), order)
    except ApiError as error:
        if error.status == 402:  # the declined charge is part of the order's history
            order["_charges"].append(error.extra["charge"])
            call.store.put("order", order)
        if customer is not None and error.param == "source":
            error.param = "customer"  # name the field this request sent
        raise
    order["_charges"].append(charge["id"])
    order["amount_paid"] = order.get("amount_paid", 0) + paying
    source_card = {
        k: charge["source"][k] for k in ("brand", "exp_month", "exp_year", "first6", "last4")
    }
    order.update(
        charge=charge["id"],
        ref_num=charge["ref_num"],
        auth_code=charge["auth_code"],
        source=source_card,
    )
    if email is not None:
        order.setdefault("email", email)
    if order["amount_paid"] == order["amount"]:
        order["status"] = "paid"
        order.setdefault("status_transitions", {})["paid"] = charge["created"]
    call.store.put("order", order)
    return view(call.store, order)


def _returned_quantities(order: Object, body: dict[str, Any]) -> dict[str, int] | None:
    """The sku quantities returned after this request, or None for a full return."""
    fields.reject_unknown(body, ("items",))
    wanted = body.get("items")
    if wanted is None:
        return None
    if not isinstance(wanted, list) or not wanted:
        raise invalid_request(
            'items must be a non-empty list of {"parent", "quantity"}; '
            "leave items out to return the whole order.",
            param="items",
        )
    skus = {item["parent"]: item for item in order.get("items", []) if item["type"] == "sku"}
    returned = dict(order.get("_returned", {}))
    for i, entry in enumerate(wanted):
        prefix = f"items[{i}]"
        if not isinstance(entry, dict):
            raise invalid_request(f"{prefix} must be a JSON object.", param=prefix)
        fields.reject_unknown(entry, RETURN_ITEM_FIELDS, prefix=prefix)
        parent = fields.string(entry, "parent", required=True, max_length=100, prefix=prefix)
        assert parent is not None
        if parent not in skus:
            raise invalid_request(
                f"{prefix}.parent {parent!r} is not a sku item of order {order['id']}.",
                param=f"{prefix}.parent",
            )
        left = skus[parent]["quantity"] - returned.get(parent, 0)
        quantity = fields.integer(
            entry, "quantity", minimum=1, maximum=MAX_QUANTITY, prefix=prefix, unit="units"
        )
        quantity = left if quantity is None else quantity
        if quantity > left:
            raise invalid_request(
                f"{prefix}.quantity {quantity} is more than the {left} left to return of {parent}.",
                param=f"{prefix}.quantity",
            )
        returned[parent] = returned.get(parent, 0) + quantity
    return returned


def _refundable(call: Call, order: Object) -> list[tuple[str, int]]:
    """The order's charges that still hold captured money, newest first, with how much."""
    found = []
    for charge_id in reversed(order["_charges"]):
        charge = call.store.get("charge", charge_id, call.merchant_id)
        if charge is None or charge["status"] != "succeeded" or charge["refunded"]:
            continue
        left = charge["amount_captured"] - charge["amount_refunded"]
        if left > 0:
            found.append((charge_id, left))
    return found


def _refund(call: Call, order: Object, value: int) -> None:
    """Refund `value` cents over the order's charges, newest first; refuse, changing
    nothing, when they no longer hold that much (refunded apart from the order, say)."""
    refundable = _refundable(call, order)
    held = sum(left for _, left in refundable)
    if value > held:
        if held == 0:
            raise ApiError(
                400,
                "invalid_request_error",
                "charge_already_refunded",
                f"Order {order['id']}'s charges hold no captured money to refund: "
                "they were refunded already, or are authorizations never "
                "captured (void those with POST /v1/refunds).",
            )
        raise processing_error(
            f"Returning this would refund {value} cents, but order "
            f"{order['id']}'s charges hold only {held} cents not yet "
            "refunded."
        )
    for charge_id, left in refundable:
        if value == 0:
            return
        part = min(value, left)
        refunds.create_refund(replace(call, body={"charge": charge_id, "amount": part}))
        value -= part


def return_order(call: Call) -> Any:
    """Return the whole order, or some of its items; the money goes back to the card."""
    order = _order(call)
    returned = _returned_quantities(order, call.body)
    paid, already = order.get("amount_paid", 0), order.get("amount_returned", 0)
    if paid == 0:
        raise invalid_request(
            f"Order {order['id']} has no payments: nothing to return. "
            "Pay it first with POST /v1/orders/{id}/pay."
        )
    if already == paid:
        raise ApiError(
            400,
            "invalid_request_error",
            "charge_already_refunded",
            f"Order {order['id']} was already returned: everything paid for it has been refunded.",
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
    _refund(call, order, value)
    order["_returned"] = returned
    order["amount_returned"] = already + value
    if order["amount_returned"] == paid:
        order["status"] = "returned"
        order.setdefault("status_transitions", {})["returned"] = call.store.sequence.created_ms()
    call.store.put("order", order)
    return view(call.store, order)
