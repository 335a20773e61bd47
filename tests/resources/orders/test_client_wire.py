"""Orders on the wire, for the sync and the async client alike."""

from __future__ import annotations

import pytest

from helpers import CardError, ListPage, Order, shipping, sku, tax_rate
from tests.client.conftest import PRIVATE_KEY

from ..conftest import ECOMMERCE, SHOPPER_IP, Wire

TAX = tax_rate("Sales tax", "8.25")
ITEMS = [
    {"type": "sku", "description": "Pinewood mug", "amount": 1250, "quantity": 2,
     "parent": "ITEM1"},
    {"type": "shipping", "description": "Ground shipping", "amount": 599, "parent": "ITEM2"},
]  # fmt: skip
ORDER = {"id": "ORD4P8Z", "object": "order", "amount": 3306, "status": "created", "items": ITEMS}


def test_create_order_sends_the_cart_in_its_currency(wire: Wire) -> None:
    wire.answer(ORDER)
    order = wire.call(
        "create_order",
        [sku("Pinewood mug", 1250, 2, tax_rates=[TAX]), shipping("Ground shipping", 599)],
        email="ada@example.com",
        customer={"id": "CUST7Q2M"},
        idempotency_key="cart-42",
    )
    request = wire.last
    assert (request.method, str(request.url)) == ("POST", f"{ECOMMERCE}/v1/orders")
    assert request.headers["authorization"] == f"Bearer {PRIVATE_KEY}"
    assert request.headers["idempotency-key"] == "cart-42"
    assert wire.last_json() == {
        "currency": "usd",
        "items": [
            {
                "currency": "usd",
                "type": "sku",
                "description": "Pinewood mug",
                "amount": 1250,
                "quantity": 2,
                "tax_rates": [{"name": "Sales tax", "rate": 825000}],
            },
            {
                "currency": "usd",
                "type": "shipping",
                "description": "Ground shipping",
                "amount": 599,
            },
        ],
        "email": "ada@example.com",
        "customer": "CUST7Q2M",
    }
    assert isinstance(order, Order) and order.amount == 3306
    assert order.items[0].parent == "ITEM1" and len(order.items) == 2  # a field, not dict.items


def test_pay_order_carries_the_shoppers_ip_and_only_the_options_given(wire: Wire) -> None:
    wire.answer({**ORDER, "status": "paid"})
    paid = wire.call("pay_order", Order(ORDER), "clv_1TSTSh7k2pQx9mWzAbCd", amount=1000)
    request = wire.last
    assert (request.method, str(request.url)) == ("POST", f"{ECOMMERCE}/v1/orders/ORD4P8Z/pay")
    assert request.headers["x-forwarded-for"] == SHOPPER_IP
    assert "idempotency-key" in request.headers
    assert wire.last_json() == {"source": "clv_1TSTSh7k2pQx9mWzAbCd", "amount": 1000}
    assert paid.status == "paid"

    wire.answer({**ORDER, "status": "paid"})
    wire.call(
        "pay_order",
        "ORD4P8Z",
        customer="CUST7Q2M",
        stored_credentials={"sequence": "SUBSEQUENT", "initiator": "MERCHANT"},
        customer_ip="198.51.100.9",
    )
    assert wire.last.headers["x-forwarded-for"] == "198.51.100.9"
    assert wire.last_json() == {
        "customer": "CUST7Q2M",
        "stored_credentials": {"sequence": "SUBSEQUENT", "initiator": "MERCHANT"},
    }


@pytest.mark.parametrize("amount", [10.0, "1000", True])
def test_pay_order_refuses_money_that_is_not_int_cents(wire: Wire, amount: object) -> None:
    with pytest.raises(TypeError, match="amount is an int number of cents, not"):
        wire.call("pay_order", "ORD4P8Z", "clv_x", amount=amount)
    assert wire.requests == []


def test_a_declined_payment_is_a_card_error(wire: Wire) -> None:
    wire.answer(
        {
            "message": "402 Payment Required",
            "error": {"type": "card_error", "code": "card_declined", "message": "Declined."},
        },
        402,
    )
    with pytest.raises(CardError) as caught:
        wire.call("pay_order", "ORD4P8Z", "clv_x", idempotency_key="pay-1")
    assert caught.value.code == "card_declined" and caught.value.idempotency_key == "pay-1"


def test_return_order_sends_the_items_or_nothing(wire: Wire) -> None:
    wire.answer({**ORDER, "status": "returned"})
    wire.call("return_order", "ORD4P8Z", [{"parent": "ITEM1", "quantity": 1}])
    assert str(wire.last.url) == f"{ECOMMERCE}/v1/orders/ORD4P8Z/returns"
    assert wire.last_json() == {"items": [{"parent": "ITEM1", "quantity": 1}]}
    wire.answer({**ORDER, "status": "returned"})
    wire.call("return_order", Order(ORDER))
    assert wire.last.method == "POST" and wire.last_json() == {}


def test_get_and_list_orders(wire: Wire) -> None:
    wire.answer(ORDER)
    assert wire.call("get_order", "ORD4P8Z").items[1].type == "shipping"
    assert (wire.last.method, str(wire.last.url)) == ("GET", f"{ECOMMERCE}/v1/orders/ORD4P8Z")

    wire.answer({"object": "list", "data": [ORDER, ORDER], "has_more": False})
    page = wire.call("list_orders", limit=2, status="paid")
    assert dict(wire.last.url.params) == {"limit": "2", "status": "paid"}
    assert "idempotency-key" not in wire.last.headers
    assert isinstance(page, ListPage) and len(page) == 2
    assert all(isinstance(order, Order) for order in page)
