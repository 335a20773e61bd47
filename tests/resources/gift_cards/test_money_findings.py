"""Issue 23's gift card findings, each a regression test named after it: a cashout of an
empty card, and a refund that would lift a balance over the most a card may hold.

Clover's page: https://docs.clover.com/docs/gift-card-api (cashout "removes the remaining
balance"; a refund puts a redemption's value back on the card).
"""

from __future__ import annotations

from tests.resources.gift_cards.test_http import EMPTY, FIFTY, balance, gift_token, post
from tests.support import assert_error, bearer

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
