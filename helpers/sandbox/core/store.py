"""The sandbox's state: objects by kind and merchant, idempotency records, the id sequence.

Reads are served from memory. With a database path every change is written through to
SQLite in one transaction per request, before the answer leaves the server, so whatever
the sandbox acknowledged survives a restart or a kill -9. Objects are plain dicts in
Clover's wire shape; keys that start with `_` are the sandbox's own and never rendered.

A request is one unit (`begin` ... `commit`, `end`): while it is open, the store keeps a
copy of every object the request reads, so that when the database refuses the write,
memory goes back to what it was too (objects, idempotency records, the id sequence) and
a retry with the same idempotency-key runs the request again.

Whoever must act on what a request changed, but only once it is written (app webhooks),
listens with `on_commit`: a refused or rolled-back write is never told.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import marshal
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from helpers.sandbox.core.ids import Sequence
from helpers.sandbox.core.render import compact

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
    MERCHANT = "merchant"  # one registered with POST /_sandbox/merchants (local-only)
    THREEDS_AUTHENTICATION = "threeds_authentication"
    GIFT_CARD = "gift_card"
    PLAN = "plan"
    SUBSCRIPTION = "subscription"
    INVOICE = "invoice"
    APP_WEBHOOK = "app_webhook"
    APP_WEBHOOK_DELIVERY = "app_webhook_delivery"


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

Written = tuple[Kind, Object, bool]
"""An object a commit wrote: its kind, itself, and whether this commit created it."""
CommitListener = Callable[["Store", list[Written]], None]


def _copied(value: Any) -> Any:
    """A deep copy of a JSON-like value (what the store holds): marshal copies dicts,
    lists and strings in C, shared parts still shared, several times faster than
    `copy.deepcopy`, which every request's unit pays; anything else falls back to it."""
    try:
        return marshal.loads(marshal.dumps(value))
    except ValueError:
        return copy.deepcopy(value)


_commit_listeners: list[CommitListener] = []
log = logging.getLogger(__name__)


def on_commit(listener: CommitListener) -> None:
    """Be told, after each successful commit, of the objects it wrote (in first-put order).
    A listener that raises is logged and skipped: what was committed stays committed, and
    the request that committed it still gets its answer."""
    if listener not in _commit_listeners:
        _commit_listeners.append(listener)


class StorageError(Exception):
    """The database cannot be used or refused a write: one line naming the file and the fix."""


def _fix_for(path: str, problem: sqlite3.Error | OSError | ValueError) -> str:
    text = str(problem).lower()
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return f"the folder {folder} does not exist: create it, or pick another --db path"
    if "readonly" in text or "read-only" in text or "permission" in text or "access" in text:
        return f"make {path} and its folder writable, or pick another --db path"
    if "full" in text or "space" in text:
        return "free disk space, or pick a --db path on a disk with room"
    if "not a database" in text or "malformed" in text or isinstance(problem, ValueError):
        return (
            f"{path} is not a sandbox database (or is damaged): move it aside, "
            "or pick another --db path"
        )
    if "unable to open" in text:
        return f"check that {path} can be created and written, or pick another --db path"
    return "check the file and the disk, or pick another --db path"


def _storage_error(path: str, problem: sqlite3.Error | OSError | ValueError) -> StorageError:
    return StorageError(
        f"Cannot use the sandbox database {path} ({problem}): {_fix_for(path, problem)}."
    )


@dataclass
class _Unit:
    """What the open request has touched, to undo it in memory when its write fails."""

    depth: int
    sequence: Sequence
    objects: dict[tuple[Kind, str], tuple[Object, Object] | None]
    replays: dict[tuple[str, str], Replay | None]


@dataclass
class Replay:
    fingerprint: str
    status: int
    data: bytes  # the first answer's body as it was sent: a replay sends the same bytes
    stored_at: float


def public(obj: Object) -> Object:
    """The wire view of a stored object: drops the sandbox's private `_` keys."""
    return {k: v for k, v in obj.items() if not k.startswith("_")}


