"""Orders against the real local sandbox: items, tax, split payments, returns."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from helpers import AsyncCloverClient, CardError, CloverClient, InvalidRequestError, test_card
from helpers.clover.resources.hosted_checkout import line_item
from helpers.clover.resources.orders import Order, shipping, sku, tax, tax_rate

VISA = test_card("approve", brand="VISA")


def test_tax_rate_is_written_as_clover_does():
    assert tax_rate("Sales", "10") == {"name": "Sales", "rate": 1_000_000}
    assert tax_rate("Sales", Decimal("8.25"))["rate"] == 825_000
    assert tax_rate("Tiny", "0.00001")["rate"] == 1
    with pytest.raises(TypeError):
        tax_rate("Sales", 8.25)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        tax_rate("Sales", "0.000001")


def test_item_builders_say_what_they_are():
    assert sku("Mug", 1250, 2)["type"] == "sku"
    assert shipping("Ground", 599) == {"type": "shipping", "description": "Ground", "amount": 599}
    assert tax("Deposit", 10)["type"] == "tax"
    with pytest.raises(TypeError):
        line_item("Latte", 4.5)  # type: ignore[arg-type]


def test_an_order_paid_in_two_parts_then_returned(live: CloverClient) -> None:
    rate = tax_rate("Sales tax", "8.25")
    order = live.create_order(
        [
            sku("Mug", 1250, 2, tax_rates=[rate]),
            sku("Beans", 899, tax_rates=[rate]),
            shipping("Ground", 599),
        ],
        email="ada@example.com",
    )
    assert isinstance(order, Order) and order.amount == 4278 and order.tax_amount == 280
    part = live.pay_order(order, live.create_token(VISA.card()), amount=2000)
    assert part.status == "created" and part.amount_paid == 2000
    with pytest.raises(CardError):
        live.pay_order(order, live.create_token(test_card("decline").card()))
    paid = live.pay_order(order, live.create_token(VISA.card()))
    assert paid.status == "paid" and len(paid.past_charges) == 2
    with pytest.raises(InvalidRequestError) as caught:
        live.pay_order(order, live.create_token(VISA.card()))
    assert (caught.value.status, caught.value.code) == (409, "order_already_paid")
    mug = paid.items[0]
    back = live.return_order(
        order, [{"parent": mug.parent, "amount": mug.amount, "type": "sku", "quantity": 1}]
    )
    assert back.amount_returned == 1353
    assert live.return_order(order).status == "returned"
    assert live.get_order(order).amount_returned == 4278
    assert [o.id for o in live.list_orders(status="returned")] == [order.id]
    with pytest.raises(TypeError):
        live.pay_order(order, "clv_x", amount=12.5)  # type: ignore[arg-type]


def test_the_async_client_takes_and_returns_an_order(live: CloverClient) -> None:
    async def shop() -> tuple[Order, Order, Order]:
        async with AsyncCloverClient.from_client(live) as client:
            order = await client.create_order([sku("Mug", 1250), shipping("Ground", 599)])
            paid = await client.pay_order(order, await client.create_token(VISA.card()))
            returned = await client.return_order(order)
            return order, paid, returned

    order, paid, returned = asyncio.run(shop())
    assert order.amount == 1849 and paid.status == "paid" and returned.status == "returned"
    assert [item.type for item in paid.items] == ["sku", "shipping"]
    assert live.get_order(order).amount_returned == 1849
