"""The shopper's cart, kept on the server against their session: it holds skus and
quantities only, never a price."""

from __future__ import annotations

import sqlite3

from .catalog import CATALOG, Product

__all__ = ["MAX_QUANTITY", "add", "clear", "items", "remove"]

MAX_QUANTITY = 20


def add(connection: sqlite3.Connection, session_id: str, sku: str, quantity: int = 1) -> None:
    """Add ``quantity`` of a catalog product; unknown skus and silly quantities are refused."""
    if sku not in CATALOG:
        raise ValueError(f"there is no product {sku!r}")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValueError(f"quantity must be between 1 and {MAX_QUANTITY}")
    connection.execute(
        "INSERT INTO carts (session_id, sku, quantity) VALUES (?, ?, ?)"
        " ON CONFLICT (session_id, sku) DO UPDATE"
        " SET quantity = MIN(quantity + excluded.quantity, ?)",
        (session_id, sku, quantity, MAX_QUANTITY),
    )


def remove(connection: sqlite3.Connection, session_id: str, sku: str) -> None:
    connection.execute("DELETE FROM carts WHERE session_id = ? AND sku = ?", (session_id, sku))


def clear(connection: sqlite3.Connection, session_id: str) -> None:
    connection.execute("DELETE FROM carts WHERE session_id = ?", (session_id,))


def items(connection: sqlite3.Connection, session_id: str) -> list[tuple[Product, int]]:
    """The cart's products with their quantities, priced from the catalog."""
    rows = connection.execute(
        "SELECT sku, quantity FROM carts WHERE session_id = ? ORDER BY rowid", (session_id,)
    ).fetchall()
    return [(CATALOG[row["sku"]], row["quantity"]) for row in rows if row["sku"] in CATALOG]
