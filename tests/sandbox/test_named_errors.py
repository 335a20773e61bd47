"""The same situation reads the same wherever it is met: a message several routes answered
with their own copy of is one named error of core/errors.py (issue 27)."""

from __future__ import annotations

import httpx

from helpers.sandbox.core import errors


def error_of(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 400, response.text
    return dict(response.json()["error"])


def test_a_bad_seed_reads_the_same_on_a_reset_and_on_a_fault(
    http: httpx.Client, merchant: dict[str, str]
) -> None:
    fault = {"merchant": merchant["merchant_id"], "kind": "drop", "seed": -1}
    on_fault = error_of(http.post("/_sandbox/faults", json=fault))
    on_reset = error_of(http.post("/_sandbox/reset", json={"seed": -1}))
    assert on_fault == on_reset == errors.bad_seed(-1).body()["error"]


def test_a_bad_limit_reads_the_same_on_clovers_lists_and_the_recurring_ones(
    http: httpx.Client, merchant: dict[str, str]
) -> None:
    headers = {
        "authorization": f"Bearer {merchant['private_key']}",
        "x-clover-merchant-id": merchant["merchant_id"],
    }
    charges = error_of(http.get("/v1/charges", params={"limit": "0"}, headers=headers))
    plans = error_of(http.get("/recurring/v1/plans", params={"limit": "0"}, headers=headers))
    assert charges["message"] == errors.bad_limit("0").message
    assert plans["param"] == "limit" and plans["message"].startswith("limit must be a whole")


def test_a_bad_interval_reads_the_same_in_a_plan_and_in_a_plan_search(
    http: httpx.Client, merchant: dict[str, str]
) -> None:
    headers = {
        "authorization": f"Bearer {merchant['private_key']}",
        "x-clover-merchant-id": merchant["merchant_id"],
    }
    plan = {"name": "Club", "amount": 1500, "interval": "Fortnight", "intervalCount": 1}
    created = error_of(http.post("/recurring/v1/plans", json=plan, headers=headers))
    searched = error_of(
        http.get("/recurring/v1/plans", params={"interval": "Fortnight"}, headers=headers)
    )
    assert created == searched == errors.bad_interval("Fortnight").body()["error"]
