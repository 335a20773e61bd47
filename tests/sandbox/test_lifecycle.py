"""The sandbox as a process: the command line, --db durability, seeds and resets."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx

from helpers.sandbox import Sandbox
from tests.support import bearer, charge, sandbox_process


def test_the_command_prints_its_url_and_demo_credentials():
    with sandbox_process() as (_, url):
        merchants = httpx.get(f"{url}/_sandbox/merchants").json()
        assert len(merchants) >= 2
        assert {"merchant_id", "app_id", "app_secret", "private_key", "api_access_key"} <= set(
            merchants[0]
        )


def test_acknowledged_objects_survive_kill_9(tmp_path: Path):
    db = tmp_path / "sandbox.sqlite3"
    with (
        sandbox_process("--db", str(db), "--seed", "5") as (process, url),
        httpx.Client(base_url=url) as http,
    ):
        merchant = http.get("/_sandbox/merchants").json()[0]
        sales = [charge(http, merchant, 1000 + i).json() for i in range(20)]
        auth = charge(http, merchant, 700, capture=False).json()
        refund = http.post(
            "/v1/refunds", headers=bearer(merchant), json={"charge": sales[0]["id"], "amount": 250}
        ).json()
        key = {"idempotency-key": "remember-me"}
        token = http.post(
            "/v1/tokens",
            headers={"apikey": merchant["api_access_key"]},
            json={
                "card": {
                    "number": "4242424242424242",
                    "exp_month": "12",
                    "exp_year": "2030",
                    "cvv": "123",
                    "brand": "VISA",
                }
            },
        )
        body = {"amount": 4321, "currency": "usd", "source": token.json()["id"]}
        replayable = http.post("/v1/charges", headers=bearer(merchant, **key), json=body).json()
        os.kill(process.pid, signal.SIGKILL)

    with sandbox_process("--db", str(db)) as (_, url), httpx.Client(base_url=url) as http:
        headers = bearer(merchant)
        for sale in sales:
            stored = http.get(f"/v1/charges/{sale['id']}", headers=headers).json()
            assert stored["id"] == sale["id"] and stored["amount"] == sale["amount"]
        assert (
            http.get(f"/v1/charges/{sales[0]['id']}", headers=headers).json()["amount_refunded"]
            == 250
        )
        assert http.get(f"/v1/refunds/{refund['id']}", headers=headers).json() == refund
        assert http.get(f"/v1/charges/{auth['id']}", headers=headers).json()["captured"] is False
        again = http.post("/v1/charges", headers=bearer(merchant, **key), json=body)
        assert again.headers.get("idempotent-replayed") == "true"
        assert again.json() == replayable
        newer = charge(http, merchant, 1).json()
        known = {s["id"] for s in sales} | {s["order"] for s in sales} | {auth["id"], refund["id"]}
        assert newer["id"] not in known and newer["order"] not in known
        listed = http.get("/v1/charges", headers=headers, params={"limit": 100}).json()["data"]
        assert len(listed) == 23


def test_reset_with_a_seed_repeats_ids_codes_and_times(sandbox):
    def run() -> list[tuple]:
        with httpx.Client(base_url=sandbox.url) as http:
            http.post("/_sandbox/reset", json={"seed": 99}).raise_for_status()
            merchant = http.get("/_sandbox/merchants").json()[0]
            out = []
            for amount in (100, 200, 300):
                c = charge(http, merchant, amount).json()
                out.append(
                    (
                        c["id"],
                        c["order"],
                        c["ref_num"],
                        c["auth_code"],
                        c["created"],
                        c["source"]["id"],
                    )
                )
            return out

    first, second = run(), run()
    assert first == second
    assert len({row[0] for row in first}) == 3


def test_reset_without_a_body_returns_to_the_starting_seed():
    with Sandbox(seed=11) as sb, httpx.Client(base_url=sb.url) as http:
        merchant = http.get("/_sandbox/merchants").json()[0]
        before = charge(http, merchant).json()["id"]
        http.post("/_sandbox/reset", json={"seed": 12})
        assert charge(http, merchant).json()["id"] != before
        assert http.post("/_sandbox/reset").json()["seed"] == 11
        assert charge(http, merchant).json()["id"] == before
        assert http.get("/v1/charges", headers=bearer(merchant)).json()["data"][0]["id"] == before


def test_reset_rejects_a_bad_seed(sandbox):
    response = httpx.post(f"{sandbox.url}/_sandbox/reset", json={"seed": "abc"})
    assert response.status_code == 400 and response.json()["error"]["param"] == "seed"


def test_without_a_seed_ids_differ_between_sandboxes():
    ids = []
    for _ in range(2):
        with Sandbox() as sb, httpx.Client(base_url=sb.url) as http:
            merchant = http.get("/_sandbox/merchants").json()[0]
            ids.append(charge(http, merchant).json()["id"])
    assert ids[0] != ids[1]


def test_the_card_field_page_loads_only_its_own_script_and_style(http):
    policy = http.get("/widget.html").headers["content-security-policy"]
    for rule in (
        "default-src 'none'",
        "script-src 'self'",
        "connect-src 'self'",
        "form-action 'none'",
    ):
        assert rule in policy
    assert "frame-ancestors" not in policy  # every merchant page embeds it


def test_a_failure_outside_the_api_plumbing_still_answers_the_envelope():
    """Pages, OAuth and controls have no endpoint() around them; the app's last net does."""
    from starlette.routing import Route

    from helpers.sandbox import Sandbox

    def broken(request):
        raise RuntimeError("a bug in a page handler")

    with Sandbox(seed=1) as running:
        running.app.router.routes.append(Route("/_broken", broken))
        response = httpx.get(f"{running.url}/_broken")
        assert httpx.get(f"{running.url}/_sandbox/health").status_code == 200
    assert response.status_code == 500
    assert response.json()["error"] == {
        "type": "api_error",
        "code": "processing_error",
        "message": "The sandbox hit an unexpected error. It keeps serving; please report this.",
    }
    assert "Traceback" not in response.text and "a bug" not in response.text
