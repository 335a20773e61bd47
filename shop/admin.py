"""What the admin page shows of each order: besides the order itself, its date, items, how
the shopper tried to pay (the card fields, Clover's Hosted Checkout page, or both), its
declined attempts, refunds and webhooks, so a pending order says why it is pending."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .orders import Order, OrderStatus, list_orders

__all__ = ["AdminRow", "admin_rows", "format_when"]

CARD = "card fields"
HOSTED = "Hosted Checkout"


@dataclass(frozen=True)
class AdminRow:
    order: Order
    items: list[tuple[str, int]]
    """(name, quantity) of each line."""
    methods: list[str]
    """``card fields`` and/or ``Hosted Checkout``: the ways payment was tried."""
    last_decline: str | None = None
    """The code Clover gave the last declined card attempt (``card_declined``...)."""
    refunds: list[dict[str, Any]] = field(default_factory=list)
    webhooks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reconcilable(self) -> bool:
        """Only a pending Hosted Checkout order can have been paid without the shop hearing
        of it (its webhook lost): a card payment's answer comes back to ``POST /pay``."""
        return self.order.status is OrderStatus.PENDING and HOSTED in self.methods


def format_when(ms: int) -> str:
    """An order's timestamp (ms since the epoch) as UTC, to the minute."""
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ms / 1000))


def _grouped(rows: Iterable[sqlite3.Row]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["order_id"], []).append(dict(row))
    return grouped


def admin_rows(connection: sqlite3.Connection, limit: int = 100) -> list[AdminRow]:
    """The newest orders first, each with what the admin page shows of it."""
    orders = list_orders(connection, limit)
    lines = _grouped(
        connection.execute("SELECT order_id, name, quantity FROM order_lines ORDER BY rowid")
    )
    attempts = _grouped(
        connection.execute("SELECT order_id, status, error_code FROM payment_attempts ORDER BY id")
    )
    hosted = {
        row[0]
        for row in connection.execute(
            "SELECT DISTINCT order_id FROM hosted_sessions WHERE session_id IS NOT NULL"
        )
    }
    refunds = _grouped(
        connection.execute(
            "SELECT order_id, amount, status, refund_id, message, created FROM refunds ORDER BY id"
        )
    )
    webhooks = _grouped(
        connection.execute(
            "SELECT order_id, event_id, status, result FROM webhook_events"
            " WHERE order_id IS NOT NULL ORDER BY received"
        )
    )
    rows = []
    for order in orders:
        tried = attempts.get(order.id, [])
        declined = [a for a in tried if a["status"] == "declined"]
        methods = ([CARD] if tried else []) + ([HOSTED] if order.id in hosted else [])
        rows.append(
            AdminRow(
                order=order,
                items=[(line["name"], line["quantity"]) for line in lines.get(order.id, [])],
                methods=methods,
                last_decline=declined[-1]["error_code"] if declined else None,
                refunds=refunds.get(order.id, []),
                webhooks=webhooks.get(order.id, []),
            )
        )
    return rows
