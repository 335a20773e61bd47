"""Gift cards on the wire, sync and async: the exact requests and the typed answers
(docs: create-a-gift-card-token, gift-card-api)."""

from __future__ import annotations

import pytest

from helpers import GiftCardBalance, GiftCardTransaction, Token
from tests.client.conftest import API_ACCESS_KEY, PRIVATE_KEY

from ..conftest import ECOMMERCE, TOKENIZER, Wire

TOKEN = "clv_1TSTSgIfTcArDt0k3nQ9"
MOVED = {
    "id": "ABC123DE45F6G",
    "amount": 500,
    "status": "succeeded",
    "paid": True,
    "source": {"id": TOKEN, "last4": "0001"},
    "gift_card": {"expiration_date": "3025-01-01", "previous_balance": 92, "new_balance": 592},
}


def test_gift_card_token_goes_to_the_tokenizer_with_the_apikey(wire: Wire) -> None:
    wire.answer({"id": TOKEN, "object": "token", "giftCard": {"last4": "0001"}})
    token = wire.call("create_gift_card_token", "7777010000000001", "1234")
    request = wire.last
    assert (request.method, str(request.url)) == ("POST", f"{TOKENIZER}/v1/tokens")
    assert request.headers["apikey"] == API_ACCESS_KEY
    assert "authorization" not in request.headers
    assert wire.last_json() == {
        "gift_card": {"number": "7777010000000001", "security_code": "1234"}
    }
    assert isinstance(token, Token) and token.giftCard.last4 == "0001"


def test_balance_inquiry_is_a_post_with_the_source(wire: Wire) -> None:
    wire.answer({"status": "succeeded", "gift_card": {"new_balance": 5000, "lock_amount": 0}})
    balance = wire.call("get_gift_card_balance", TOKEN)
    request = wire.last
    assert (request.method, str(request.url)) == ("POST", f"{ECOMMERCE}/v1/balance_inquiry")
    assert request.headers["authorization"] == f"Bearer {PRIVATE_KEY}"
    assert wire.last_json() == {"source": TOKEN}
    assert isinstance(balance, GiftCardBalance) and balance.gift_card.new_balance == 5000


def test_reload_and_cashout(wire: Wire) -> None:
    wire.answer(MOVED)
    reloaded = wire.call("reload_gift_card", TOKEN, 500, idempotency_key="reload-1")
    assert str(wire.last.url) == f"{ECOMMERCE}/v1/reload"
    assert wire.last.headers["idempotency-key"] == "reload-1"
    assert wire.last_json() == {"source": TOKEN, "amount": 500, "currency": "usd"}
    assert isinstance(reloaded, GiftCardTransaction)
    assert reloaded.gift_card.new_balance == 592
    wire.answer(MOVED)
    wire.call("cashout_gift_card", TOKEN)
    assert str(wire.last.url) == f"{ECOMMERCE}/v1/cashout"
    assert wire.last_json() == {"source": TOKEN}
    assert wire.last.headers["idempotency-key"]  # every POST carries one


@pytest.mark.parametrize("amount", [12.5, "500", True])
def test_reload_refuses_money_that_is_not_int_cents(wire: Wire, amount: object) -> None:
    with pytest.raises(TypeError):
        wire.call("reload_gift_card", TOKEN, amount)
    assert not wire.requests
