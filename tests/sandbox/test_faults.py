"""Faults over real HTTP: each one where the sandbox says it happens, before or after the work."""

from __future__ import annotations

import httpx
import pytest

from tests.support import assert_error, bearer, tokenize


def fault(http: httpx.Client, merchant: dict[str, str], **body: object) -> dict:
    response = http.post("/_sandbox/faults", json={"merchant": merchant["merchant_id"], **body})
    assert response.status_code == 200, response.text
    return response.json()


def charges_of(http: httpx.Client, merchant: dict[str, str]) -> list[dict]:
    return http.get("/v1/charges", headers=bearer(merchant), params={"limit": 100}).json()["data"]


def sale(
    http: httpx.Client, merchant: dict[str, str], headers: dict[str, str], amount: int = 1000
) -> httpx.Response:
    return http.post(
        "/v1/charges",
        headers=headers,
        json={"amount": amount, "currency": "usd", "source": tokenize(http, merchant)},
    )


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_5xx_comes_after_the_charge_was_committed(http, merchant, status):
    fault(http, merchant, kind="status", status=status, path="/v1/charges", method="POST")
    headers = bearer(merchant)
    token = tokenize(http, merchant)
    body = {"amount": 1234, "currency": "usd", "source": token}
    failed = http.post("/v1/charges", headers=headers, json=body)
    error = assert_error(failed, status, "processing_error")
    assert error["type"] == "api_error" and "idempotency-key" in error["message"]
    [stored] = charges_of(http, merchant)
    assert stored["amount"] == 1234 and stored["status"] == "succeeded"
    again = http.post("/v1/charges", headers=headers, json=body)
    assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == stored
    assert len(charges_of(http, merchant)) == 1


def test_a_dropped_connection_comes_after_the_commit(http, merchant):
    fault(http, merchant, kind="drop", path="/v1/charges", method="POST")
    headers = bearer(merchant)
    token = tokenize(http, merchant)
    body = {"amount": 777, "currency": "usd", "source": token}
    with pytest.raises(httpx.RemoteProtocolError):
        http.post("/v1/charges", headers=headers, json=body)
    [stored] = charges_of(http, merchant)
    again = http.post("/v1/charges", headers=headers, json=body)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == stored


def test_latency_delays_the_answer_of_committed_work(http, merchant):
    fault(http, merchant, kind="latency", latency_ms=5000, path="/v1/charges", method="POST")
    with pytest.raises(httpx.ReadTimeout):
        http.post(
            "/v1/charges",
            headers=bearer(merchant),
            timeout=0.5,
            json={"amount": 500, "currency": "usd", "source": tokenize(http, merchant)},
        )
    logged = http.get("/_sandbox/requests", params={"path": "/v1/charges"}).json()["data"]
    assert logged[-1]["faults"] == ["F1 latency (5000 ms)"]
    # The answer is seconds away, yet the charge is already stored: the wait came after it.
    assert len(charges_of(http, merchant)) == 1


def test_a_rate_limit_fault_answers_429_before_any_work(http, merchant):
    fault(
        http, merchant, kind="rate_limit", retry_after=3, count=2, path="/v1/charges", method="POST"
    )
    headers = bearer(merchant)
    token = tokenize(http, merchant)
    body = {"amount": 900, "currency": "usd", "source": token}
    for _ in range(2):
        refused = http.post("/v1/charges", headers=headers, json=body)
        error = assert_error(refused, 429, "rate_limit")
        assert error["type"] == "rate_limit_error"
        assert refused.headers["retry-after"] == "3"
        assert charges_of(http, merchant) == []
    accepted = http.post("/v1/charges", headers=headers, json=body)
    assert accepted.status_code == 200 and "idempotent-replayed" not in accepted.headers


