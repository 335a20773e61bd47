"""POST /v1/tokens: validation, brands, single use, and the apikey header."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from tests.support import VISA, assert_error, bearer, charge, tokenize


def post_card(http: httpx.Client, merchant: dict[str, str], **card: object) -> httpx.Response:
    return http.post(
        "/v1/tokens",
        headers={"apikey": merchant["api_access_key"]},
        json={"card": {**VISA, **card}},
    )


def test_token_carries_masked_card_details(http, merchant):
    response = post_card(http, merchant, name="Ada Lovelace", address_zip="10001")
    assert response.status_code == 200
    token = response.json()
    assert token["id"].startswith("clv_") and token["id"][4:].isalnum()
    assert token["object"] == "token"
    assert token["card"] == {
        "exp_month": "12",
        "exp_year": "2030",
        "first6": "424242",
        "last4": "4242",
        "brand": "VISA",
    }
    assert "4242424242424242" not in response.text and "123" not in response.text


@pytest.mark.parametrize(
    ("number", "brand", "cvv"),
    [
        ("6011361000006668", "DISCOVER", "123"),
        ("378282246310005", "AMEX", "1234"),
        ("30569309025904", "DINERS_CLUB", "123"),
        ("3566002020360505", "JCB", "123"),
        ("5204245250003294", "MC", "123"),
        ("4000056655665556", "VISA", "123"),
    ],
)
def test_every_documented_brand_tokenizes(http, merchant, number, brand, cvv):
    response = post_card(http, merchant, number=number, brand=brand, cvv=cvv)
    assert response.status_code == 200, response.text
    assert response.json()["card"]["last4"] == number[-4:]


def test_numbers_may_be_typed_with_spaces(http, merchant):
    assert post_card(http, merchant, number="4242 4242 4242 4242").status_code == 200


def test_expiry_as_numbers_and_two_digit_year(http, merchant):
    response = post_card(http, merchant, exp_month=3, exp_year="31")
    assert response.json()["card"]["exp_month"] == "03"
    assert response.json()["card"]["exp_year"] == "2031"


today = dt.date.today()
last_month = today.replace(day=1) - dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("card", "code", "param"),
    [
        ({"number": "4242424242424241"}, "invalid_number", "card.number"),
        ({"number": "4242"}, "invalid_number", "card.number"),
        ({"number": "42424242x4242424"}, "invalid_number", "card.number"),
        ({"number": ["4242"]}, "invalid_number", "card.number"),
        ({"number": None}, "invalid_request", "card.number"),
        ({"exp_month": "13"}, "invalid_expiry_month", "card.exp_month"),
        ({"exp_month": "0"}, "invalid_expiry_month", "card.exp_month"),
        ({"exp_month": None}, "invalid_request", "card.exp_month"),
        ({"exp_year": "203"}, "invalid_expiry_year", "card.exp_year"),
        ({"exp_year": "2999"}, "invalid_expiry_year", "card.exp_year"),
        (
            {"exp_month": str(last_month.month), "exp_year": str(last_month.year)},
            "expired_card",
            "card.exp_year",
        ),
        ({"cvv": "12"}, "invalid_cvc", "card.cvv"),
        ({"cvv": "1234"}, "invalid_cvc", "card.cvv"),
        ({"cvv": "12a"}, "invalid_cvc", "card.cvv"),
        ({"cvv": None}, "invalid_request", "card.cvv"),
        ({"brand": "MC"}, "invalid_card_type", "card.brand"),
        ({"brand": "VISA_ELECTRON"}, "invalid_card_type", "card.brand"),
        ({"number": "1234567812345670"}, "invalid_card_type", "card.number"),
        ({"pan": "4242424242424242"}, "invalid_request", "card.pan"),
        ({"name": "x" * 101}, "invalid_request", "card.name"),
    ],
)
def test_bad_card_data_names_the_field(http, merchant, card, code, param):
    error = assert_error(post_card(http, merchant, **card), 400, code, param)
    assert error["type"] in ("card_error", "invalid_request_error")


def test_amex_needs_four_digit_cvv(http, merchant):
    response = post_card(http, merchant, number="378282246310005", brand="AMEX", cvv="123")
    assert_error(response, 400, "invalid_cvc", "card.cvv")


def test_card_object_is_required(http, merchant):
    response = http.post("/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={})
    assert_error(response, 400, "invalid_request", "card")
    response = http.post(
        "/v1/tokens",
        headers={"apikey": merchant["api_access_key"]},
        json={"card": "4242424242424242"},
    )
    assert_error(response, 400, "invalid_request", "card")


@pytest.mark.parametrize("headers", [{}, {"apikey": "not-a-key"}, {"APIKEY": ""}])
def test_unknown_or_missing_apikey_is_a_bare_401(http, headers):
    response = http.post("/v1/tokens", headers=headers, json={"card": VISA})
    assert response.status_code == 401
    assert response.json() == {"message": "401 Unauthorized"}


def test_apikey_header_name_is_case_insensitive(http, merchant):
    response = http.post(
        "/v1/tokens", headers={"APIKey": merchant["api_access_key"]}, json={"card": VISA}
    )
    assert response.status_code == 200


def test_private_key_is_not_an_apikey(http, merchant):
    headers = {"authorization": f"Bearer {merchant['private_key']}"}
    response = http.post("/v1/tokens", headers=headers, json={"card": VISA})
    assert response.status_code == 401


def test_a_token_is_single_use(http, merchant):
    token = tokenize(http, merchant)
    assert charge(http, merchant, source=token).status_code == 200
    assert_error(charge(http, merchant, source=token), 400, "token_already_used", "source")


def test_a_token_of_one_merchant_is_unknown_to_another(http, merchant, other_merchant):
    token = tokenize(http, merchant)
    response = http.post(
        "/v1/charges",
        headers=bearer(other_merchant),
        json={"amount": 100, "currency": "usd", "source": token},
    )
    error = assert_error(response, 400, "invalid_request", "source")
    assert error["message"] == "Please provide a valid source or token."
