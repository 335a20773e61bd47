"""The order store: one SQLite file, opened per unit of work.

Every write that must not race (paying, refunding, moving an order) runs inside
:func:`transaction`, which takes SQLite's write lock at ``BEGIN IMMEDIATE``: two requests
for the same order are then served one after the other, never interleaved.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["SCHEMA", "connect", "init", "now_ms", "opened", "transaction"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS carts (
    session_id TEXT NOT NULL,
    sku        TEXT NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (session_id, sku)
);
CREATE TABLE IF NOT EXISTS orders (
    id              TEXT PRIMARY KEY,
    session_id      TEXT NOT NULL,
    status          TEXT NOT NULL,
    amount          INTEGER NOT NULL CHECK (amount > 0),
    currency        TEXT NOT NULL,
    charge_id       TEXT,
    amount_refunded INTEGER NOT NULL DEFAULT 0,
    declines        INTEGER NOT NULL DEFAULT 0,
    created         INTEGER NOT NULL,
    updated         INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS order_lines (
    order_id   TEXT NOT NULL REFERENCES orders(id),
    sku        TEXT NOT NULL,
    name       TEXT NOT NULL,
    unit_price INTEGER NOT NULL,
    quantity   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS order_events (
    order_id    TEXT NOT NULL REFERENCES orders(id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS payment_attempts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        TEXT NOT NULL REFERENCES orders(id),
    idempotency_key TEXT NOT NULL UNIQUE,
    source          TEXT,
    customer_ip     TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    status          TEXT NOT NULL,
    charge_id       TEXT,
    error_code      TEXT,
    message         TEXT,
    created         INTEGER NOT NULL,
    updated         INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS hosted_sessions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        TEXT NOT NULL REFERENCES orders(id),
    idempotency_key TEXT NOT NULL UNIQUE,
    session_id      TEXT UNIQUE,
    status          TEXT NOT NULL,
    created         INTEGER,
    expires         INTEGER
);
CREATE TABLE IF NOT EXISTS webhook_events (
    event_id   TEXT PRIMARY KEY,
    type       TEXT,
    status     TEXT,
    session_id TEXT,
    order_id   TEXT,
    result     TEXT NOT NULL,
    received   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS refunds (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        TEXT NOT NULL REFERENCES orders(id),
    idempotency_key TEXT NOT NULL UNIQUE,
    amount          INTEGER,
    status          TEXT NOT NULL,
    refund_id       TEXT,
    message         TEXT,
    created         INTEGER NOT NULL
);
"""


def now_ms() -> int:
    """Milliseconds since the epoch, as Clover stamps its objects."""
    return int(time.time() * 1000)


def connect(path: str) -> sqlite3.Connection:
    """A connection in autocommit mode; :func:`transaction` opens explicit transactions."""
    connection = sqlite3.connect(path, timeout=30.0, isolation_level=None)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA busy_timeout = 30000")
    return connection


def init(path: str) -> None:
    """Create the tables if they are missing; WAL lets pages read while a payment writes."""
    with opened(path) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(SCHEMA)


def _closing(path: str) -> Iterator[sqlite3.Connection]:
    connection = connect(path)
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` if the block raises."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


@contextmanager
def opened(path: str) -> Iterator[sqlite3.Connection]:
    """A connection for one unit of work, closed afterwards."""
    yield from _closing(path)