def test_count_path_method_and_merchant_decide_which_requests_fail(http, merchant, other_merchant):
    fault(http, merchant, kind="status", count=2, path="/v1/refunds", method="POST")
    assert sale(http, merchant, bearer(merchant)).status_code == 200
    assert sale(http, other_merchant, bearer(other_merchant)).status_code == 200
    listed = http.get("/v1/refunds", headers=bearer(merchant))
    assert listed.status_code == 200
    charge_id = charges_of(http, merchant)[0]["id"]
    answers = [
        http.post(
            "/v1/refunds", headers=bearer(merchant), json={"charge": charge_id, "amount": 10}
        ).status_code
        for _ in range(3)
    ]
    assert answers == [503, 503, 200]
    [state] = http.get("/_sandbox/faults").json()["data"]
    assert state["fired"] == 2 and state["remaining"] == 0
    assert charges_of(http, merchant)[0]["amount_refunded"] == 30


def test_a_probability_fault_is_seeded(http, merchant):
    def pattern() -> list[int]:
        http.post("/_sandbox/reset", json={"seed": 99}).raise_for_status()
        fault(http, merchant, kind="status", probability=0.5, path="/v1/charges", method="GET")
        return [http.get("/v1/charges", headers=bearer(merchant)).status_code for _ in range(40)]

    first, second = pattern(), pattern()
    assert first == second
    assert 5 < first.count(503) < 35 and set(first) == {200, 503}


def test_faults_are_listed_cleared_and_gone_after_a_reset(http, merchant, other_merchant):
    fault(http, merchant, kind="drop")
    fault(http, other_merchant, kind="latency", latency_ms=5)
    listed = http.get("/_sandbox/faults").json()["data"]
    assert [(f["id"], f["kind"]) for f in listed] == [("F1", "drop"), ("F2", "latency")]
    deleted = http.delete("/_sandbox/faults", params={"merchant": merchant["merchant_id"]})
    assert deleted.json() == {"deleted": 1}
    assert [f["id"] for f in http.get("/_sandbox/faults").json()["data"]] == ["F2"]
    http.post("/_sandbox/reset").raise_for_status()
    assert http.get("/_sandbox/faults").json()["data"] == []
    assert fault(http, merchant, kind="drop")["id"] == "F1"


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"kind": "status"}, "merchant"),
        ({"merchant": "NOSUCHMERCHNT", "kind": "status"}, "merchant"),
        ({"kind": "teapot"}, "kind"),
        ({"kind": "status", "status": 418}, "status"),
        ({"kind": "status", "status": "503"}, "status"),
        ({"kind": "latency"}, "latency_ms"),
        ({"kind": "latency", "latency_ms": 60_000}, "latency_ms"),
        ({"kind": "drop", "latency_ms": 5}, "latency_ms"),
        ({"kind": "status", "retry_after": 1}, "retry_after"),
        ({"kind": "drop", "probability": 0}, "probability"),
        ({"kind": "drop", "probability": 1.5}, "probability"),
        ({"kind": "drop", "probability": True}, "probability"),
        ({"kind": "drop", "count": 0}, "count"),
        ({"kind": "drop", "path": "v1/charges"}, "path"),
        ({"kind": "drop", "method": "PATCH"}, "method"),
        ({"kind": "drop", "seed": -1}, "seed"),
        ({"kind": "drop", "colour": "red"}, "colour"),
    ],
)
def test_a_bad_fault_is_refused_with_the_field_named(http, merchant, body, param):
    full = {"merchant": merchant["merchant_id"], **body} if param != "merchant" else body
    response = http.post("/_sandbox/faults", json=full)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] == param
    assert http.get("/_sandbox/faults").json()["data"] == []


def test_a_dropped_connection_leaves_the_server_serving(http, merchant):
    fault(http, merchant, kind="drop", count=3, path="/v1/charges", method="GET")
    for _ in range(3):
        with pytest.raises(httpx.RemoteProtocolError):
            http.get("/v1/charges", headers=bearer(merchant))
    assert http.get("/v1/charges", headers=bearer(merchant)).status_code == 200
