"""Gift cards over HTTP: tokens, balance inquiry, redemption in full and in part, split
tender with a card on one order, reload, cashout, and a card with nothing left.

Clover's pages: https://docs.clover.com/docs/create-a-gift-card-token and
https://docs.clover.com/docs/gift-card-api (balance_inquiry, reload, cashout, redemption).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import assert_error, bearer, tokenize

FIFTY = "7777010000000001"
FIFTEEN = "7777010000000019"
EMPTY = "7777010000000027"


def gift_token(http, merchant, number: str = FIFTY, **extra: Any) -> str:
    response = http.post(
        "/v1/tokens",
        headers={"apikey": merchant["api_access_key"]},
        json={"gift_card": {"number": number, **extra}},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"].startswith("clv_") and body["object"] == "token"
    assert body["giftCard"] == {"last4": number[-4:]}
    assert number not in response.text[: response.text.index("giftCard")]
    return body["id"]


def post(http, merchant, path: str, **body: Any):
    return http.post(path, headers=bearer(merchant), json=body)


def balance(http, merchant, token: str) -> int:
    response = post(http, merchant, "/v1/balance_inquiry", source=token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "succeeded" and body["gift_card"]["lock_amount"] == 0
    assert body["gift_card"]["previous_balance"] == body["gift_card"]["new_balance"]
    return body["gift_card"]["new_balance"]


def test_token_balance_and_full_redemption(http, merchant):
    token = gift_token(http, merchant, security_code="1234")
    assert balance(http, merchant, token) == 5000
    charge = post(
        http,
        merchant,
        "/v1/charges",
        amount=1200,
        currency="usd",
        source=token,
        partial_redemption=True,
    ).json()
    assert charge["status"] == "succeeded" and charge["amount"] == 1200
    assert charge["payment_method_details"] == "giftCard"
    assert charge["source"] == {
        "id": token,
        "brand": "GIFT_CARD",
        "first6": "777701",
        "last4": "0001",
        "exp_month": None,
        "exp_year": None,
    }
    assert charge["gift_card"]["previous_balance"] == 5000
    assert charge["gift_card"]["new_balance"] == 3800
    # as Clover's sample: partial_auth echoes partial_redemption true, with no warning
    assert charge["partial_auth"] is True and charge["warning_message"] is None
    assert balance(http, merchant, token) == 3800


def test_older_field_name_card_number_is_taken(http, merchant):
    response = http.post(
        "/v1/tokens",
        headers={"apikey": merchant["api_access_key"]},
        json={"gift_card": {"card_number": FIFTY}},
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("gift_card", "code", "param"),
    [
        ({"number": "12345"}, "invalid_number", "gift_card.number"),
        ({"number": "7777010000009999"}, "invalid_number", "gift_card.number"),
        ({"number": FIFTY, "security_code": "12"}, "invalid_cvc", "gift_card.security_code"),
        ({"number": FIFTY, "pin": "1"}, "invalid_request", "gift_card.pin"),
        ({}, "invalid_request", "gift_card.number"),
    ],
)
def test_bad_gift_cards_are_named(http, merchant, gift_card, code, param):
    response = http.post(
        "/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={"gift_card": gift_card}
    )
    assert_error(response, 400, code, param)


def test_a_charge_for_more_redeems_what_is_left(http, merchant):
    token = gift_token(http, merchant, FIFTEEN)
    charge = post(http, merchant, "/v1/charges", amount=4000, currency="usd", source=token).json()
    assert charge["status"] == "succeeded" and charge["amount"] == 1500
    assert charge["warning_message"] == "partial_redemption should be true for gift card"
    assert charge["gift_card"]["new_balance"] == 0


def test_split_tender_on_one_order(http, merchant):
    order = post(
        http,
        merchant,
        "/v1/orders",
        currency="usd",
        items=[
            {"type": "sku", "amount": 4000, "currency": "usd", "description": "Book", "quantity": 1}
        ],
    ).json()
    gift = gift_token(http, merchant, FIFTEEN)
    first = post(http, merchant, f"/v1/orders/{order['id']}/pay", source=gift).json()
    assert first["amount_paid"] == 1500 and first["status"] != "paid"
    card = tokenize(http, merchant)
    second = post(http, merchant, f"/v1/orders/{order['id']}/pay", source=card).json()
    assert second["amount_paid"] == 4000 and second["status"] == "paid"


def test_an_empty_gift_card_is_declined_for_insufficient_funds(http, merchant):
    token = gift_token(http, merchant, EMPTY)
    response = post(http, merchant, "/v1/charges", amount=100, currency="usd", source=token)
    error = assert_error(response, 402, "card_declined")
    assert error["decline_code"] == "insufficient_funds"


def test_reload_then_cashout(http, merchant):
    token = gift_token(http, merchant, EMPTY)
    reloaded = post(http, merchant, "/v1/reload", source=token, amount=2500, currency="usd")
    body = reloaded.json()
    assert reloaded.status_code == 200 and body["status"] == "succeeded" and body["paid"]
    assert body["amount"] == 2500 and body["source"] == {"id": token, "last4": "0027"}
    assert body["gift_card"]["previous_balance"] == 0
    assert body["gift_card"]["new_balance"] == 2500
    assert body["outcome"]["network_status"] == "approved_by_network"
    cashed = post(http, merchant, "/v1/cashout", source=token).json()
    assert cashed["amount"] == 2500 and cashed["gift_card"]["new_balance"] == 0
    assert balance(http, merchant, token) == 0


def test_reload_checks_amount_currency_and_source(http, merchant):
    token = gift_token(http, merchant)
    assert_error(
        post(http, merchant, "/v1/reload", source=token, amount=0, currency="usd"),
        400,
        "invalid_charge_amount",
        "amount",
    )
    assert_error(
        post(http, merchant, "/v1/reload", source=token, amount=10),
        400,
        "invalid_request",
        "currency",
    )
    card = tokenize(http, merchant)
    response = post(http, merchant, "/v1/balance_inquiry", source=card)
    assert_error(response, 400, "invalid_request", "source")


def test_balances_belong_to_one_merchant(http, merchant, other_merchant):
    mine = gift_token(http, merchant, FIFTY)
    post(http, merchant, "/v1/charges", amount=1000, currency="usd", source=mine)
    theirs = gift_token(http, other_merchant, FIFTY)
    assert balance(http, other_merchant, theirs) == 5000
    assert_error(
        post(http, other_merchant, "/v1/balance_inquiry", source=mine), 400, "invalid_request"
    )


def test_a_gift_card_token_is_used_up_by_a_charge(http, merchant):
    token = gift_token(http, merchant)
    post(http, merchant, "/v1/charges", amount=100, currency="usd", source=token)
    again = post(http, merchant, "/v1/charges", amount=100, currency="usd", source=token)
    assert_error(again, 400, "token_already_used")
    assert balance(http, merchant, token) == 4900  # still good for an inquiry


def test_a_refund_puts_the_redeemed_money_back_on_the_gift_card(http, merchant):
    token = gift_token(http, merchant)
    charge = post(http, merchant, "/v1/charges", amount=1200, currency="usd", source=token).json()
    assert balance(http, merchant, token) == 3800
    part = post(http, merchant, "/v1/refunds", charge=charge["id"], amount=500)
    assert part.status_code == 200, part.text
    assert balance(http, merchant, token) == 4300
    post(http, merchant, "/v1/refunds", charge=charge["id"]).raise_for_status()
    assert balance(http, merchant, token) == 5000
    too_much = post(http, merchant, "/v1/refunds", charge=charge["id"], amount=1)
    assert too_much.status_code >= 400 and balance(http, merchant, token) == 5000
