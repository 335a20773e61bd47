"""The order state machine: the moves it allows, the ones it refuses, and races."""

from __future__ import annotations

import pytest

from shop.catalog import CATALOG
from shop.db import opened, transaction
from shop.orders import (
    TRANSITIONS,
    IllegalTransition,
    Order,
    OrderStatus,
    create_order,
    get_order,
    transition,
)

from .conftest import new_order

ALLOWED = [
    (OrderStatus.PENDING, OrderStatus.PAID),
    (OrderStatus.PENDING, OrderStatus.FAILED),
    (OrderStatus.PAID, OrderStatus.FULFILLED),
    (OrderStatus.PAID, OrderStatus.REFUNDED),
    (OrderStatus.FULFILLED, OrderStatus.REFUNDED),
]


def _walk_to(database: str, order_id: str, target: OrderStatus) -> None:
    path = {
        OrderStatus.PENDING: [],
        OrderStatus.PAID: [OrderStatus.PAID],
        OrderStatus.FULFILLED: [OrderStatus.PAID, OrderStatus.FULFILLED],
        OrderStatus.REFUNDED: [OrderStatus.PAID, OrderStatus.REFUNDED],
        OrderStatus.FAILED: [OrderStatus.FAILED],
    }[target]
    with opened(database) as connection:
        for step in path:
            transition(connection, order_id, step)


def test_a_new_order_is_pending_and_priced_from_the_catalog(database: str) -> None:
    order = new_order(database, MUG_01=2, STK_01=1)
    assert order.status is OrderStatus.PENDING
    assert order.amount == 2 * CATALOG["MUG-01"].price + CATALOG["STK-01"].price
    assert [line.sku for line in order.lines] == ["MUG-01", "STK-01"]


def test_the_table_of_moves_is_the_documented_one() -> None:
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == set(ALLOWED)


@pytest.mark.parametrize(("start", "to"), ALLOWED)
def test_allowed_moves(database: str, start: OrderStatus, to: OrderStatus) -> None:
    order = new_order(database)
    _walk_to(database, order.id, start)
    with opened(database) as connection:
        moved = transition(connection, order.id, to, charge_id="CHARGE0000001")
    assert moved.status is to


ILLEGAL = [(a, b) for a in OrderStatus for b in OrderStatus if (a, b) not in ALLOWED]


@pytest.mark.parametrize(("start", "to"), ILLEGAL)
def test_illegal_moves_are_refused(database: str, start: OrderStatus, to: OrderStatus) -> None:
    order = new_order(database)
    _walk_to(database, order.id, start)
    with opened(database) as connection, pytest.raises(IllegalTransition) as raised:
        transition(connection, order.id, to)
    assert f"is {start} and cannot become {to}" in str(raised.value)
    with opened(database) as connection:
        still = get_order(connection, order.id)
    assert still is not None and still.status is start


def test_every_move_is_recorded(database: str, order: Order) -> None:
    _walk_to(database, order.id, OrderStatus.FULFILLED)
    with opened(database) as connection:
        rows = connection.execute(
            "SELECT from_status, to_status FROM order_events WHERE order_id = ? ORDER BY rowid",
            (order.id,),
        ).fetchall()
    assert [tuple(row) for row in rows] == [
        (None, "pending"),
        ("pending", "paid"),
        ("paid", "fulfilled"),
    ]


def test_a_move_made_from_a_stale_read_is_refused(database: str, order: Order) -> None:
    """Two requests read "pending"; the first pays, the second must not also fail it."""
    with opened(database) as first, opened(database) as second:
        with transaction(first):
            transition(first, order.id, OrderStatus.PAID)
        with pytest.raises(IllegalTransition):
            transition(second, order.id, OrderStatus.FAILED)


def test_an_order_needs_items_and_positive_quantities(database: str) -> None:
    with opened(database) as connection:
        with pytest.raises(ValueError, match="at least one item"):
            create_order(connection, "s", [])
        with pytest.raises(ValueError, match="positive"):
            create_order(connection, "s", [(CATALOG["MUG-01"], 0)])


def test_an_unknown_order_cannot_move(database: str) -> None:
    with opened(database) as connection, pytest.raises(KeyError):
        transition(connection, "ord_missing", OrderStatus.PAID)
