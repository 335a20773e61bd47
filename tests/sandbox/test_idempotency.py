"""Idempotency keys: replays, mismatches, and what is (not) remembered."""

from __future__ import annotations

from tests.support import assert_error, bearer, tokenize


def test_same_key_and_body_replays_the_same_charge(http, merchant):
    headers = bearer(merchant)
    body = {"amount": 1358, "currency": "usd", "source": tokenize(http, merchant)}
    first = http.post("/v1/charges", headers=headers, json=body)
    again = http.post("/v1/charges", headers=headers, json=body)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    listed = http.get("/v1/charges", headers=headers).json()["data"]
    assert [c["id"] for c in listed] == [first.json()["id"]]


def test_same_key_with_another_body_is_refused(http, merchant):
    headers = bearer(merchant)
    token = tokenize(http, merchant)
    http.post(
        "/v1/charges", headers=headers, json={"amount": 100, "currency": "usd", "source": token}
    )
    response = http.post(
        "/v1/charges", headers=headers, json={"amount": 200, "currency": "usd", "source": token}
    )
    error = assert_error(response, 400, "idempotency_error", "idempotency-key")
    assert error["type"] == "idempotency_error"


def test_a_decline_is_replayed_not_retried(http, merchant):
    headers = bearer(merchant)
    token = tokenize(http, merchant, number="4005571702222222")
    body = {"amount": 100, "currency": "usd", "source": token}
    first = http.post("/v1/charges", headers=headers, json=body)
    again = http.post("/v1/charges", headers=headers, json=body)
    assert first.status_code == again.status_code == 402
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"


def test_a_refused_request_can_be_corrected_under_the_same_key(http, merchant):
    headers = bearer(merchant)
    token = tokenize(http, merchant)
    bad = http.post(
        "/v1/charges", headers=headers, json={"amount": -1, "currency": "usd", "source": token}
    )
    assert bad.status_code == 400
    good = http.post(
        "/v1/charges", headers=headers, json={"amount": 1, "currency": "usd", "source": token}
    )
    assert good.status_code == 200


def test_keys_belong_to_one_merchant(http, merchant, other_merchant):
    shared_key = "order-1234"
    mine = http.post(
        "/v1/charges",
        headers=bearer(merchant, **{"idempotency-key": shared_key}),
        json={"amount": 100, "currency": "usd", "source": tokenize(http, merchant)},
    )
    theirs = http.post(
        "/v1/charges",
        headers=bearer(other_merchant, **{"idempotency-key": shared_key}),
        json={"amount": 100, "currency": "usd", "source": tokenize(http, other_merchant)},
    )
    assert mine.status_code == theirs.status_code == 200
    assert mine.json()["id"] != theirs.json()["id"]
    assert "idempotent-replayed" not in theirs.headers


def test_refunds_replay_too(http, merchant):
    sale = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={"amount": 1000, "currency": "usd", "source": tokenize(http, merchant)},
    ).json()
    headers = bearer(merchant)
    first = http.post("/v1/refunds", headers=headers, json={"charge": sale["id"], "amount": 400})
    again = http.post("/v1/refunds", headers=headers, json={"charge": sale["id"], "amount": 400})
    assert again.json() == first.json()
    charge = http.get(f"/v1/charges/{sale['id']}", headers=headers).json()
    assert charge["amount_refunded"] == 400


def test_requests_without_a_key_still_work(http, merchant):
    headers = bearer(merchant)
    del headers["idempotency-key"]
    response = http.post(
        "/v1/charges",
        headers=headers,
        json={"amount": 100, "currency": "usd", "source": tokenize(http, merchant)},
    )
    assert response.status_code == 200


def test_bad_keys_are_named(http, merchant):
    headers = bearer(merchant, **{"idempotency-key": "k" * 256})
    response = http.post(
        "/v1/charges",
        headers=headers,
        json={"amount": 100, "currency": "usd", "source": tokenize(http, merchant)},
    )
    assert_error(response, 400, "invalid_request", "idempotency-key")
    doubled = [(k, v) for k, v in bearer(merchant).items()] + [("idempotency-key", "second")]
    response = http.post(
        "/v1/charges",
        headers=doubled,
        json={"amount": 100, "currency": "usd", "source": tokenize(http, merchant)},
    )
    assert_error(response, 400, "invalid_request", "idempotency-key")
