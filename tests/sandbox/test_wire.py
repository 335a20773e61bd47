"""Input the wire cannot carry is refused naming the field, before anything is stored;
answers always render; bodies are capped and must arrive; rate limits count credentials;
idempotency records expire after 24 h of the sandbox clock; a --db that cannot be used is
refused in one line."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from helpers.sandbox import DEMO_MERCHANTS
from helpers.sandbox.core import http as plumbing
from helpers.sandbox.core.http import json_response
from helpers.sandbox.core.store import IDEMPOTENCY_TTL_S, Kind, StorageError, Store, _storage_error
from helpers.sandbox.server import Sandbox
from tests.support import SHOPPER, assert_error, bearer, tokenize


def _post_raw(http: httpx.Client, path: str, merchant: dict[str, str], raw: str) -> httpx.Response:
    headers = {**bearer(merchant), "content-type": "application/json"}
    return http.post(path, headers=headers, content=raw.encode())


@pytest.mark.parametrize(
    ("path", "body", "param"),
    [
        (
            "/v1/charges",
            '{"amount":100,"currency":"usd","source":"%s","description":"a\\ud83d"}',
            "description",
        ),
        (
            "/v1/charges",
            '{"amount":100,"currency":"usd","source":"%s","metadata":{"k":"\\udc00"}}',
            "metadata.k",
        ),
        (
            "/v1/charges",
            '{"amount":100,"currency":"usd","source":"%s","metadata":{"\\ud800":1}}',
            "metadata.\\ud800",
        ),
        (
            "/v1/charges",
            '{"amount":100,"currency":"usd","source":"%s","metadata":{"k":1e999}}',
            "metadata.k",
        ),
        (
            "/v1/charges",
            '{"amount":100,"currency":"usd","source":"%s","metadata":{"k":-1e999}}',
            "metadata.k",
        ),
        ("/v1/charges", '{"amount":1%s,"currency":"usd"}' % ("0" * 70), "amount"),
        ("/v1/customers", '{"firstName":"Ana\\ud800","source":"%s"}', "firstName"),
        (
            "/v1/orders",
            '{"currency":"usd","items":[{"amount":100,"description":"\\udfff"}]}',
            "items[0].description",
        ),
        (
            "/invoicingcheckoutservice/v1/checkouts",
            '{"customer":'
            + json.dumps(SHOPPER)
            + ","
            + '"shoppingCart":{"lineItems":[{"name":"\\ud800","price":100,"unitQty":1}]}}',
            "shoppingCart.lineItems[0].name",
        ),
    ],
)
def test_what_the_wire_cannot_carry_is_refused_naming_the_field(http, merchant, path, body, param):
    raw = body % tokenize(http, merchant) if "%s" in body else body
    response = _post_raw(http, path, merchant, raw)
    assert_error(response, 400, "invalid_request", param)
    assert http.get(path, headers=bearer(merchant)).json().get("data", []) == []


def test_a_json_answer_always_renders():
    """The last net: a value that got past the checks renders as valid JSON, never a 500."""
    response = json_response(200, {"a": "x\ud800", "b": float("inf"), "c": [float("nan")]})
    assert json.loads(response.body) == {"a": "x\ud800", "b": None, "c": [None]}


def test_a_page_always_renders():
    from helpers.sandbox.pages.render import render

    response = render("checkout_message.html", title="Paid \ud83d", text="ok")
    assert response.status_code == 200
    assert b"Paid \\ud83d" in response.body


def test_a_form_field_that_is_not_utf8_is_refused_naming_the_field(http):
    response = http.post(
        "/oauth/v2/authorize",
        content=b"client_id=%ED%A0%80&decision=allow",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert_error(response, 400, "invalid_request", "client_id")


def test_header_bytes_never_become_a_5xx(http, merchant):
    """Headers arrive as bytes (Latin-1 to Starlette): they cannot hold a lone surrogate."""
    for value in (b"\xed\xa0\x80", b"\xff\xfe", b"caf\xc3\xa9"):
        headers = [
            (b"authorization", b"Bearer " + merchant["private_key"].encode()),
            (b"x-forwarded-for", b"203.0.113.8"),
            (b"idempotency-key", value),
            (b"x-clover-merchant-id", value),
        ]
        response = http.post("/v1/charges", headers=headers, json={})
        assert response.status_code < 500, response.text


def test_bodies_past_the_cap_are_refused_on_every_kind_of_route(http, merchant):
    big = b"x" * (plumbing.MAX_BODY_BYTES + 1)
    json_type = {"content-type": "application/json"}  # controls take JSON only (else 415)
    for path in ("/v1/charges", "/oauth/v2/authorize", "/demo/charge", "/_sandbox/reset"):
        response = http.post(path, content=big, headers={**bearer(merchant), **json_type})
        assert response.status_code == 413, (path, response.text)


def test_a_body_that_never_arrives_gets_a_408(sandbox, merchant, monkeypatch):
    monkeypatch.setattr(plumbing, "BODY_TIMEOUT_S", 0.5)
    host, port = sandbox.url.removeprefix("http://").split(":")
    for path in ("/v1/charges", "/oauth/v2/authorize", "/demo/charge", "/_sandbox/reset"):
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.sendall(
                f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 100\r\n"
                f"Authorization: Bearer {merchant['private_key']}\r\n"
                "Content-Type: application/json\r\n\r\n{".encode()
            )
            started = time.monotonic()
            answer = conn.recv(65536).decode("latin-1")
            assert answer.startswith("HTTP/1.1 408"), (path, answer)
            assert time.monotonic() - started < 5


def test_the_per_token_limit_counts_the_token_not_its_spelling(http, merchant):
    http.post("/_sandbox/rate-limits", json={"enforce": True, "tokenLimit": 2}).raise_for_status()
    answers = [
        http.get("/v1/charges", headers={"authorization": f"{scheme} {merchant['private_key']}"})
        for scheme in ("Bearer", "bearer", "BEARER")
    ]
    assert [a.status_code for a in answers] == [200, 200, 429]


def _charge_with_key(http, merchant, key):
    headers = {**bearer(merchant), "idempotency-key": key}
    body = {"amount": 100, "currency": "usd", "source": tokenize(http, merchant)}
    return http.post("/v1/charges", headers=headers, json=body)


def test_idempotency_records_are_pruned_after_24_hours_of_the_sandbox_clock(tmp_path):
    db = tmp_path / "prune.sqlite3"
    with Sandbox(seed=4, db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        merchant = http.get("/_sandbox/merchants").json()[0]
        first = _charge_with_key(http, merchant, "key-1")
        assert first.status_code == 200
        advance = {"advance_ms": (IDEMPOTENCY_TTL_S + 60) * 1000}
        http.post("/_sandbox/clock", json=advance).raise_for_status()
        again = _charge_with_key(http, merchant, "key-1")  # a new request: the record expired
        assert again.status_code == 200 and "idempotent-replayed" not in again.headers
        assert again.json()["id"] != first.json()["id"]
    rows = sqlite_rows(db, "SELECT key FROM idempotency")
    assert rows == [("key-1",)]  # the old record was deleted on disk, the new one kept


def sqlite_rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return list(db.execute(sql))


def test_memory_only_stores_prune_too():
    store = Store(seed=1)
    store.remember("M", "k", "f", 200, b"{}")
    store.commit()
    store.sequence.advance((IDEMPOTENCY_TTL_S + 1) * 1000)
    store.commit()
    assert store.replay("M", "k") is None and not store._replays


def test_a_failed_unit_restores_objects_changed_in_place():
    store = Store(seed=1)
    store.put(Kind.CHARGE, {"id": "A", "_merchant": "M", "amount": 1})
    store.commit()
    store.begin()
    charge = store.get(Kind.CHARGE, "A", "M")
    assert charge is not None
    charge["amount"] = 2
    store.put(Kind.CHARGE, charge)
    store.put(Kind.CHARGE, {"id": "B", "_merchant": "M", "amount": 3})
    store.rollback()
    store.end()
    assert store.get(Kind.CHARGE, "A", "M") == {"id": "A", "_merchant": "M", "amount": 1}
    assert store.get(Kind.CHARGE, "B", "M") is None
    assert [o["id"] for o in store.newest_first(Kind.CHARGE, "M")] == ["A"]


def _start(db: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "helpers.sandbox", "--port", "0", "--db", str(db)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("case", ["missing folder", "corrupt", "a folder"])
def test_a_db_that_cannot_be_used_is_refused_in_one_line(tmp_path, case):
    if case == "missing folder":
        db = tmp_path / "no" / "such" / "sandbox.sqlite3"
        fix = "create it"
    elif case == "corrupt":
        db = tmp_path / "corrupt.sqlite3"
        db.write_bytes(b"this is not SQLite" * 500)
        fix = "move it aside"
    else:
        db = tmp_path / "folder"
        db.mkdir()
        fix = "pick another --db path"
    done = _start(db)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert str(db) in lines[0] and fix in lines[0]
    with pytest.raises(StorageError, match="Cannot use the sandbox database"):
        Store(db_path=db)


def test_a_port_in_use_is_refused_in_one_line_naming_the_fix():
    """`kit.py lab` with another lab still running: one line, no traceback (issue 26)."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "helpers.sandbox", "--port", str(port)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"127.0.0.1:{port}" in lines[0] and "--port" in lines[0]
    assert "CLOVER_SANDBOX_PORT" in lines[0]


