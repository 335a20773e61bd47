"""Issue 23's gift card findings, each a regression test named after it: a cashout of an
empty card, and a refund that would lift a balance over the most a card may hold.

Clover's page: https://docs.clover.com/docs/gift-card-api (cashout "removes the remaining
balance"; a refund puts a redemption's value back on the card).
"""

from __future__ import annotations

from tests.resources.gift_cards.test_http import EMPTY, FIFTY, balance, gift_token, post
from tests.support import assert_error, bearer, tokenize

MAXIMUM = 99_999_999


def test_cashing_out_an_empty_gift_card_is_refused_not_200_with_0(http, merchant):
    token = gift_token(http, merchant, EMPTY)
    response = post(http, merchant, "/v1/cashout", source=token)
    error = assert_error(response, 400, "invalid_request", "source")
    assert "nothing to cash out" in error["message"]
    assert balance(http, merchant, token) == 0


def test_a_gift_card_refund_cannot_lift_a_balance_over_the_reload_maximum(http, merchant):
    token = gift_token(http, merchant, FIFTY)
    charge = post(http, merchant, "/v1/charges", amount=5000, currency="usd", source=token)
    assert charge.status_code == 200, charge.text
    reload = post(http, merchant, "/v1/reload", source=token, amount=MAXIMUM, currency="usd")
    assert reload.status_code == 200, reload.text
    refund = post(http, merchant, "/v1/refunds", charge=charge.json()["id"])
    error = assert_error(refund, 400, "amount_too_large", "charge")
    assert str(MAXIMUM) in error["message"]
    assert balance(http, merchant, token) == MAXIMUM
    after = http.get(f"/v1/charges/{charge.json()['id']}", headers=bearer(merchant))
    assert after.json()["amount_refunded"] == 0 and after.json()["refunded"] is False


def test_an_order_return_the_gift_card_cannot_take_back_refunds_nothing(http, merchant):
    order = post(
        http,
        merchant,
        "/v1/orders",
        currency="usd",
        items=[{"type": "sku", "amount": 4000, "currency": "usd", "description": "Atlas"}],
    ).json()
    gift = gift_token(http, merchant, "7777010000000019")
    post(http, merchant, f"/v1/orders/{order['id']}/pay", source=gift).raise_for_status()
    card = tokenize(http, merchant)
    paid = post(http, merchant, f"/v1/orders/{order['id']}/pay", source=card)
    assert paid.json()["status"] == "paid", paid.text
    reload = post(http, merchant, "/v1/reload", source=gift, amount=MAXIMUM, currency="usd")
    assert reload.status_code == 200, reload.text
    returned = post(http, merchant, f"/v1/orders/{order['id']}/returns")
    assert_error(returned, 400, "amount_too_large", "charge")
    after = http.get(f"/v1/orders/{order['id']}", headers=bearer(merchant)).json()
    assert after["status"] == "paid" and after.get("amount_returned", 0) == 0
    listed = http.get("/v1/refunds", headers=bearer(merchant)).json()["data"]
    assert listed == [], "a refund of the card went through although the return was refused"
