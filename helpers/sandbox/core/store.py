"""The sandbox's state: objects by kind and merchant, idempotency records, the id sequence.

Reads are served from memory. With a database path every change is written through to
SQLite in one transaction per request, before the answer leaves the server, so whatever
the sandbox acknowledged survives a restart or a kill -9. Objects are plain dicts in
Clover's wire shape; keys that start with `_` are the sandbox's own and never rendered.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from helpers.sandbox.core.ids import Sequence

Object = dict[str, Any]


class Kind(StrEnum):
    """Every kind of object the store keeps: the one list of them (stored as the value)."""

    TOKEN = "token"
    CHARGE = "charge"
    REFUND = "refund"
    CUSTOMER = "customer"
    CARD = "card"
    ORDER = "order"
    CHECKOUT_SESSION = "checkout_session"
    WEBHOOK_ENDPOINT = "webhook_endpoint"
    WEBHOOK_DELIVERY = "webhook_delivery"
    OAUTH_CODE = "oauth_code"
    OAUTH_ACCESS_TOKEN = "oauth_access_token"
    OAUTH_REFRESH_TOKEN = "oauth_refresh_token"


SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    kind TEXT NOT NULL, id TEXT NOT NULL, merchant TEXT NOT NULL, seq INTEGER NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE TABLE IF NOT EXISTS idempotency (
    merchant TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, status INTEGER NOT NULL,
    body TEXT NOT NULL, stored_at REAL NOT NULL, PRIMARY KEY (merchant, key));
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

IDEMPOTENCY_TTL_S = 24 * 3600


@dataclass
class Replay:
    fingerprint: str
    status: int
    body: Any
    stored_at: float


def public(obj: Object) -> Object:
    """The wire view of a stored object: drops the sandbox's private `_` keys."""
    return {k: v for k, v in obj.items() if not k.startswith("_")}


