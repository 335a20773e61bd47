"""A database that starts refusing writes mid-stream: nothing acknowledged is lost, nothing
unacknowledged appears, and the retry with the same idempotency-key succeeds once the disk
is back. The failures are real `sqlite3` errors raised where SQLite raises them (an insert,
or the COMMIT itself), by a stand-in for the store's connection."""

from __future__ import annotations

import random
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import httpx

from helpers.sandbox.server import Sandbox
from tests.support import VISA, bearer


class FailingDisk:
    """The store's SQLite connection, refusing writes while `full` is set."""

    def __init__(self, db: sqlite3.Connection, seed: int) -> None:
        self.db, self.full, self.injected = db, False, 0
        self.random = random.Random(seed)

    def _check(self, sql: str) -> None:
        words = sql.split()
        verb = words[0].upper() if words else ""
        if self.full and verb in ("INSERT", "COMMIT", "DELETE") and self.random.random() < 0.7:
            self.injected += 1
            raise sqlite3.OperationalError("database or disk is full")

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return self.db.execute(sql, *args)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        self._check(sql)
        return self.db.executemany(sql, rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


def _charge(
    http: httpx.Client,
    merchant: dict[str, str],
    key: str,
    amount: int,
    disk: FailingDisk | None = None,
    full: bool = False,
) -> httpx.Response:
    """A charge of a fresh token; the disk refuses writes (or not) from the charge on."""
    token = http.post(
        "/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={"card": VISA}
    )
    assert token.status_code == 200, token.text
    if disk is not None:
        disk.full = full
    return http.post(
        "/v1/charges",
        headers={**bearer(merchant), "idempotency-key": key},
        json={"amount": amount, "currency": "usd", "source": token.json()["id"]},
    )


def test_a_failing_disk_loses_nothing_acknowledged_and_shows_nothing_unacknowledged(
    tmp_path: Path,
) -> None:
    db = tmp_path / "failing.sqlite3"
    acknowledged: dict[str, dict[str, Any]] = {}
    refused: list[tuple[str, int]] = []
    with Sandbox(seed=11, db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        store = sandbox.app.state.sandbox.store
        disk = FailingDisk(store._db, seed=5)
        store._db = disk
        merchant = http.get("/_sandbox/merchants").json()[0]
        for n in range(240):
            disk.full = False
            key = str(uuid.uuid4())
            full = 80 <= n < 160  # the disk fills up mid-stream, then is freed
            response = _charge(http, merchant, key, 100 + n, disk, full)
            if response.status_code == 200:
                charge = response.json()
                acknowledged[charge["id"]] = charge
            else:
                assert response.status_code == 503, response.text
                body = response.json()
                assert body["message"] == "503 Service Unavailable"
                assert "retry with the same idempotency-key" in body["error"]["message"]
                refused.append((key, 100 + n))
        disk.full = False
        assert disk.injected > 20 and refused
        listed = http.get("/v1/charges", headers=bearer(merchant), params={"limit": 100})
        assert listed.status_code == 200
        # In memory: the charges the client heard of, every one of them, and no others.
        ids: set[str] = set()
        page = listed.json()
        while True:
            ids |= {c["id"] for c in page["data"]}
            if not page["has_more"]:
                break
            page = http.get(
                "/v1/charges",
                headers=bearer(merchant),
                params={"limit": 100, "starting_after": page["data"][-1]["id"]},
            ).json()
        assert ids == set(acknowledged)
        # A retry with a refused request's key, once the disk is back, runs it (no replay).
        key, amount = refused[0]
        retried = _charge(http, merchant, key, amount)
        assert retried.status_code == 200 and "idempotent-replayed" not in retried.headers
        acknowledged[retried.json()["id"]] = retried.json()
    print(
        f"\nwrite failures injected: {disk.injected}; requests refused with 503: {len(refused)}; "
        f"charges acknowledged: {len(acknowledged)}"
    )

    # On disk, after a restart: the same set, every acknowledged object exactly as answered.
    with Sandbox(db=db) as again, httpx.Client(base_url=again.url) as http:
        headers = bearer(merchant)
        lost = [
            i
            for i, c in acknowledged.items()
            if http.get(f"/v1/charges/{i}", headers=headers).json() != c
        ]
        stored: set[str] = set()
        after: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 100, **({"starting_after": after} if after else {})}
            page = http.get("/v1/charges", headers=headers, params=params).json()
            stored |= {c["id"] for c in page["data"]}
            if not page["has_more"]:
                break
            after = page["data"][-1]["id"]
    print(f"acknowledged objects lost after restart: {len(lost)}")
    assert lost == []
    assert stored == set(acknowledged)


def test_a_refused_write_is_not_replayed_as_a_success(tmp_path: Path) -> None:
    """The bug this fixes: 500, then the same request replayed as a 200 for nothing stored."""
    with (
        Sandbox(seed=3, db=tmp_path / "x.sqlite3") as sandbox,
        httpx.Client(base_url=sandbox.url) as http,
    ):
        store = sandbox.app.state.sandbox.store
        disk = FailingDisk(store._db, seed=1)
        disk.random.random = lambda: 0.0  # type: ignore[method-assign]
        store._db = disk
        merchant = http.get("/_sandbox/merchants").json()[0]
        token = http.post(
            "/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={"card": VISA}
        ).json()["id"]
        key = str(uuid.uuid4())
        body = {"amount": 700, "currency": "usd", "source": token}
        headers = {**bearer(merchant), "idempotency-key": key}
        disk.full = True
        for _ in range(2):
            response = http.post("/v1/charges", headers=headers, json=body)
            assert response.status_code == 503
            assert "idempotent-replayed" not in response.headers
        listed = http.get("/v1/charges", headers=bearer(merchant)).json()["data"]
        assert listed == []
        disk.full = False
        first = http.post("/v1/charges", headers=headers, json=body)
        again = http.post("/v1/charges", headers=headers, json=body)
        assert first.status_code == 200 and again.headers["idempotent-replayed"] == "true"
        assert again.json() == first.json()
