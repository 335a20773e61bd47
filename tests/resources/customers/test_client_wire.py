"""Customers and multi-pay tokens on the wire, for the sync and the async client alike."""

from __future__ import annotations

import uuid

import pytest

from helpers import Card, Customer, DeletedCard, InvalidRequestError, Token, stored_credentials
from tests.client.conftest import API_ACCESS_KEY, PRIVATE_KEY

from ..conftest import ECOMMERCE, TOKENIZER, Wire

CUSTOMER = {
    "id": "CUST7Q2M",
    "object": "customer",
    "email": "ada@example.com",
    "sources": {"object": "list", "data": ["CARD9K3X"]},
}
TOKEN_ID = "clv_1TSTSh7k2pQx9mWzAbCd"


def test_create_customer_saves_the_card_behind_a_token(wire: Wire) -> None:
    wire.answer(CUSTOMER)
    customer = wire.call(
        "create_customer",
        Token({"id": TOKEN_ID, "object": "token"}),
        email="ada@example.com",
        first_name="Ada",
        last_name="Lovelace",
    )
    request = wire.last
    assert (request.method, str(request.url)) == ("POST", f"{ECOMMERCE}/v1/customers")
    assert request.headers["authorization"] == f"Bearer {PRIVATE_KEY}"
    assert uuid.UUID(request.headers["idempotency-key"]).version == 4
    assert wire.last_json() == {
        "source": TOKEN_ID,
        "email": "ada@example.com",
        "firstName": "Ada",
        "lastName": "Lovelace",
    }
    assert isinstance(customer, Customer) and customer.sources.data == ["CARD9K3X"]


def test_get_update_and_revoke_name_the_customer_in_the_path(wire: Wire) -> None:
    customer = Customer(CUSTOMER)
    wire.answer(CUSTOMER)
    assert wire.call("get_customer", customer) == CUSTOMER
    assert (wire.last.method, str(wire.last.url)) == ("GET", f"{ECOMMERCE}/v1/customers/CUST7Q2M")
    assert "idempotency-key" not in wire.last.headers

    wire.answer(CUSTOMER)
    wire.call("update_customer", "CUST7Q2M", source=TOKEN_ID, phone="555-0100", email=None)
    assert (wire.last.method, str(wire.last.url)) == ("PUT", f"{ECOMMERCE}/v1/customers/CUST7Q2M")
    assert wire.last_json() == {"phone": "555-0100", "source": TOKEN_ID}

    wire.answer({"deleted": True, "id": "CARD9K3X", "object": "deletedcard"})
    deleted = wire.call("revoke_card", customer, "CARD9K3X")
    assert wire.last.method == "DELETE"
    assert str(wire.last.url) == f"{ECOMMERCE}/v1/customers/CUST7Q2M/sources/CARD9K3X"
    assert isinstance(deleted, DeletedCard) and deleted.deleted is True


def test_saving_a_card_twice_is_an_invalid_request(wire: Wire) -> None:
    wire.answer(
        {
            "message": "409 Conflict",
            "error": {
                "type": "invalid_request_error",
                "code": "card_already_saved",
                "message": "The card is already saved.",
            },
        },
        409,
    )
    with pytest.raises(InvalidRequestError) as caught:
        wire.call("update_customer", "CUST7Q2M", source=TOKEN_ID)
    assert caught.value.status == 409 and caught.value.code == "card_already_saved"


def test_a_multipay_token_carries_the_flag_and_the_apikey(wire: Wire) -> None:
    card = Card("4242424242424242", 12, 2030, "123")
    token = wire.call("create_multipay_token", card, idempotency_key="save-card-1")
    request = wire.last
    assert (request.method, str(request.url)) == ("POST", f"{TOKENIZER}/v1/tokens")
    assert request.headers["apikey"] == API_ACCESS_KEY
    assert "authorization" not in request.headers
    assert request.headers["idempotency-key"] == "save-card-1"
    assert wire.last_json() == {"card": card.to_wire(), "multipay": True}
    assert isinstance(token, Token) and token.id == TOKEN_ID


def test_stored_credentials_say_which_use_and_who_started_it() -> None:
    assert stored_credentials("SUBSEQUENT", "MERCHANT", is_scheduled=True) == {
        "sequence": "SUBSEQUENT",
        "is_scheduled": True,
        "initiator": "MERCHANT",
    }