class Store:
    def __init__(self, seed: int | None = None, db_path: str | Path | None = None) -> None:
        self.start_seed = seed
        self._db = None
        if db_path is not None:
            self._db = sqlite3.connect(str(db_path), check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        self._clear_memory(seed)
        if self._db is not None:
            self._load()

    # -- lifecycle ---------------------------------------------------------------------

    def _clear_memory(self, seed: int | None) -> None:
        self.sequence = Sequence(seed) if seed is not None else Sequence.unseeded()
        self._objects: dict[Kind, dict[str, Object]] = {}
        self._lists: dict[tuple[Kind, str], list[str]] = {}
        self._positions: dict[tuple[Kind, str], int] = {}
        self._replays: dict[tuple[str, str], Replay] = {}
        self._pending_objects: dict[tuple[Kind, str], Object] = {}
        self._pending_replays: dict[tuple[str, str], Replay] = {}
        self._pending_sequence = False

    def reset(self, seed: int | None = None) -> None:
        """Empty everything; with no seed, go back to the seed the sandbox started with."""
        self._clear_memory(self.start_seed if seed is None else seed)
        if self._db is not None:
            with self._write() as db:
                db.execute("DELETE FROM objects")
                db.execute("DELETE FROM idempotency")
                db.execute("DELETE FROM meta")
                self._write_sequence(db)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _load(self) -> None:
        assert self._db is not None
        meta = dict(self._db.execute("SELECT name, value FROM meta"))
        if "sequence" in meta:
            self.sequence = Sequence(**json.loads(meta["sequence"]))
        else:
            with self._write() as db:
                self._write_sequence(db)
        rows = self._db.execute("SELECT kind, id, merchant, body FROM objects ORDER BY seq")
        known = {kind.value for kind in Kind}
        for kind, object_id, _merchant, body in rows:
            if kind in known:  # a database written by an older sandbox may hold other kinds
                self._index(Kind(kind), json.loads(body), object_id)
        now = time.time()
        for merchant, key, fingerprint, status, body, stored_at in self._db.execute(
            "SELECT merchant, key, fingerprint, status, body, stored_at FROM idempotency"
        ):
            if now - stored_at < IDEMPOTENCY_TTL_S:
                record = Replay(fingerprint, status, json.loads(body), stored_at)
                self._replays[(merchant, key)] = record

    # -- objects -------------------------------------------------------------------------

    def _index(self, kind: Kind, obj: Object, object_id: str) -> None:
        objects = self._objects.setdefault(kind, {})
        if object_id not in objects:
            ids = self._lists.setdefault((kind, obj["_merchant"]), [])
            self._positions[(kind, object_id)] = len(ids)
            ids.append(object_id)
        objects[object_id] = obj

    def put(self, kind: Kind, obj: Object) -> Object:
        """Add or replace an object; it is written to disk by the next `commit`."""
        self._index(kind, obj, obj["id"])
        self._pending_objects[(kind, obj["id"])] = obj
        self._pending_sequence = True
        return obj

    def get(self, kind: Kind, object_id: str, merchant: str) -> Object | None:
        """One merchant's object; another merchant's is answered as if it did not exist."""
        obj = self._objects.get(kind, {}).get(object_id)
        if obj is None or obj["_merchant"] != merchant:
            return None
        return obj

    def find(self, kind: Kind, object_id: str) -> Object | None:
        """An object whatever its merchant: for OAuth grants, whose secret says who they are."""
        return self._objects.get(kind, {}).get(object_id)

    def newest_first(
        self, kind: Kind, merchant: str, *, before_index: int | None = None
    ) -> Iterator[Object]:
        """Objects of one kind and merchant, newest first, optionally older than an index."""
        ids = self._lists.get((kind, merchant), [])
        objects = self._objects[kind] if ids else {}
        start = len(ids) - 1 if before_index is None else before_index - 1
        for i in range(start, -1, -1):
            yield objects[ids[i]]

    def oldest_first(self, kind: Kind, merchant: str, *, after_index: int) -> Iterator[Object]:
        ids = self._lists.get((kind, merchant), [])
        objects = self._objects[kind] if ids else {}
        for i in range(after_index + 1, len(ids)):
            yield objects[ids[i]]

    def index_of(self, kind: Kind, object_id: str) -> int:
        return self._positions[(kind, object_id)]

    def advance_clock(self, ms: int) -> None:
        """Move the seeded clock forward; the new position is stored like any change."""
        self.sequence.advance(ms)
        self._pending_sequence = True
        self.commit()

    # -- idempotency ---------------------------------------------------------------------

    def replay(self, merchant: str, key: str) -> Replay | None:
        record = self._replays.get((merchant, key))
        if record is not None and time.time() - record.stored_at >= IDEMPOTENCY_TTL_S:
            del self._replays[(merchant, key)]
            return None
        return record

    def remember(self, merchant: str, key: str, fingerprint: str, status: int, body: Any) -> None:
        record = Replay(fingerprint, status, body, time.time())
        self._replays[(merchant, key)] = record
        self._pending_replays[(merchant, key)] = record

    # -- durability ----------------------------------------------------------------------

    def commit(self) -> None:
        """Write what this request changed, in one transaction, before it is acknowledged."""
        if self._db is None:
            self._pending_objects.clear()
            self._pending_replays.clear()
            self._pending_sequence = False
            return
        if not (self._pending_objects or self._pending_replays or self._pending_sequence):
            return
        with self._write() as db:
            db.executemany(
                "INSERT INTO objects (kind, id, merchant, seq, body) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
                [
                    (
                        kind,
                        object_id,
                        obj["_merchant"],
                        self._positions[(kind, object_id)],
                        json.dumps(obj, separators=(",", ":")),
                    )
                    for (kind, object_id), obj in self._pending_objects.items()
                ],
            )
            db.executemany(
                "INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (merchant, key, r.fingerprint, r.status, json.dumps(r.body), r.stored_at)
                    for (merchant, key), r in self._pending_replays.items()
                ],
            )
            self._write_sequence(db)
        self._pending_objects.clear()
        self._pending_replays.clear()
        self._pending_sequence = False

    def _write_sequence(self, db: sqlite3.Connection) -> None:
        s = self.sequence
        value = json.dumps(
            {"seed": s.seed, "position": s.position, "ticks": s.ticks, "seeded": s.seeded}
        )
        db.execute("INSERT OR REPLACE INTO meta VALUES ('sequence', ?)", (value,))

    def _write(self) -> _Transaction:
        assert self._db is not None
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
