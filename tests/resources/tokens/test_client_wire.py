"""Card tokens on the wire: the apikey header, never the Bearer."""

from __future__ import annotations

from collections.abc import Callable

from helpers import (
    Card,
    CloverClient,
    Token,
)
from tests.client.conftest import API_ACCESS_KEY, FakeClover

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
