"""An app webhook update is queued on commit only: a request whose write the database
refuses (answered 503, undone in memory) sends nothing, and its retry sends its updates
once. The refusal is a real `sqlite3` error on COMMIT, raised by a stand-in connection."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx

from helpers import AppWebhookReceiver
from helpers.sandbox.server import Sandbox
from tests.support import bearer, deliveries_done, tokenize

APP = "KTAPPDEM0A1B2"


class RefusingDisk:
    """The store's SQLite connection, refusing every COMMIT while `full` is set."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db, self.full = db, False

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if self.full and sql.strip().upper() == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


def messages(receiver: AppWebhookReceiver) -> list[dict[str, Any]]:
    """The update messages received (the verification message left out)."""
    bodies = [json.loads(d.body) for d in receiver.deliveries]
    return [b for b in bodies if "merchants" in b]


def test_a_refused_write_sends_no_update_and_its_retry_sends_one(tmp_path: Path) -> None:
    with (
        Sandbox(seed=11, db=tmp_path / "refusing.sqlite3") as sandbox,
        httpx.Client(base_url=sandbox.url) as http,
        AppWebhookReceiver() as receiver,
    ):
        merchant = http.get("/_sandbox/merchants").json()[0]
        http.post("/_sandbox/app-webhooks", json={"app_id": APP, "url": receiver.url})
        code = {"app_id": APP, "verification_code": receiver.verification_code}
        receiver.auth_code = http.post("/_sandbox/app-webhooks/verify", json=code).json()[
            "authCode"
        ]
        store = sandbox.app.state.sandbox.store
        disk = RefusingDisk(store._db)
        store._db = disk
        headers = bearer(merchant)  # one idempotency-key for the refused try and its retry
        body = {"amount": 1358, "currency": "usd", "source": tokenize(http, merchant)}

        disk.full = True
        refused = http.post("/v1/charges", headers=headers, json=body)
        assert refused.status_code == 503, refused.text
        deliveries_done(http, receiver.url)  # a queued update would have gone out by now
        assert messages(receiver) == []

        disk.full = False
        made = http.post("/v1/charges", headers=headers, json=body)
        assert made.status_code == 200, made.text
        receiver.wait_for_updates(2)
        deliveries_done(http, receiver.url)
        charge = made.json()
        [message] = messages(receiver)
        updates = message["merchants"][merchant["merchant_id"]]
        assert [(u["objectId"], u["type"]) for u in updates] == [
            (f"O:{charge['order']}", "CREATE"),
            (f"P:{charge['id']}", "CREATE"),
        ]


def test_a_url_that_fails_verification_leaves_nothing_stored_while_others_commit(
    tmp_path: Path,
) -> None:
    """The settings wait for the URL's answer; a charge committed meanwhile must not carry
    the half-made settings to disk, where a restart would find them."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    arrived = threading.Event()

    class SlowRefusal(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            arrived.set()
            time.sleep(0.5)
            self.send_response(500)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    db = tmp_path / "settings.sqlite3"
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowRefusal)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        with Sandbox(seed=12, db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
            merchant = http.get("/_sandbox/merchants").json()[0]
            settings: list[httpx.Response] = []
            asking = threading.Thread(
                target=lambda: settings.append(
                    http.post("/_sandbox/app-webhooks", json={"app_id": APP, "url": url})
                )
            )
            asking.start()
            assert arrived.wait(10)
            body = {"amount": 1358, "currency": "usd", "source": tokenize(http, merchant)}
            assert http.post("/v1/charges", headers=bearer(merchant), json=body).is_success
            asking.join(10)
            assert settings[0].status_code == 400, settings[0].text
        with Sandbox(seed=12, db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
            found = http.get("/_sandbox/app-webhooks", params={"app_id": APP}).json()
            assert found["url"] is None, found
            assert len(http.get("/v1/charges", headers=bearer(merchant)).json()["data"]) == 1
    finally:
        server.shutdown()
