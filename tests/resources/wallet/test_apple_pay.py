"""`POST /v1/tokens` with Apple Pay's payment data, as
https://docs.clover.com/dev/docs/create-applepaywallet-token shows it
(`encryptedWallet.applePayPaymentData`); the sandbox checks the blob's shape and answers a
single-use card token (the kit's choice: it cannot decrypt Apple's data)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import assert_error, bearer

PAYMENT_DATA: dict[str, Any] = {
    "version": "EC_v1",
    "data": "c2FuZGJveCBwYXltZW50IGRhdGE=",
    "signature": "c2lnbmF0dXJl",
    "header": {
        "ephemeralPublicKey": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE",
        "publicKeyHash": "aGFzaA==",
        "transactionId": "a1b2c3d4e5f6",
    },
}


def apple_pay_token(http, merchant, **changes: Any):
    data = {k: v for k, v in {**PAYMENT_DATA, **changes}.items() if v is not None}
    return http.post(
        "/v1/tokens",
        headers={"apikey": merchant["api_access_key"]},
        json={"encryptedWallet": {"applePayPaymentData": data}},
    )


def test_apple_pay_payment_data_makes_a_single_use_token(http, merchant):
    response = apple_pay_token(http, merchant)
    assert response.status_code == 200, response.text
    token = response.json()
    assert token["id"].startswith("clv_") and token["object"] == "token"
    assert token["card"]["last4"] == "1111" and token["card"]["brand"] == "VISA"
    charge = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={"amount": 1500, "currency": "usd", "source": token["id"]},
    )
    assert charge.status_code == 200 and charge.json()["status"] == "succeeded"
    again = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={"amount": 1500, "currency": "usd", "source": token["id"]},
    )
    assert_error(again, 400, "token_already_used")


P = "encryptedWallet.applePayPaymentData"


@pytest.mark.parametrize(
    ("changes", "code", "param"),
    [
        ({"version": "v2"}, "invalid_request", f"{P}.version"),
        ({"data": "not base64!"}, "invalid_request", f"{P}.data"),
        ({"signature": None}, "invalid_request", f"{P}.signature"),
        (
            {"header": {"publicKeyHash": "aA==", "transactionId": "1"}},
            "invalid_request",
            f"{P}.header.ephemeralPublicKey",
        ),
        (
            {"header": {**PAYMENT_DATA["header"], "transactionId": ""}},
            "invalid_request",
            f"{P}.header.transactionId",
        ),
        ({"paymentMethod": {}}, "invalid_request", f"{P}.paymentMethod"),
    ],
)
def test_each_part_of_the_blob_is_checked_and_named(http, merchant, changes, code, param):
    assert_error(apple_pay_token(http, merchant, **changes), 400, code, param)


def test_the_client_sends_the_payment_data_unchanged(live) -> None:
    token = live.create_apple_pay_token(PAYMENT_DATA)
    assert token.id.startswith("clv_") and token.card.last4 == "1111"
    assert live.create_charge(900, token).status == "succeeded"
