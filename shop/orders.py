"""Orders and the one set of moves an order may make.

    pending ──> paid ──> fulfilled ──> refunded
       │          └──────────────────────^
       └──> failed

An order is ``pending`` until Clover approves a charge for it; a decline leaves it pending
so the shopper can try another card, until too many declines fail it. Each move is a
compare-and-set in SQLite (``UPDATE ... WHERE status = <expected>``), so two requests that
race to move the same order cannot both succeed, and an illegal move is refused.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .catalog import CURRENCY, Product
from .db import now_ms

__all__ = [
    "TRANSITIONS",
    "IllegalTransition",
    "Order",
    "OrderLine",
    "OrderStatus",
    "create_order",
    "get_order",
    "list_orders",
    "transition",
]


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FULFILLED = "fulfilled"
    REFUNDED = "refunded"
    FAILED = "failed"


TRANSITIONS: Mapping[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.PAID, OrderStatus.FAILED}),
    OrderStatus.PAID: frozenset({OrderStatus.FULFILLED, OrderStatus.REFUNDED}),
    OrderStatus.FULFILLED: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.REFUNDED: frozenset(),
    OrderStatus.FAILED: frozenset(),
}
"""Where each status may go next; ``refunded`` and ``failed`` are final."""


class IllegalTransition(ValueError):
    """An order was asked to make a move the state machine does not allow."""

    def __init__(self, order_id: str, current: str, wanted: str) -> None:
        allowed = ", ".join(sorted(TRANSITIONS[OrderStatus(current)])) or "nothing (final)"
        super().__init__(
            f"order {order_id} is {current} and cannot become {wanted}; "
            f"from {current} it may become: {allowed}"
        )
        self.order_id = order_id
        self.current = current
        self.wanted = wanted


@dataclass(frozen=True)
class OrderLine:
    sku: str
    name: str
    unit_price: int
    quantity: int

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Order:
    """An order as stored; ``amount`` and ``amount_refunded`` are int cents."""

    id: str
    session_id: str
    status: OrderStatus
    amount: int
    currency: str
    charge_id: str | None
    amount_refunded: int
    declines: int
    created: int
    updated: int
    lines: tuple[OrderLine, ...] = ()

    @property
    def refundable(self) -> int:
        """Cents that can still be refunded."""
        return self.amount - self.amount_refunded if self.charge_id else 0

    @classmethod
    def from_row(cls, row: Mapping[str, Any], lines: Sequence[OrderLine] = ()) -> Order:
        return cls(
            id=row["id"],
            session_id=row["session_id"],
            status=OrderStatus(row["status"]),
            amount=row["amount"],
            currency=row["currency"],
            charge_id=row["charge_id"],
            amount_refunded=row["amount_refunded"],
            declines=row["declines"],
            created=row["created"],
            updated=row["updated"],
            lines=tuple(lines),
        )


def create_order(
    connection: sqlite3.Connection,
    session_id: str,
    items: Sequence[tuple[Product, int]],
) -> Order:
    """A new ``pending`` order whose amount is computed here, from the catalog's prices."""
    if not items:
        raise ValueError("an order needs at least one item")
    if any(quantity <= 0 for _, quantity in items):
        raise ValueError("every quantity must be a positive whole number")
    order_id = "ord_" + secrets.token_hex(6)
    amount = sum(item.price * quantity for item, quantity in items)
    stamp = now_ms()
    connection.execute(
        "INSERT INTO orders (id, session_id, status, amount, currency, created, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (order_id, session_id, OrderStatus.PENDING, amount, CURRENCY, stamp, stamp),
    )
    connection.executemany(
        "INSERT INTO order_lines (order_id, sku, name, unit_price, quantity)"
        " VALUES (?, ?, ?, ?, ?)",
        [(order_id, item.sku, item.name, item.price, quantity) for item, quantity in items],
    )
    connection.execute(
        "INSERT INTO order_events (order_id, from_status, to_status, at) VALUES (?, NULL, ?, ?)",
        (order_id, OrderStatus.PENDING, stamp),
    )
    order = get_order(connection, order_id)
    assert order is not None
    return order


def get_order(connection: sqlite3.Connection, order_id: str) -> Order | None:
    row = connection.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
    if row is None:
        return None
    lines = [
        OrderLine(line["sku"], line["name"], line["unit_price"], line["quantity"])
        for line in connection.execute(
            "SELECT * FROM order_lines WHERE order_id = ? ORDER BY rowid", (order_id,)
        )
    ]
    return Order.from_row(row, lines)


def list_orders(connection: sqlite3.Connection, limit: int = 100) -> list[Order]:
    """The newest orders first (lines left out: the admin list does not need them)."""
    rows = connection.execute(
        "SELECT * FROM orders ORDER BY created DESC, rowid DESC LIMIT ?", (limit,)
    ).fetchall()
    return [Order.from_row(row) for row in rows]


_UPDATABLE = frozenset({"charge_id", "amount_refunded", "declines"})


def transition(
    connection: sqlite3.Connection,
    order_id: str,
    to: OrderStatus,
    **fields: Any,
) -> Order:
    """Move an order to ``to`` if the state machine allows it from where it is now.

    ``fields`` (``charge_id``, ``amount_refunded``, ``declines``) are written in the same
    statement. Raises :class:`IllegalTransition` if the move is not allowed, KeyError if
    there is no such order.
    """
    unknown = set(fields) - _UPDATABLE
    if unknown:
        raise ValueError(f"transition() cannot set {sorted(unknown)}")
    current = get_order(connection, order_id)
    if current is None:
        raise KeyError(f"no order {order_id}")
    if to not in TRANSITIONS[current.status]:
        raise IllegalTransition(order_id, current.status, to)
    stamp = now_ms()
    assignments = "".join(f", {name} = ?" for name in fields)
    cursor = connection.execute(
        f"UPDATE orders SET status = ?, updated = ?{assignments} WHERE id = ? AND status = ?",
        (to, stamp, *fields.values(), order_id, current.status),
    )
    if cursor.rowcount != 1:
        # Another request moved the order between the read and the write.
        latest = get_order(connection, order_id)
        raise IllegalTransition(order_id, latest.status if latest else "missing", to)
    connection.execute(
        "INSERT INTO order_events (order_id, from_status, to_status, at) VALUES (?, ?, ?, ?)",
        (order_id, current.status, to, stamp),
    )
    moved = get_order(connection, order_id)
    assert moved is not None
    return moved