class Store:
    def __init__(self, seed: int | None = None, db_path: str | Path | None = None) -> None:
        self.start_seed = seed
        self._db: sqlite3.Connection | None = None
        self.db_path = None if db_path is None else str(db_path)
        self._unit: _Unit | None = None
        self._clear_memory(seed)
        if self.db_path is not None:
            self._open(self.db_path)

    def _open(self, path: str) -> None:
        """Open, check and load the database; refuse it in one line if it cannot be
        written now (read-only, full, corrupt, or in a folder that does not exist)."""
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            self._load()
            with self._write() as db:  # a write now, so a read-only file fails at start
                self._write_sequence(db)
        except (sqlite3.Error, OSError, ValueError, KeyError, TypeError) as problem:
            if self._db is not None:
                self._db.close()
                self._db = None
            reason = (
                problem
                if isinstance(problem, sqlite3.Error | OSError)
                else ValueError(f"unreadable row: {problem}")
            )
            raise _storage_error(path, reason) from None

    # -- lifecycle ---------------------------------------------------------------------

    def _clear_memory(self, seed: int | None) -> None:
        self.sequence = Sequence(seed) if seed is not None else Sequence.unseeded()
        self._objects: dict[Kind, dict[str, Object]] = {}
        self._lists: dict[tuple[Kind, str], list[str]] = {}
        self._positions: dict[tuple[Kind, str], int] = {}
        self._replays: dict[tuple[str, str], Replay] = {}
        self._pending_objects: dict[tuple[Kind, str], Object] = {}
        self._pending_created: set[tuple[Kind, str]] = set()
        self._pending_replays: dict[tuple[str, str], Replay] = {}
        self._pending_sequence = False
        if self._unit is not None:
            self._unit = _Unit(self._unit.depth, self.sequence.snapshot(), {}, {})

    def reset(self, seed: int | None = None) -> None:
        """Empty everything; with no seed, go back to the seed the sandbox started with.
        The database is emptied first, so that a refused write leaves memory as it was."""
        seed = self.start_seed if seed is None else seed
        if self._db is not None:
            fresh = Sequence(seed) if seed is not None else Sequence.unseeded()
            kept, self.sequence = self.sequence, fresh
            try:
                with self._write() as db:
                    db.execute("DELETE FROM objects")
                    db.execute("DELETE FROM idempotency")
                    db.execute("DELETE FROM meta")
                    self._write_sequence(db)
            finally:
                self.sequence = kept
        self._clear_memory(seed)

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
        now = self._now_s()
        for merchant, key, fingerprint, status, body, stored_at in self._db.execute(
            "SELECT merchant, key, fingerprint, status, body, stored_at FROM idempotency "
            "ORDER BY stored_at"
        ):
            if now - stored_at < IDEMPOTENCY_TTL_S:
                # an older database kept the answer as JSON with spaces: sent again compact
                record = Replay(fingerprint, status, compact(json.loads(body))[0], stored_at)
                self._replays[(merchant, key)] = record

    # -- objects -------------------------------------------------------------------------

    def _index(self, kind: Kind, obj: Object, object_id: str) -> None:
        objects = self._objects.setdefault(kind, {})
        if object_id not in objects:
            ids = self._lists.setdefault((kind, obj["_merchant"]), [])
            self._positions[(kind, object_id)] = len(ids)
            ids.append(object_id)
        objects[object_id] = obj

    def _touch(self, kind: Kind, object_id: str, obj: Object | None) -> None:
        """Within a unit, keep a copy of an object before the request can change it."""
        unit = self._unit
        if unit is not None and (kind, object_id) not in unit.objects:
            unit.objects[(kind, object_id)] = None if obj is None else (obj, _copied(obj))

    def put(self, kind: Kind, obj: Object) -> Object:
        """Add or replace an object; it is written to disk by the next `commit`."""
        before = self._objects.get(kind, {}).get(obj["id"])
        self._touch(kind, obj["id"], before)
        if before is None:
            self._pending_created.add((kind, obj["id"]))
        self._index(kind, obj, obj["id"])
        self._pending_objects[(kind, obj["id"])] = obj
        self._pending_sequence = True
        return obj

    def get(self, kind: Kind, object_id: str, merchant: str) -> Object | None:
        """One merchant's object; another merchant's is answered as if it did not exist."""
        obj = self._objects.get(kind, {}).get(object_id)
        if obj is None or obj["_merchant"] != merchant:
            return None
        self._touch(kind, object_id, obj)
        return obj

    def find(self, kind: Kind, object_id: str) -> Object | None:
        """An object whatever its merchant: for OAuth grants, whose secret says who they are."""
        obj = self._objects.get(kind, {}).get(object_id)
        if obj is not None:
            self._touch(kind, object_id, obj)
        return obj

    def holds(self, kind: Kind) -> bool:
        """Whether any object of `kind` exists: a feature none uses costs a request nothing."""
        return bool(self._objects.get(kind))

    def newest_first(
        self, kind: Kind, merchant: str, *, before_index: int | None = None
    ) -> Iterator[Object]:
        """Objects of one kind and merchant, newest first, optionally older than an index.
        For reading only: a request that changes an object fetches it with `get`/`find`,
        which keep the copy a failed write restores."""
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

    def move_clock_to(self, ms: int) -> None:
        """Move the clock forward to `ms` within the open unit (written by its commit)."""
        self.sequence.move_to(ms)
        self._pending_sequence = True

    def expiry_now_s(self) -> float:
        """Unix seconds on the clock expirations run on (see `Sequence.expiry_now_ms`)."""
        return self.sequence.expiry_now_ms() / 1000

    def merchants_of(self, kind: Kind) -> list[str]:
        """The merchants that hold objects of `kind`, in the order they first did."""
        return [merchant for (k, merchant) in self._lists if k == kind]

    # -- idempotency ---------------------------------------------------------------------

    def _now_s(self) -> float:
        """The sandbox's clock (the seeded one that `/_sandbox/clock` moves), in seconds."""
        return self.sequence.now_ms() / 1000

    def replay(self, merchant: str, key: str) -> Replay | None:
        record = self._replays.get((merchant, key))
        if record is not None and self._now_s() - record.stored_at >= IDEMPOTENCY_TTL_S:
            return None  # expired: pruned from memory and disk by the next commit
        return record

    def remember(self, merchant: str, key: str, fingerprint: str, status: int, data: bytes) -> None:
        """Keep the answer for replays as the bytes that were sent: later writes to the
        objects it showed cannot change it, and a replay answers the first answer, byte
        for byte."""
        record = Replay(fingerprint, status, data, self._now_s())
        if self._unit is not None and (merchant, key) not in self._unit.replays:
            self._unit.replays[(merchant, key)] = self._replays.get((merchant, key))
        self._replays.pop((merchant, key), None)  # re-inserted last: oldest stay first
        self._replays[(merchant, key)] = record
        self._pending_replays[(merchant, key)] = record

    def _expired(self) -> list[tuple[str, str]]:
        """Idempotency records older than 24 h by the sandbox clock, oldest first."""
        cutoff = self._now_s() - IDEMPOTENCY_TTL_S
        expired = []
        for where, record in self._replays.items():
            if record.stored_at > cutoff:
                break
            expired.append(where)
        return expired

    # -- units -----------------------------------------------------------------------------

    @property
    def in_unit(self) -> bool:
        """A request's unit is open (one whose handler awaits, say): work that commits on
        its own (a clock move's step) waits until it is closed, so as not to join it."""
        return self._unit is not None

    def begin(self) -> None:
        """Open a unit for one request (a request made from within another joins it)."""
        if self._unit is None:
            self._unit = _Unit(1, self.sequence.snapshot(), {}, {})
        else:
            self._unit.depth += 1

    def end(self) -> None:
        if self._unit is not None:
            self._unit.depth -= 1
            if self._unit.depth <= 0:
                self._unit = None

    def rollback(self) -> None:
        """Put memory back as it was when the unit opened (or last committed)."""
        unit = self._unit
        if unit is None:
            self._pending_objects.clear()
            self._pending_created.clear()
            self._pending_replays.clear()
            self._pending_sequence = False
            return
        for (kind, object_id), before in unit.objects.items():
            if before is None:
                self._unindex(kind, object_id)
            else:
                original, saved = before
                original.clear()
                original.update(saved)
                self._objects.setdefault(kind, {})[object_id] = original
        for where, record in unit.replays.items():
            self._replays.pop(where, None)
            if record is not None:
                self._replays[where] = record
        self.sequence = unit.sequence.snapshot()
        self._pending_objects.clear()
        self._pending_created.clear()
        self._pending_replays.clear()
        self._pending_sequence = False
        unit.objects, unit.replays = {}, {}

    def _unindex(self, kind: Kind, object_id: str) -> None:
        obj = self._objects.get(kind, {}).pop(object_id, None)
        if obj is None:
            return
        ids = self._lists.get((kind, obj["_merchant"]), [])
        self._positions.pop((kind, object_id), None)
        if ids and ids[-1] == object_id:
            ids.pop()
        elif object_id in ids:
            ids.remove(object_id)
            for i, other in enumerate(ids):
                self._positions[(kind, other)] = i

    # -- durability ----------------------------------------------------------------------

    def commit(self) -> None:
        """Write what this request changed, in one transaction, before it is acknowledged.
        When the database refuses, memory is rolled back and `StorageError` raised."""
        expired = self._expired()
        written = [
            (kind, obj, (kind, object_id) in self._pending_created)
            for (kind, object_id), obj in self._pending_objects.items()
        ]
        pending = self._pending_objects or self._pending_replays or self._pending_sequence
        if self._db is not None and (pending or expired):
            try:
                self._write_pending(expired)
            except sqlite3.Error as problem:
                self.rollback()
                raise _storage_error(self.db_path or "", problem) from None
        for where in expired:
            self._replays.pop(where, None)
        self._committed()
        if written:
            for listener in _commit_listeners:
                try:
                    listener(self, written)
                except Exception:
                    log.exception("a commit listener failed; the commit stands")

    def _committed(self) -> None:
        """What is written is the new starting point of the open unit."""
        self._pending_objects.clear()
        self._pending_created.clear()
        self._pending_replays.clear()
        self._pending_sequence = False
        if self._unit is not None:
            self._unit = _Unit(self._unit.depth, self.sequence.snapshot(), {}, {})

    def _write_pending(self, expired: list[tuple[str, str]]) -> None:
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
                    (merchant, key, r.fingerprint, r.status, r.data.decode(), r.stored_at)
                    for (merchant, key), r in self._pending_replays.items()
                ],
            )
            if expired:
                db.executemany("DELETE FROM idempotency WHERE merchant = ? AND key = ?", expired)
            self._write_sequence(db)

    def _write_sequence(self, db: sqlite3.Connection) -> None:
        s = self.sequence
        value = json.dumps(
            {
                "seed": s.seed,
                "position": s.position,
                "ticks": s.ticks,
                "seeded": s.seeded,
                "offset_ms": s.offset_ms,
            }
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
        if not exc_type:
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
        elif self.db.in_transaction:  # SQLite may have rolled back already (disk full)
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
