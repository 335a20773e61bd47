"""ACH tokens on the wire, sync and async: the tokenizer, the apikey, the fields as sent
(docs: create-an-ach-token)."""

from __future__ import annotations

from helpers import Token
from tests.client.conftest import API_ACCESS_KEY

from ..conftest import TOKENIZER, Wire

FIELDS = {"bank_account_number": "123456789012", "bank_routing_number": "011000015"}


def test_ach_token_goes_to_the_tokenizer_with_the_apikey(wire: Wire) -> None:
    wire.answer({"id": "clv_1TSTach", "object": "token", "ach": {"account_last4": "9012"}})
    token = wire.call("create_ach_token", FIELDS, idempotency_key="ach-1")
    request = wire.last
    assert (request.method, str(request.url)) == ("POST", f"{TOKENIZER}/v1/tokens")
    assert request.headers["apikey"] == API_ACCESS_KEY
    assert "authorization" not in request.headers
    assert request.headers["idempotency-key"] == "ach-1"
    assert wire.last_json() == {"ach": FIELDS}
    assert isinstance(token, Token) and token.ach.account_last4 == "9012"
