"""`/v1/orders`: create, read, list, pay, return (ref: postorders, postordersidpay,
postordersidreturns). Pay takes `threeds` as a charge does
(https://docs.clover.com/dev/docs/add-3ds-to-pay-for-an-order,
https://docs.clover.com/dev/docs/initiate-3ds-sdk-with-the-pay-for-order-endpoint), and the
merchant's "3-D Secure required" applies to it. HTTP only: the body is checked here;
model.py computes totals and pays and refunds through the charges and refunds models.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import ApiError, invalid_request, missing, not_an_object, not_found
from helpers.sandbox.core.http import Call
from helpers.sandbox.core.lists import list_page
from helpers.sandbox.core.money import MAX_AMOUNT
from helpers.sandbox.core.store import Kind, Object
from helpers.sandbox.resources.charges import model as charges
from helpers.sandbox.resources.customers import model as customers
from helpers.sandbox.resources.customers import routes as customer_routes
from helpers.sandbox.resources.orders import model
from helpers.sandbox.resources.orders.model import RATE_SCALE
from helpers.sandbox.resources.recurring.model import TAX_RATES
from helpers.sandbox.resources.threeds import model as threeds

MAX_ITEMS = 100
MAX_QUANTITY = 10_000
MAX_RATES = 10
ORDER_FIELDS = ("currency", "email", "customer", "items", "metadata", "shipping")
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
    "threeds",
)
# docs: ecommerce-refunding-payments: parent, amount and type, with description, quantity
RETURN_ITEM_FIELDS = ("parent", "quantity", "amount", "description", "type")


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
        fields.reject_unknown(rate, ("name", "rate", "tax_rate_uuid"), prefix=where)
        fields.string(rate, "name", required=True, max_length=64, prefix=where)
        uuid = fields.string(rate, "tax_rate_uuid", max_length=64, prefix=where)
        fields.integer(
            rate,
            "rate",
            required=uuid is None,
            maximum=RATE_SCALE,
            prefix=where,
            unit="ten-millionths (1000000 is 10%)",
        )
    return [_rate(r, f"{prefix}.tax_rates[{j}]") for j, r in enumerate(rates)]


def _rate(rate: dict[str, Any], where: str) -> dict[str, Any]:
    """A tax rate as a percentage, or as the merchant's tax rate by its uuid ("TAX AS
    UUID", docs: ecommerce-accepting-payments,
    https://docs.clover.com/docs/ecommerce-accepting-payments)."""
    uuid = rate.get("tax_rate_uuid")
    if uuid is None:
        return {"name": rate["name"], "rate": rate["rate"]}
    if uuid not in TAX_RATES:
        raise invalid_request(
            f"{where}.tax_rate_uuid {uuid!r} is not one of the merchant's tax rates; use one "
            f"of {', '.join(sorted(TAX_RATES))}, or send rate instead.",
            param=f"{where}.tax_rate_uuid",
        )
    known = TAX_RATES[uuid][1]
    if rate.get("rate") is not None and rate["rate"] != known:
        raise invalid_request(
            f"{where}.rate {rate['rate']} is not the rate of tax rate {uuid} ({known}): "
            "send one of them.",
            param=f"{where}.rate",
        )
    return {"name": rate["name"], "rate": known, "tax_rate_uuid": uuid}


def _item(item: Any, i: int, currency: str) -> dict[str, Any]:
    prefix = f"items[{i}]"
    if not isinstance(item, dict):
        raise not_an_object(prefix)
    fields.reject_unknown(item, ITEM_FIELDS, prefix=prefix)
    kind = fields.string(item, "type", choices=ITEM_TYPES, prefix=prefix) or "sku"
    amount = fields.integer(item, "amount", required=True, maximum=MAX_AMOUNT, prefix=prefix)
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


def _items(body: Mapping[str, Any], currency: str) -> list[dict[str, Any]]:
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


def return_request(
    body: Mapping[str, Any],
) -> list[tuple[str, int | None, int | None]] | None:
    """The (parent, quantity, amount) of each item to return, or None for the whole order.

    Each item names its `parent`, `amount` and `type`, which Clover's refund page requires
    (https://docs.clover.com/docs/ecommerce-refunding-payments), with `description` and
    `quantity` beside them; ref: postordersidreturns."""
    fields.reject_unknown(body, ("items",))
    wanted = body.get("items")
    if wanted is None:
        return None
    if not isinstance(wanted, list) or not wanted:
        raise invalid_request(
            'items must be a non-empty list of {"parent", "amount", "type"} (and "quantity"); '
            "leave items out to return the whole order.",
            param="items",
        )
    pairs = []
    for i, entry in enumerate(wanted):
        prefix = f"items[{i}]"
        if not isinstance(entry, dict):
            raise not_an_object(prefix)
        fields.reject_unknown(entry, RETURN_ITEM_FIELDS, prefix=prefix)
        parent = fields.string(entry, "parent", required=True, max_length=100, prefix=prefix)
        assert parent is not None
        quantity = fields.integer(
            entry, "quantity", minimum=1, maximum=MAX_QUANTITY, prefix=prefix, unit="units"
        )
        fields.string(entry, "type", choices=("sku",), required=True, prefix=prefix)
        fields.string(entry, "description", max_length=255, prefix=prefix)
        amount = fields.integer(entry, "amount", maximum=MAX_AMOUNT, required=True, prefix=prefix)
        pairs.append((parent, quantity, amount))
    return pairs


