"""Orders: totals with tax and shipping, payment in parts, returns that refund."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import assert_error, bearer, charge, tokenize

SALES = {"name": "Sales tax", "rate": 825000}  # 8.25%
CITY = {"name": "City tax", "rate": 100000}  # 1%


def expected_total(items: list[dict[str, Any]]) -> tuple[int, int]:
    """The stated rule, computed independently: tax per rate on the sum of the lines that
    carry it, rounded half up to the cent; tax items added as they are."""
    lines = Decimal(0)
    tax = Decimal(0)
    bases: dict[tuple[str, int], Decimal] = {}
    for item in items:
        line = Decimal(item["amount"]) * item.get("quantity", 1)
        if item.get("type") == "tax":
            tax += line
            continue
        lines += line
        for rate in item.get("tax_rates", []):
            key = (rate["name"], rate["rate"])
            bases[key] = bases.get(key, Decimal(0)) + line
    for (_, rate), base in bases.items():
        tax += (base * rate / 10_000_000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(lines + tax), int(tax)


def create_order(
    http: httpx.Client, merchant: dict[str, str], items: list[dict[str, Any]], **body: Any
) -> httpx.Response:
    return http.post(
        "/v1/orders", headers=bearer(merchant), json={"currency": "usd", "items": items, **body}
    )


def pay(http: httpx.Client, merchant: dict[str, str], order_id: str, **body: Any) -> httpx.Response:
    if "customer" not in body:
        body.setdefault("source", tokenize(http, merchant))
    return http.post(f"/v1/orders/{order_id}/pay", headers=bearer(merchant), json=body)


CART = [
    {"type": "sku", "description": "Mug", "amount": 1250, "quantity": 2, "tax_rates": [SALES]},
    {"type": "sku", "description": "Beans", "amount": 899, "tax_rates": [SALES, CITY]},
    {"type": "shipping", "description": "Ground", "amount": 599},
]


def test_an_order_totals_items_tax_and_shipping(http, merchant):
    response = create_order(http, merchant, CART, email="ada@example.com")
    assert response.status_code == 200, response.text
    order = response.json()
    # 2 x 12.50 + 8.99 = 33.99 at 8.25% = 2.804175 -> 2.80; 8.99 at 1% = 0.0899 -> 0.09
    assert order["tax_amount"] == 280 + 9
    assert order["amount"] == 2500 + 899 + 280 + 9 + 599 == expected_total(CART)[0]
    assert order["status"] == "created" and order["amount_paid"] == 0
    assert order["object"] == "order" and order["currency"] == "usd"
    assert [item.get("quantity") for item in order["items"]] == [2, 1, 1, None]
    assert all(len(item["parent"]) == 13 for item in order["items"][:2])
    assert "parent" not in order["items"][2]
    # the rates' tax is an item of its own, as in Clover's create-an-order answer
    # (docs: ecommerce-accepting-payments)
    assert order["items"][3] == {"type": "tax", "amount": 289, "description": "Sales Tax"}
    fetched = http.get(f"/v1/orders/{order['id']}", headers=bearer(merchant)).json()
    assert fetched == order


def test_half_a_cent_of_tax_rounds_up(http, merchant):
    items = [
        {
            "type": "sku",
            "description": "Pen",
            "amount": 10,
            "tax_rates": [{"name": "Half", "rate": 500000}],
        }
    ]  # 10 cents at 5% = 0.5 cent
    assert create_order(http, merchant, items).json()["tax_amount"] == 1


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    skus=st.lists(
        st.fixed_dictionaries(
            {
                "type": st.just("sku"),
                "amount": st.integers(0, 50_000),
                "quantity": st.integers(1, 9),
                "tax_rates": st.lists(
                    st.sampled_from([SALES, CITY, {"name": "Odd", "rate": 333333}]),
                    unique_by=lambda r: r["name"],
                    max_size=3,
                ),
            }
        ),
        min_size=1,
        max_size=8,
    ),
    shipping=st.none() | st.integers(0, 2_000),
    fixed_tax=st.none() | st.integers(0, 500),
)
def test_order_totals_follow_the_stated_rule(http, merchant, skus, shipping, fixed_tax):
    items = list(skus)
    if shipping is not None:
        items.append({"type": "shipping", "amount": shipping, "tax_rates": [CITY]})
    if fixed_tax is not None:
        items.append({"type": "tax", "amount": fixed_tax, "description": "Bottle deposit"})
    total, tax = expected_total(items)
    response = create_order(http, merchant, items)
    if total == 0:
        assert_error(response, 400, "invalid_request", "items")
        return
    order = response.json()
    assert (order["amount"], order["tax_amount"]) == (total, tax)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    quantities=st.lists(st.integers(1, 4), min_size=1, max_size=4),
    prices=st.lists(st.integers(1, 9_999), min_size=4, max_size=4),
    split=st.floats(0.05, 0.95),
)
def test_returning_every_item_refunds_what_was_paid(http, merchant, quantities, prices, split):
    items = [
        {"type": "sku", "amount": prices[i], "quantity": q, "tax_rates": [SALES]}
        for i, q in enumerate(quantities)
    ]
    order = create_order(http, merchant, items).json()
    first = max(1, int(order["amount"] * split))
    if first < order["amount"]:
        assert pay(http, merchant, order["id"], amount=first).status_code == 200
    paid = pay(http, merchant, order["id"]).json()
    assert paid["status"] == "paid" and paid["amount_paid"] == order["amount"]
    refunded = 0
    for item in (i for i in paid["items"] if i["type"] == "sku"):
        for _ in range(item["quantity"]):
            back = http.post(
                f"/v1/orders/{order['id']}/returns",
                headers=bearer(merchant),
                json={"items": [returned_item(item)]},
            )
            assert back.status_code == 200, back.text
            refunded = back.json()["amount_returned"]
    assert refunded == order["amount"]
    final = http.get(f"/v1/orders/{order['id']}", headers=bearer(merchant)).json()
    assert final["status"] == "returned"
    charges = [order_charge["id"] for order_charge in final.get("past_charges", [])]
    charges.append(final["charge"])
    total_refunds = sum(
        r["amount"]
        for cid in charges
        for r in http.get(
            "/v1/refunds", headers=bearer(merchant), params={"charge": cid, "limit": 100}
        ).json()["data"]
    )
    assert total_refunds == order["amount"]


def test_an_order_is_paid_in_two_parts_and_the_first_shows_as_past_charge(http, merchant):
    order = create_order(http, merchant, CART).json()
    first = pay(http, merchant, order["id"], amount=2000)
    assert first.status_code == 200, first.text
    after_first = first.json()
    assert after_first["status"] == "created" and after_first["amount_paid"] == 2000
    assert "past_charges" not in after_first
    second = pay(http, merchant, order["id"], email="ada@example.com").json()
    assert second["status"] == "paid"
    assert second["amount_paid"] == order["amount"]
    assert second["status_transitions"]["paid"] > 0
    assert [c["id"] for c in second["past_charges"]] == [after_first["charge"]]
    assert second["source"]["last4"] == "4242" and "id" not in second["source"]
    assert second["ref_num"] and second["auth_code"].startswith("OK")
    made = http.get(f"/v1/charges/{second['charge']}", headers=bearer(merchant)).json()
    assert made["order"] == order["id"]
    assert made["amount"] == order["amount"] - 2000
    assert made["receipt_email"] == "ada@example.com"


def test_paying_a_paid_order_is_409(http, merchant):
    order = create_order(http, merchant, CART).json()
    assert pay(http, merchant, order["id"]).status_code == 200
    error = assert_error(pay(http, merchant, order["id"]), 409, "order_already_paid")
    assert order["id"] in error["message"]


def test_a_customer_pays_an_order_with_the_card_on_file(http, merchant):
    customer = http.post(
        "/v1/customers",
        headers=bearer(merchant),
        json={"source": tokenize(http, merchant), "email": "ada@example.com"},
    ).json()
    order = create_order(http, merchant, CART, customer=customer["id"]).json()
    paid = pay(http, merchant, order["id"], customer=customer["id"]).json()
    assert paid["status"] == "paid" and paid["customer"] == customer["id"]
    listed = http.get(
        "/v1/orders", headers=bearer(merchant), params={"customer": customer["id"]}
    ).json()["data"]
    assert [o["id"] for o in listed] == [order["id"]]


def test_a_declined_payment_leaves_the_order_open(http, merchant):
    order = create_order(http, merchant, CART).json()
    declined = pay(
        http, merchant, order["id"], source=tokenize(http, merchant, number="4005571702222222")
    )
    error = assert_error(declined, 402, "card_declined")
    assert pay(http, merchant, order["id"]).json()["status"] == "paid"
    final = http.get(f"/v1/orders/{order['id']}", headers=bearer(merchant)).json()
    assert error["charge"] in [c["id"] for c in final["past_charges"]]


@pytest.mark.parametrize(
    ("body", "status", "code", "param"),
    [
        ({"amount": 999_999}, 400, "invalid_charge_amount", "amount"),
        ({"amount": 0}, 400, "invalid_charge_amount", "amount"),
        ({"source": None, "customer": None}, 400, "invalid_request", "source"),
        ({"customer": "ZZZZZZZZZZZZZ"}, 400, "invalid_request", "customer"),
        ({"email": "nope"}, 400, "email_invalid", "email"),
        ({"tip_amount": -5}, 400, "invalid_tip_amount", "tip_amount"),
        ({"capture": False}, 400, "invalid_request", "capture"),
    ],
)
def test_bad_payments_name_the_field(http, merchant, body, status, code, param):
    order = create_order(http, merchant, CART).json()
    request = {"source": tokenize(http, merchant), **body}
    request = {k: v for k, v in request.items() if v is not None}
    response = http.post(f"/v1/orders/{order['id']}/pay", headers=bearer(merchant), json=request)
    assert_error(response, status, code, param)


def test_order_pay_needs_the_shoppers_ip(http, merchant):
    order = create_order(http, merchant, CART).json()
    headers = {k: v for k, v in bearer(merchant).items() if k != "x-forwarded-for"}
    response = http.post(
        f"/v1/orders/{order['id']}/pay", headers=headers, json={"source": tokenize(http, merchant)}
    )
    assert_error(response, 400, "invalid_request", "x-forwarded-for")


@pytest.mark.parametrize(
    ("items", "code", "param"),
    [
        (None, "invalid_request", "items"),
        ([], "invalid_request", "items"),
        ([{"amount": -1}], "invalid_request", "items[0].amount"),
        ([{"amount": 10.5}], "invalid_request", "items[0].amount"),
        ([{"amount": 100, "type": "discount"}], "invalid_request", "items[0].type"),
        ([{"amount": 100, "quantity": 0}], "invalid_request", "items[0].quantity"),
        (
            [{"amount": 100, "type": "shipping", "quantity": 2}],
            "invalid_request",
            "items[0].quantity",
        ),
        ([{"amount": 100, "currency": "cad"}], "invalid_request", "items[0].currency"),
        (
            [{"amount": 100, "tax_rates": [{"name": "T", "rate": 10_000_001}]}],
            "invalid_request",
            "items[0].tax_rates[0].rate",
        ),
        (
            [{"amount": 100, "tax_rates": [{"rate": 1}]}],
            "invalid_request",
            "items[0].tax_rates[0].name",
        ),
        ([{"amount": 100, "tax_rates": "8%"}], "invalid_request", "items[0].tax_rates"),
        (
            [{"amount": 100, "type": "tax", "tax_rates": [SALES]}],
            "invalid_request",
            "items[0].tax_rates",
        ),
        ([{"amount": 100, "sku": "X"}], "invalid_request", "items[0].sku"),
        ([{"amount": 99_999_999, "quantity": 2}], "amount_too_large", "items"),
        ([{"amount": 0}], "invalid_request", "items"),
        ([{"amount": 1, "parent": "A"}, {"amount": 2, "parent": "A"}], "invalid_request", "items"),
    ],
)
def test_bad_carts_name_the_field(http, merchant, items, code, param):
    body: dict[str, Any] = {"currency": "usd"}
    if items is not None:
        body["items"] = items
    response = http.post("/v1/orders", headers=bearer(merchant), json=body)
    assert_error(response, 400, code, param)


def test_an_order_for_an_unknown_customer_is_404(http, merchant):
    response = create_order(http, merchant, CART, customer="ZZZZZZZZZZZZZ")
    assert_error(response, 404, "resource_missing", "customer")


def test_returning_one_item_refunds_its_price_and_its_tax(http, merchant):
    order = create_order(http, merchant, CART).json()
    paid = pay(http, merchant, order["id"]).json()
    back = http.post(
        f"/v1/orders/{order['id']}/returns",
        headers=bearer(merchant),
        json={"items": [returned_item(paid["items"][0])]},
    ).json()
    rest = [dict(CART[0], quantity=1), CART[1], CART[2]]
    assert back["amount_returned"] == order["amount"] - expected_total(rest)[0] == 1250 + 103
    assert back["status"] == "paid"
    refunds = http.get(
        "/v1/refunds", headers=bearer(merchant), params={"charge": paid["charge"]}
    ).json()["data"]
    assert [r["amount"] for r in refunds] == [1353]
    whole = http.post(f"/v1/orders/{order['id']}/returns", headers=bearer(merchant), json={})
    assert whole.json()["status"] == "returned"
    assert whole.json()["amount_returned"] == order["amount"]
    charge_after = http.get(f"/v1/charges/{paid['charge']}", headers=bearer(merchant)).json()
    assert charge_after["refunded"] is True


def returned_item(item: dict) -> dict:
    """One unit of an order's line, as Clover's refund page sends it: `parent`, `amount` and
    `type` required (https://docs.clover.com/docs/ecommerce-refunding-payments)."""
    return {"parent": item["parent"], "amount": item["amount"], "type": "sku", "quantity": 1}


def test_a_returned_item_names_its_parent_amount_and_type(http, merchant):
    """Clover's refund page: "The parent, amount, and type values are required"."""
    order = create_order(http, merchant, CART).json()
    paid = pay(http, merchant, order["id"]).json()
    url = f"/v1/orders/{order['id']}/returns"
    item = returned_item(paid["items"][0])
    for missing in ("parent", "amount", "type"):
        body = {"items": [{k: v for k, v in item.items() if k != missing}]}
        error = assert_error(
            http.post(url, headers=bearer(merchant), json=body),
            400,
            "invalid_request",
            f"items[0].{missing}",
        )
        assert "required" in error["message"].lower()
    assert http.get(f"/v1/orders/{order['id']}", headers=bearer(merchant)).json()[
        "amount_returned"
    ] in (0, None)
    assert http.post(url, headers=bearer(merchant), json={"items": [item]}).status_code == 200


def test_return_errors(http, merchant):
    order = create_order(http, merchant, CART).json()
    url = f"/v1/orders/{order['id']}/returns"
    assert_error(http.post(url, headers=bearer(merchant), json={}), 400, "invalid_request")
    paid = pay(http, merchant, order["id"]).json()
    mug = returned_item(paid["items"][0])
    for body, code, param in [
        ({"items": [{**mug, "parent": "NOPE"}]}, "invalid_request", "items[0].parent"),
        ({"items": [{**mug, "quantity": 3}]}, "invalid_request", "items[0].quantity"),
        ({"items": []}, "invalid_request", "items"),
        ({"items": [{**mug, "reason": "x"}]}, "invalid_request", "items[0].reason"),
    ]:
        assert_error(http.post(url, headers=bearer(merchant), json=body), 400, code, param)
    assert http.post(url, headers=bearer(merchant), json={}).status_code == 200
    assert_error(http.post(url, headers=bearer(merchant), json={}), 400, "charge_already_refunded")


def test_a_charge_made_with_v1_charges_shows_its_order(http, merchant):
    made = charge(http, merchant, 1358).json()
    order = http.get(f"/v1/orders/{made['order']}", headers=bearer(merchant)).json()
    assert order["amount"] == 1358 and order["status"] == "paid"
    assert order["charge"] == made["id"] and order["amount_paid"] == 1358
    back = http.post(f"/v1/orders/{made['order']}/returns", headers=bearer(merchant), json={})
    assert back.json()["status"] == "returned"
    assert (
        http.get(f"/v1/charges/{made['id']}", headers=bearer(merchant)).json()["refunded"] is True
    )


def test_other_merchants_orders_do_not_exist(http, merchant, other_merchant):
    order = create_order(http, merchant, CART).json()
    assert_error(
        http.get(f"/v1/orders/{order['id']}", headers=bearer(other_merchant)),
        404,
        "resource_missing",
    )
    assert_error(pay(http, other_merchant, order["id"]), 404, "resource_missing")


def test_an_order_payment_is_refunded_by_a_return_not_by_v1_refunds(http, merchant):
    """ecommerce-refunding-payments: /v1/refunds is only for charges made with /v1/charges;
    an order's payment comes back through POST /v1/orders/{id}/returns."""
    order = create_order(http, merchant, CART).json()
    paid = pay(http, merchant, order["id"]).json()
    refused = http.post("/v1/refunds", headers=bearer(merchant), json={"charge": paid["charge"]})
    error = assert_error(refused, 400, "invalid_request", "charge")
    assert f"/v1/orders/{order['id']}/returns" in error["message"]
    assert http.get("/v1/refunds", headers=bearer(merchant)).json()["data"] == []
    kept = http.get(f"/v1/charges/{paid['charge']}", headers=bearer(merchant)).json()
    assert kept["amount_refunded"] == 0 and not kept["refunded"]
    url = f"/v1/orders/{order['id']}/returns"
    returned = http.post(url, headers=bearer(merchant), json={})
    assert returned.status_code == 200, returned.text
    again = http.post("/v1/refunds", headers=bearer(merchant), json={"charge": paid["charge"]})
    assert_error(again, 400, "invalid_request", "charge")


def test_a_charge_made_with_v1_charges_is_still_refunded_with_v1_refunds(http, merchant):
    made = charge(http, merchant, 1000).json()
    refund = http.post("/v1/refunds", headers=bearer(merchant), json={"charge": made["id"]})
    assert refund.status_code == 200, refund.text


def test_an_unknown_customer_on_order_pay_names_the_customer_field(http, merchant):
    order = create_order(http, merchant, CART).json()
    response = pay(http, merchant, order["id"], customer="ZZZZZZZZZZZZZ")
    assert_error(response, 404, "resource_missing", "customer")


def test_an_authorization_pays_its_order_only_when_captured(http, merchant):
    held = charge(http, merchant, 1000, capture=False).json()
    url = f"/v1/orders/{held['order']}"
    order = http.get(url, headers=bearer(merchant)).json()
    assert (order["status"], order["amount_paid"]) == ("created", 0)
    assert_error(pay(http, merchant, held["order"]), 409, "invalid_request")
    captured = http.post(
        f"/v1/charges/{held['id']}/capture", headers=bearer(merchant), json={"amount": 600}
    )
    assert captured.status_code == 200, captured.text
    order = http.get(url, headers=bearer(merchant)).json()
    assert (order["status"], order["amount"], order["amount_paid"]) == ("paid", 600, 600)


def test_a_voided_authorization_leaves_its_order_open_to_pay(http, merchant):
    held = charge(http, merchant, 1000, capture=False).json()
    void = http.post("/v1/refunds", headers=bearer(merchant), json={"charge": held["id"]})
    assert void.json()["metadata"]["refundType"] == "PREAUTH"
    order = http.get(f"/v1/orders/{held['order']}", headers=bearer(merchant)).json()
    assert (order["status"], order["amount_paid"]) == ("created", 0)
    assert_error(
        http.post(f"/v1/orders/{held['order']}/returns", headers=bearer(merchant), json={}),
        400,
        "invalid_request",
    )
    paid = pay(http, merchant, held["order"])
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
