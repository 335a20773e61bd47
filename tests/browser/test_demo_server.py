"""The demo shop's server routes over plain HTTP (no browser): bad input gets Clover's
error envelope, never a 500, and a retried Pay never charges twice."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support import tokenize

from .cardform import bearer


def _assert_envelope(
    response: httpx.Response, status: int, code: str, param: str | None = None
) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["message"].startswith(str(status))
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    if param is not None:
        assert body["error"]["param"] == param


@pytest.mark.parametrize(
    ("body", "code", "param"),
    [
        ({}, "invalid_request", "token"),
        ({"token": "", "amount": 100}, "invalid_request", "token"),
        ({"token": 42, "amount": 100}, "invalid_request", "token"),
        ({"token": "tok_abc", "amount": 100}, "invalid_request", "token"),
        ({"token": "clv_abc"}, "invalid_request", "amount"),
        ({"token": "clv_abc", "amount": "ten"}, "invalid_charge_amount", "amount"),
        ({"token": "clv_abc", "amount": 0}, "invalid_charge_amount", "amount"),
        ({"token": "clv_abc", "amount": -5}, "invalid_charge_amount", "amount"),
        ({"token": "clv_abc", "amount": 12.5}, "invalid_charge_amount", "amount"),
        ({"token": "clv_abc", "amount": True}, "invalid_charge_amount", "amount"),
        ({"token": "clv_abc", "amount": 100_000_000}, "amount_too_large", "amount"),
        ({"token": "clv_abc", "amount": 100, "merchant": 7}, "invalid_request", "merchant"),
    ],
)
def test_bad_charge_requests_get_an_error_envelope(
    http: httpx.Client,
    body: dict[str, Any],
    code: str,
    param: str,
) -> None:
    _assert_envelope(http.post("/demo/charge", json=body), 400, code, param)


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1, 2]", b"\xff\xfe"])
def test_charge_body_must_be_a_json_object(http: httpx.Client, raw: bytes) -> None:
    response = http.post("/demo/charge", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"


def test_unknown_merchant_is_not_found(http: httpx.Client) -> None:
    response = http.post(
        "/demo/charge", json={"token": "clv_abc", "amount": 100, "merchant": "NOPE"}
    )
    _assert_envelope(response, 404, "resource_missing", "merchant")


def test_unknown_token_passes_the_sandbox_answer_through(http: httpx.Client) -> None:
    response = http.post("/demo/charge", json={"token": "clv_doesnotexist", "amount": 100})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_retried_pay_charges_once(http: httpx.Client, merchant: dict[str, str]) -> None:
    token = tokenize(http, merchant)
    first = http.post("/demo/charge", json={"token": token, "amount": 1234})
    again = http.post("/demo/charge", json={"token": token, "amount": 1234})
    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    listed = http.get("/v1/charges", headers=bearer(merchant)).json()["data"]
    assert [c["id"] for c in listed].count(first.json()["id"]) == 1
    assert len(listed) == 1


def test_charge_for_another_merchant(http: httpx.Client, other_merchant: dict[str, str]) -> None:
    token = tokenize(http, other_merchant)
    response = http.post(
        "/demo/charge",
        json={"token": token, "amount": 500, "merchant": other_merchant["merchant_id"]},
    )
    assert response.status_code == 200, response.text
    charge = http.get(f"/v1/charges/{response.json()['id']}", headers=bearer(other_merchant)).json()
    assert charge["amount"] == 500


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("amount=abc", 400, "invalid_charge_amount"),
        ("amount=0", 400, "invalid_charge_amount"),
        ("amount=-1", 400, "invalid_charge_amount"),
        ("amount=100000000", 400, "amount_too_large"),
        ("merchant=NOPE", 404, "resource_missing"),
    ],
)
def test_bad_checkout_queries_get_an_error_envelope(
    http: httpx.Client,
    query: str,
    status: int,
    code: str,
) -> None:
    _assert_envelope(http.get(f"/demo/checkout?{query}"), status, code)


def test_checkout_page_carries_only_the_public_key(
    http: httpx.Client,
    merchants: list[dict[str, str]],
) -> None:
    chosen = merchants[1]
    response = http.get(f"/demo/checkout?merchant={chosen['merchant_id']}&amount=999")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert chosen["api_access_key"] in html
    assert '"amount": 999' in html
    for secret in ("private_key", "app_secret"):
        assert chosen[secret] not in html
    assert "{{" not in html


def test_demo_redirects_to_the_checkout(http: httpx.Client) -> None:
    response = http.get("/demo?amount=700")
    assert response.status_code == 307
    assert response.headers["location"] == "demo/checkout?amount=700"
