"""GET /_sandbox/requests: what the sandbox saw, in order, masked; and the sandbox clock."""

from __future__ import annotations

import json

from tests.support import VISA, bearer, charge


def test_the_log_shows_each_request_masked(http, merchant, other_merchant):
    headers = bearer(merchant, **{"idempotency-key": "key-1"})
    token = http.post(
        "/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={"card": VISA}
    ).json()["id"]
    body = {"amount": 1358, "currency": "usd", "source": token}
    created = http.post("/v1/charges", headers=headers, json=body).json()
    http.post("/v1/charges", headers=headers, json=body)
    charge(http, other_merchant)
    logged = http.get("/_sandbox/requests", params={"merchant": merchant["merchant_id"]}).json()[
        "data"
    ]
    assert [(e["method"], e["path"], e["status"], e["replayed"]) for e in logged] == [
        ("POST", "/v1/tokens", 200, False),
        ("POST", "/v1/charges", 200, False),
        ("POST", "/v1/charges", 200, True),
    ]
    assert [e["seq"] for e in logged] == [1, 2, 3]
    tokenized, charged, _ = logged
    assert tokenized["credential"] == "apikey ••••" + merchant["api_access_key"][-4:]
    # the same masking as the client's journal (helpers/masking.py): first six, last four
    assert tokenized["body"]["card"]["number"] == "424242******4242"
    assert tokenized["body"]["card"]["cvv"] == "•••"
    assert charged["credential"] == "Bearer ••••" + merchant["private_key"][-4:]
    assert charged["idempotency_key"] == "key-1" and charged["result"] == created["id"]
    assert charged["body"]["source"] == "clv_••••" + token[-4:]
    text = json.dumps(logged, ensure_ascii=False)
    for secret in (VISA["number"], token, merchant["private_key"], merchant["api_access_key"]):
        assert secret not in text


def test_the_log_filters_limits_and_is_emptied_by_a_reset(http, merchant):
    for _ in range(5):
        http.get("/v1/charges", headers=bearer(merchant))
    http.get("/v1/refunds", headers=bearer(merchant))
    http.get("/v1/charges", headers={"authorization": "Bearer wrong"})
    everything = http.get("/_sandbox/requests").json()["data"]
    assert everything[-1]["status"] == 401 and everything[-1]["merchant"] is None
    last_two = http.get("/_sandbox/requests", params={"path": "/v1/charges", "limit": 2})
    assert [e["seq"] for e in last_two.json()["data"]] == [5, 7]
    assert http.get("/_sandbox/requests", params={"limit": 0}).status_code == 400
    http.post("/_sandbox/reset").raise_for_status()
    assert http.get("/_sandbox/requests").json()["data"] == []


def test_the_clock_moves_forward_under_a_seed(http, merchant):
    before = charge(http, merchant).json()["created"]
    now = http.post("/_sandbox/clock", json={"advance_ms": 86_400_000}).json()["now"]
    after = charge(http, merchant).json()["created"]
    assert now >= before + 86_400_000 and after > now
    for body in ({}, {"advance_ms": -1}, {"advance_ms": "1d"}, {"days": 1}):
        assert http.post("/_sandbox/clock", json=body).status_code == 400
