"""What the money state machine (money_machine.py) and issue 23 found in ACH and gift cards,
each as its smallest reproduction: they failed on 84fed50 and hold since the ACH and gift
card pages were followed.

Clover's pages: https://docs.clover.com/dev/docs/ach-faqs (an ACH payment can come back),
https://docs.clover.com/docs/gift-card-api (refund to a gift card, cashout, reload),
https://docs.clover.com/reference/postordersidpay (pay an order with a source)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.reliability.money_machine import ACH_RETURNS, MAX_BALANCE, ach_token, gift_token
from tests.support import bearer

FIFTY = "7777010000000001"
EMPTY = "7777010000000027"


class Merchant:
    """A merchant's requests, with the state machine's token helpers."""

    def __init__(self, http: httpx.Client, merchant: dict[str, str]) -> None:
        self.http, self.merchant = http, merchant

    def post(self, path: str, **body: Any) -> httpx.Response:
        return self.http.post(path, headers=bearer(self.merchant), json=body)

    def get(self, path: str) -> dict[str, Any]:
        answer = self.http.get(path, headers=bearer(self.merchant))
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def ach_token(self, account: str) -> str:
        return ach_token(self.http, self.merchant, account)

    def gift_token(self, number: str) -> str:
        return gift_token(self.http, self.merchant, number)


@pytest.fixture
def shop(http: httpx.Client, merchant: dict[str, str]) -> Merchant:
    return Merchant(http, merchant)


def _balance(shop: Merchant, token: str) -> int:
    answer = shop.post("/v1/balance_inquiry", source=token)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["gift_card"]["new_balance"])


def test_an_ach_return_leaves_no_refund(shop: Merchant) -> None:
    """A pending ACH payment cannot be refunded (its money has not come in), so when it
    comes back (R01) the charge is failed with nothing captured, no refund stands and its
    order is not paid (issue 23: a refund stood and the order stayed paid)."""
    source = shop.ach_token(ACH_RETURNS)
    charge = shop.post("/v1/charges", amount=3000, currency="usd", source=source).json()
    assert shop.post("/v1/refunds", charge=charge["id"]).status_code == 400
    shop.http.post("/_sandbox/clock", json={"advance": "P3D"}).raise_for_status()
    back = shop.get(f"/v1/charges/{charge['id']}")
    assert back["status"] == "failed" and back["amount_captured"] == 0
    standing = shop.get(f"/v1/refunds?charge={charge['id']}")["data"]
    order = shop.get(f"/v1/orders/{charge['order']}")
    assert back["amount_refunded"] == 0, back
    assert [r for r in standing if r["status"] == "succeeded"] == []
    assert order["amount_paid"] == 0 and order["status"] != "paid", order


def test_paying_an_order_with_an_ach_token_is_not_a_500(shop: Merchant) -> None:
    """Clover pays an order with an ACH token ("If you want to use an ACH payment, use
    the create an ACH token endpoint": https://docs.clover.com/docs/working-with-orders)."""
    item = {"type": "sku", "amount": 2500, "currency": "usd", "description": "Tea", "quantity": 1}
    order = shop.post("/v1/orders", currency="usd", items=[item]).json()
    source = shop.ach_token("123456789012")
    paid = shop.post(f"/v1/orders/{order['id']}/pay", source=source)
    assert paid.status_code < 500, paid.text


def test_cashing_out_an_empty_gift_card_is_refused(shop: Merchant) -> None:
    token = shop.gift_token(EMPTY)
    answer = shop.post("/v1/cashout", source=token)
    assert answer.status_code in (400, 402), answer.text


def test_a_gift_card_refund_stays_under_the_maximum(shop: Merchant) -> None:
    """Redeem 10.00, reload the card to the maximum, refund the redemption."""
    token = shop.gift_token(FIFTY)
    charge = shop.post("/v1/charges", amount=1000, currency="usd", source=token).json()
    top = MAX_BALANCE - _balance(shop, token)
    assert shop.post("/v1/reload", source=token, amount=top, currency="usd").status_code == 200
    refund = shop.post("/v1/refunds", charge=charge["id"])
    assert refund.status_code < 500, refund.text
    assert _balance(shop, token) <= MAX_BALANCE
