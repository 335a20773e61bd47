"""Card tokens on the wire: the apikey header, never the Bearer."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from helpers import (
    Card,
    CardError,
    CloverClient,
    Token,
)
from tests.client.conftest import API_ACCESS_KEY, FakeClover

from ..conftest import TOKENIZER, Wire

Build = Callable[..., tuple[CloverClient, FakeClover]]
VISA = Card("4242424242424242", 12, 2030, "123")


def test_token_uses_apikey_header_and_no_bearer(make_client: Build) -> None:
    client, fake = make_client()
    token = client.create_token(VISA)
    request = fake.last
    assert str(request.url) == "http://clover.test/v1/tokens"
    assert request.headers["apikey"] == API_ACCESS_KEY
    assert "authorization" not in request.headers
    assert fake.last_json() == {
        "card": {
            "number": "4242424242424242",
            "exp_month": "12",
            "exp_year": "2030",
            "cvv": "123",
            "brand": "VISA",
        }
    }
    assert isinstance(token, Token) and token.id == "clv_1TSTSh7k2pQx9mWzAbCd"
    client.create_token({"number": "4242424242424242", "exp_month": "1"})
    assert fake.last_json() == {"card": {"number": "4242424242424242", "exp_month": "1"}}
    client.create_token({"card": {"encrypted_pan": "abc", "first6": "424242"}})
    assert fake.last_json() == {"card": {"encrypted_pan": "abc", "first6": "424242"}}


def test_both_clients_tokenize_with_the_apikey_alone(wire: Wire) -> None:
    card = Card("4111111111111111", 1, 2031, "737")
    token = wire.call("create_token", card)
    request = wire.last
    assert (request.method, str(request.url)) == ("POST", f"{TOKENIZER}/v1/tokens")
    assert request.headers["apikey"] == API_ACCESS_KEY
    assert "authorization" not in request.headers and "x-forwarded-for" not in request.headers
    assert uuid.UUID(request.headers["idempotency-key"]).version == 4
    assert wire.last_json() == {"card": card.to_wire()}
    assert isinstance(token, Token) and token.card.last4 == "4242"
    assert card.number not in repr(wire.journal) and card.number not in str(wire.journal.last)


def test_both_clients_raise_the_tokenizers_card_error(wire: Wire) -> None:
    wire.answer(
        {
            "message": "400 Bad Request",
            "error": {
                "type": "card_error",
                "code": "invalid_number",
                "message": "The card number is not valid.",
                "param": "card.number",
            },
        },
        400,
    )
    with pytest.raises(CardError) as caught:
        wire.call("create_token", {"card": {"number": "4242424242424241"}})
    assert caught.value.code == "invalid_number" and caught.value.param == "card.number"
