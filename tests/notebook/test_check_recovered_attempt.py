"""13's check, on the real local sandbox: it passes only when the crashed attempt was
finished with its saved key (one charge, the second request a replay) and the learner's
reasoning says so; each wrong path gets its own hint."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable

import httpx
import pytest

from helpers import CloverClient, LocalSandbox, check_recovered_attempt, test_card

ORDER = "order-1399-test"


def table() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE payment_attempts (order_id TEXT PRIMARY KEY, idempotency_key TEXT, "
        "request TEXT, status TEXT, charge_id TEXT)"
    )
    return db


def crashed(live: CloverClient, db: sqlite3.Connection) -> Callable[[str], httpx.Response]:
    """Save an attempt, lose its answer after the charge; returns a sender of its request."""
    key = str(uuid.uuid4())
    request = {
        "amount": 4500,
        "currency": "usd",
        "source": live.create_token(test_card("approve").card()).id,
        "description": ORDER,
    }
    db.execute(
        "INSERT INTO payment_attempts VALUES (?, ?, ?, 'sending', NULL)",
        (ORDER, key, json.dumps(request)),
    )
    LocalSandbox(live).fault("drop", path="/v1/charges", method="POST", count=1)

    def send(with_key: str) -> httpx.Response:
        headers = {
            "Authorization": f"Bearer {live.access_token}",
            "idempotency-key": with_key,
            "x-forwarded-for": "203.0.113.7",
        }
        url = f"{live.environment.ecommerce_url}/v1/charges"
        return httpx.post(url, headers=headers, json=request, timeout=10)

    with pytest.raises(httpx.TransportError):
        send(key)
    return send


def settle(db: sqlite3.Connection, answer: httpx.Response) -> None:
    db.execute(
        "UPDATE payment_attempts SET status = 'paid', charge_id = ? WHERE order_id = ?",
        (answer.json()["id"], ORDER),
    )


def test_recovery_with_the_saved_key_passes(
    live: CloverClient, capsys: pytest.CaptureFixture[str]
) -> None:
    db = table()
    send = crashed(live, db)
    local = LocalSandbox(live)
    with pytest.raises(AssertionError, match="still 'sending'"):
        check_recovered_attempt(local, live, db, ORDER, "saved", 1)
    key = db.execute("SELECT idempotency_key FROM payment_attempts").fetchone()[0]
    answer = send(key)
    assert answer.headers.get("idempotent-replayed") == "true"
    settle(db, answer)
    with pytest.raises(AssertionError, match="You predicted 2 charges"):
        check_recovered_attempt(local, live, db, ORDER, "saved", 2)
    with pytest.raises(AssertionError, match="With a new key"):
        check_recovered_attempt(local, live, db, ORDER, "new", 1)
    with pytest.raises(AssertionError, match="as a number"):
        check_recovered_attempt(local, live, db, ORDER, "saved", "one")
    check_recovered_attempt(local, live, db, ORDER, "saved", 1)
    assert "2 requests with the saved key, one charge" in capsys.readouterr().out


def test_recovery_with_a_new_key_is_refused_and_fails(live: CloverClient) -> None:
    db = table()
    send = crashed(live, db)
    answer = send(str(uuid.uuid4()))  # a new key: to Clover, another payment on a spent token
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "token_already_used"
    db.execute("UPDATE payment_attempts SET status = 'failed' WHERE order_id = ?", (ORDER,))
    with pytest.raises(AssertionError, match="sent with a new key"):
        check_recovered_attempt(LocalSandbox(live), live, db, ORDER, "saved", 1)
