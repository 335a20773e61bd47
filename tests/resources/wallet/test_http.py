"""The wallet button's local test wallet over HTTP: `paymentReqData` checked by name, a
single-use card token with its wallet marker that `POST /v1/charges` takes, and the Apple
Pay domain-verification path (dev: clover-iframe-features-apple-pay,
https://docs.clover.com/dev/docs/clover-iframe-features-apple-pay; dev:
clover-iframe-features-google-pay)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import assert_error, bearer

DATA: dict[str, Any] = {
    "total": {"label": "Demo total", "amount": 1099},
    "options": {"button": {"buttonType": "short"}},
}
P = "sandbox_wallet.paymentReqData"


def wallet_token(http, merchant, data: Any = DATA, **extra: Any):
    body = {"sandbox_wallet": {"paymentReqData": data, **extra}}
    return http.post("/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json=body)


def test_the_token_is_a_card_token_marked_as_from_the_wallet(http, merchant):
    response = wallet_token(http, merchant)
    assert response.status_code == 200, response.text
    token = response.json()
    assert token["id"].startswith("clv_") and token["object"] == "token"
    assert token["wallet"] == {"type": "sandbox_test", "total": DATA["total"]}
    assert token["card"]["brand"] == "VISA" and token["card"]["last4"] == "1111"


def test_a_charge_takes_the_wallet_token_once(http, merchant):
    token = wallet_token(http, merchant).json()["id"]
    body = {"amount": 1099, "currency": "usd", "source": token}
    first = http.post("/v1/charges", headers=bearer(merchant), json=body)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "succeeded" and first.json()["paid"] is True
    assert first.json()["source"]["last4"] == "1111"
    again = http.post("/v1/charges", headers=bearer(merchant), json=body)
    assert again.status_code == 400 and "token" in again.text.lower()


@pytest.mark.parametrize(
    ("data", "code", "param"),
    [
        ({"options": {}}, "invalid_request", f"{P}.total"),
        ({"total": {"label": "Demo"}}, "invalid_request", f"{P}.total.amount"),
        ({"total": {"label": "Demo", "amount": 0}}, "invalid_request", f"{P}.total.amount"),
        ({"total": {"label": "Demo", "amount": 10.99}}, "invalid_request", f"{P}.total.amount"),
        ({"total": {"label": "Demo", "amount": "1099"}}, "invalid_request", f"{P}.total.amount"),
        ({"total": {"amount": 1099}}, "invalid_request", f"{P}.total.label"),
        ({"total": {"label": "  ", "amount": 1099}}, "invalid_request", f"{P}.total.label"),
        ({"total": {"label": "x" * 101, "amount": 1099}}, "invalid_request", f"{P}.total.label"),
        (
            {"total": {"label": "Demo", "amount": 1, "currency": "usd"}},
            "invalid_request",
            f"{P}.total.currency",
        ),
        (
            {**DATA, "options": {"button": {"buttonType": "tall"}}},
            "invalid_request",
            f"{P}.options.button.buttonType",
        ),
        ({**DATA, "shipping": True}, "invalid_request", f"{P}.shipping"),
        ("1099", "invalid_request", P),
    ],
)
def test_payment_req_data_is_checked_field_by_field(http, merchant, data, code, param):
    assert_error(wallet_token(http, merchant, data), 400, code, param)


def test_the_wallet_body_takes_nothing_else(http, merchant):
    response = wallet_token(http, merchant, card={"number": "4111111111111111"})
    assert_error(response, 400, "invalid_request", "sandbox_wallet.card")


def test_a_wallet_token_needs_the_api_access_key(http, merchant):
    body = {"sandbox_wallet": {"paymentReqData": DATA}}
    assert http.post("/v1/tokens", json=body).status_code == 401


def test_the_domain_verification_path_serves_a_placeholder(http):
    response = http.get("/.well-known/apple-developer-merchantid-domain-association")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "placeholder" in response.text and "Clover" in response.text


@pytest.mark.parametrize(("path", "script"), [("/wallet.html", "wallet-button.js")])
def test_the_button_page_is_locked_down_like_the_card_fields(http, path, script):
    response = http.get(f"{path}?element=PAYMENT_REQUEST_BUTTON")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert f'src="static/{script}"' in response.text


def test_a_look_alike_token_body_is_not_a_wallet_token(http, merchant):
    """`card` next to `sandbox_wallet` is a card request, checked as one."""
    body = {"card": {"number": "4111111111111111"}, "sandbox_wallet": {"paymentReqData": DATA}}
    response = http.post("/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json=body)
    assert_error(response, 400, "invalid_request", "sandbox_wallet")