def test_a_surrogate_stored_by_an_older_sandbox_still_renders_after_a_restart(tmp_path):
    """The guarantee in rendering: what an older sandbox stored is served, never a 500."""
    db = tmp_path / "older.sqlite3"
    merchant_id = DEMO_MERCHANTS[0].merchant_id
    store = Store(seed=1, db_path=db)
    charge = {"id": "OLDCHARGE0001", "_merchant": merchant_id, "object": "charge"}
    store.put(Kind.CHARGE, {**charge, "created": 1, "description": "a\ud800", "amount": 1e999})
    store.commit()
    store.close()
    with Sandbox(db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        headers = {"authorization": f"Bearer {DEMO_MERCHANTS[0].private_key}"}
        listed = http.get("/v1/charges", headers=headers)
        assert listed.status_code == 200
        (stored,) = listed.json()["data"]
        assert stored["description"] == "a\ud800" and stored["amount"] is None


@pytest.mark.parametrize(
    ("error", "fix"),
    [
        ("attempt to write a readonly database", "make {db} and its folder writable"),
        ("database or disk is full", "free disk space"),
        ("database disk image is malformed", "move it aside"),
    ],
)
def test_read_only_and_full_databases_are_named_with_their_fix(tmp_path, error, fix):
    """As root (CI) a read-only file is still writable, and a full disk cannot be staged
    at start: the message SQLite gives for each is mapped to its fix here."""
    db = tmp_path / "x.sqlite3"
    message = str(_storage_error(str(db), sqlite3.OperationalError(error)))
    assert message.startswith(f"Cannot use the sandbox database {db} ({error})")
    assert fix.format(db=db) in message and "\n" not in message


def test_a_commit_listener_that_fails_leaves_the_commit_and_its_answer(http, merchant, caplog):
    from helpers.sandbox.core import store as storage
    from tests.support import charge

    def broken(store: Store, written: list) -> None:
        raise RuntimeError("a listener's own bug")

    storage.on_commit(broken)
    try:
        made = charge(http, merchant)
    finally:
        storage._commit_listeners.remove(broken)
    assert made.status_code == 200, made.text
    listed = http.get("/v1/charges", headers=bearer(merchant)).json()["data"]
    assert [c["id"] for c in listed] == [made.json()["id"]]
    assert "the commit stands" in caplog.text


def test_an_answer_stored_by_an_older_sandbox_replays_compact(tmp_path):
    """Older sandboxes stored idempotent answers as parsed JSON written with spaces; now
    the bytes sent are kept, and a row from before is served as the sandbox sends it."""
    db = tmp_path / "older.sqlite3"
    store = Store(seed=1, db_path=db)
    store.remember("M", "k", "f", 200, b'{"id":"X"}')
    store.commit()
    store.close()
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE idempotency SET body = ?", ['{"id": "X", "note": "a\\ud800"}'])
    reopened = Store(seed=1, db_path=db)
    replay = reopened.replay("M", "k")
    assert replay is not None and replay.data == b'{"id":"X","note":"a\\ud800"}'
    reopened.close()
