"""Issue 23's clock findings: a long clock move works in bounded steps, so other requests
are answered while it runs (`GET /_sandbox/clock` says `advancing`), and a move past the
last date the sandbox can write is a 400 naming the field, not a 500."""

from __future__ import annotations

import threading
from typing import Any

import httpx

from helpers.sandbox.core.store import Kind, StorageError
from helpers.sandbox.local.clock import STEP_ATTEMPTS
from helpers.sandbox.resources.recurring import billing
from tests.resources.recurring.test_http import customer, plan, refused, subscribe

DAILY = {"interval": "Day", "intervalCount": 1}


def daily_subscriptions(http: httpx.Client, merchant: dict[str, str], count: int) -> None:
    the_plan = plan(http, merchant, **DAILY)
    for _ in range(count):
        buyer = customer(http, merchant)
        answer = subscribe(http, merchant, the_plan["id"], buyer["id"])
        assert answer.status_code == 200, answer.text


def test_one_clock_move_of_years_of_daily_renewals_lets_other_requests_through(sandbox, http):
    """Issue 23: a P50Y move with daily subscriptions held every other request until it
    was done. Readings taken while the move runs must come back, saying `advancing`."""
    merchant = http.get("/_sandbox/merchants").json()[0]
    daily_subscriptions(http, merchant, 2)
    outcome: dict[str, Any] = {}

    def move() -> None:
        with httpx.Client(base_url=sandbox.url, timeout=120) as mover:
            outcome["answer"] = mover.post("/_sandbox/clock", json={"advance": "P10Y"})

    mover = threading.Thread(target=move)
    mover.start()
    readings = []
    while mover.is_alive():
        readings.append(http.get("/_sandbox/clock").json())
    mover.join()
    answer = outcome["answer"]
    assert answer.status_code == 200, answer.text
    done = answer.json()
    assert done["status"] == "ready" and done["renewal_attempts"] == 2 * 3652
    seen = [r for r in readings if r.get("status") == "advancing"]
    assert seen, "no reading was answered while the clock moved"
    assert all(r["advancing_to"] == done["now_iso"] for r in seen)
    assert all(r["now"] <= done["now"] for r in seen)
    assert http.get("/_sandbox/clock").json()["status"] == "ready"


def test_a_second_clock_move_while_one_runs_is_a_409(sandbox, http):
    merchant = http.get("/_sandbox/merchants").json()[0]
    daily_subscriptions(http, merchant, 2)
    mover = threading.Thread(
        target=lambda: httpx.post(f"{sandbox.url}/_sandbox/clock", json={"advance": "P10Y"})
    )
    mover.start()
    answers = []
    while mover.is_alive():
        answers.append(http.post("/_sandbox/clock", json={"advance_ms": 1}))
    mover.join()
    busy = [a for a in answers if a.status_code == 409]
    assert busy, [a.status_code for a in answers]
    assert busy[0].json()["error"]["code"] == "clock_advancing"
    assert all(a.status_code in (200, 409) for a in answers)


def test_run_until_stops_after_its_budget_and_resumes_where_it_stopped(sandbox, http):
    """The unit of bounded work: at most `limit` charge attempts, the clock left at the
    last one, then the rest on the next call."""
    merchant = http.get("/_sandbox/merchants").json()[0]
    daily_subscriptions(http, merchant, 1)
    store = sandbox.app.state.sandbox.store
    start = store.sequence.now_ms()
    target = start + 30 * 86_400_000
    attempts, done = billing.run_some(store, target, limit=7)
    store.commit()
    assert (attempts, done) == (7, False)
    assert store.sequence.now_ms() < target
    rest, done = billing.run_some(store, target, limit=1000)
    store.commit()
    assert done and attempts + rest == 30 and store.sequence.now_ms() == target
    invoices = list(store.newest_first(Kind.INVOICE, merchant["merchant_id"]))
    assert len(invoices) == 30 and all(i["status"] == "PAID" for i in invoices)


def test_stepping_the_clock_past_the_last_writable_date_is_a_400_naming_the_field(http):
    """Issue 23: stepping the clock by P50Y past year 9976 answered 500 (date overflow)."""
    while http.get("/_sandbox/clock").json()["now_iso"] < "9976":
        assert http.post("/_sandbox/clock", json={"advance": "P50Y"}).status_code == 200
    error = refused(http.post("/_sandbox/clock", json={"advance": "P50Y"}), 400, "advance")
    assert "9999-12-31" in error["message"]
    assert http.post("/_sandbox/clock", json={"to": "9999-12-01"}).status_code == 200
    refused(http.post("/_sandbox/clock", json={"advance_ms": 31 * 86_400_000}), 400, "advance_ms")
    refused(http.post("/_sandbox/clock", json={"advance": "P1M"}), 400, "advance")
    assert http.get("/_sandbox/clock").json()["now_iso"].startswith("9999-12-01")


def test_a_step_refused_by_the_database_says_where_the_clock_stopped(sandbox, http, monkeypatch):
    """Each step commits alone, so a write refused mid-move keeps the steps before it: the
    503 says so, and names the time the clock stopped at, instead of "nothing was done"."""
    merchant = http.get("/_sandbox/merchants").json()[0]
    daily_subscriptions(http, merchant, 1)
    calls = {"n": 0}
    real = billing.run_some

    def failing_second_step(store: Any, target_ms: int, limit: int | None) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise StorageError("Cannot use the sandbox database x (disk full): free space.")
        return real(store, target_ms, limit)

    monkeypatch.setattr(billing, "run_some", failing_second_step)
    answer = http.post("/_sandbox/clock", json={"advance": "P1M"})
    assert answer.status_code == 503, answer.text
    error = answer.json()["error"]
    stopped = http.get("/_sandbox/clock").json()
    assert stopped["status"] == "ready" and stopped["now_iso"] in error["message"]
    assert f"the {STEP_ATTEMPTS} renewal attempts before it kept" in error["message"]