def _returned_quantities(order: Object, body: dict[str, Any]) -> dict[str, int] | None:
    """The sku quantities returned after this request, or None for a full return."""
    wanted = return_request(body)
    if wanted is None:
        return None
    skus = {item["parent"]: item for item in order.get("items", []) if item["type"] == "sku"}
    returned = dict(order.get("_returned", {}))
    for i, (parent, quantity, amount) in enumerate(wanted):
        prefix = f"items[{i}]"
        if parent not in skus:
            raise invalid_request(
                f"{prefix}.parent {parent!r} is not a sku item of order {order['id']}.",
                param=f"{prefix}.parent",
            )
        left = skus[parent]["quantity"] - returned.get(parent, 0)
        quantity = left if quantity is None else quantity
        if quantity > left:
            raise invalid_request(
                f"{prefix}.quantity {quantity} is more than the {left} left to return of {parent}.",
                param=f"{prefix}.quantity",
            )
        line = skus[parent]["amount"] * quantity
        if amount is not None and amount != line:
            raise invalid_request(
                f"{prefix}.amount {amount} is not what {quantity} of {parent} cost ({line} "
                "cents): send that, or leave amount out.",
                param=f"{prefix}.amount",
            )
        returned[parent] = returned.get(parent, 0) + quantity
    return returned


# -- handlers ---------------------------------------------------------------------------


def order_request(body: Mapping[str, Any]) -> dict[str, Any]:
    """A new order's fields, checked (ref: postorders)."""
    fields.reject_unknown(body, ORDER_FIELDS)
    currency = charges.currency(body)
    return {
        "currency": currency,
        "items": _items(body, currency),
        "email": fields.email(body, "email"),
        "customer": fields.string(body, "customer", max_length=100),
        "metadata": fields.metadata(body),
        "shipping": customer_routes.shipping(body),  # docs: ecommerce-accepting-payments
    }


def create_order(call: Call) -> Any:
    request = order_request(call.body)
    customer = request["customer"]
    if customer is not None and not customers.exists(call.store, call.merchant_id, customer):
        raise not_found("customer", customer, param="customer")
    order = model.create(call.store, call.merchant_id, **request)
    return model.view(call.store, order)


def get_order(call: Call) -> Any:
    return model.view(call.store, model.get(call.store, call.merchant_id, call.path["order_id"]))


def list_orders(call: Call) -> Any:
    charges.bring_up_to_date(call.store, call.merchant_id)  # a returned ACH payment unpays
    return list_page(
        call.store,
        Kind.ORDER,
        call.merchant_id,
        call.query,
        "/v1/orders",
        filters={
            "customer": lambda o, v: o.get("customer") == v,
            "status": lambda o, v: o.get("status") == v,
        },
    )


def pay_request(
    body: Mapping[str, Any],
) -> tuple[str | None, str | None, int | None, str | None]:
    """The source or customer, and the amount, of a payment (ref: postordersidpay); the
    charge fields it passes on are checked by `charges.charge_request`."""
    fields.reject_unknown(body, PAY_FIELDS)
    source = fields.string(body, "source", max_length=100)
    customer = fields.string(body, "customer", max_length=100)
    requested = charges.amount(body, required=False)
    threeds.request(body)  # checked again with the charge; here for the OpenAPI document
    return source, customer, requested, fields.email(body, "email")


def pay_order(call: Call) -> Any:
    """One payment towards the order: all that is left, or `amount` of it."""
    store, merchant_id, body = call.store, call.merchant_id, call.body
    order = model.get(store, merchant_id, call.path["order_id"])
    source, customer, requested, email = pay_request(body)
    model.check_payable(store, merchant_id, order)
    if source is not None and customer is not None:
        raise invalid_request("Send source or customer, not both.", param="customer")
    if source is None and customer is None:
        raise missing("source", "Send a clv_ token as source, or a customer id as customer.")
    left = model.left_to_pay(order)
    if requested is not None and requested > left:
        raise invalid_request(
            f"amount {requested} is more than the {left} cents left to pay on order {order['id']}.",
            param="amount",
            code="invalid_charge_amount",
        )
    charge_body = {
        "amount": left if requested is None else requested,
        "currency": order["currency"],
        "source": source if source is not None else customer,
    }
    for name, value in (
        ("receipt_email", email),
        ("tip_amount", body.get("tip_amount")),
        ("ecomind", body.get("ecomind")),
        ("stored_credentials", body.get("stored_credentials")),
        ("threeds", body.get("threeds")),  # dev/docs/add-3ds-to-pay-for-an-order
    ):
        if value is not None:
            charge_body[name] = value
    try:
        ip = charges.customer_ip(call.headers.get("x-forwarded-for", ""))
        request = charges.charge_request(charge_body)
        order = model.pay(
            store,
            merchant_id,
            order,
            request,
            ip,
            email,
            threeds_required=merchant_id in call.state.settings.threeds_required,
            base_url=call.request.app.state.addresses.base_url,
        )
    except ApiError as error:
        if customer is not None and error.param == "source":
            error.param = "customer"  # name the field this request sent
        raise
    # An order's payment is refunded by returning the order, not with /v1/refunds
    # (https://docs.clover.com/docs/ecommerce-refunding-payments); refunds/model.py checks.
    paid_by = charges.get(store, merchant_id, order["charge"])
    paid_by["_order_pay"] = True
    charges.save(store, paid_by)
    return model.view(store, order)


def return_order(call: Call) -> Any:
    """Return the whole order, or some of its items; the money goes back to the card."""
    order = model.get(call.store, call.merchant_id, call.path["order_id"])
    returned = _returned_quantities(order, call.body)
    order = model.return_items(call.store, call.merchant_id, order, returned)
    return model.view(call.store, order)
