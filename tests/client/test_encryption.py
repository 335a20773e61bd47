"""Encrypting card numbers for `encrypted_pan`: the key format, the round trip, the wire."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from helpers import (
    ENVIRONMENTS,
    CardEncryptionKey,
    CardError,
    CloverClient,
    Environment,
    fetch_card_key,
    test_card,
)
from helpers.clover.encryption import PREFIX

OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def published(key: rsa.RSAPrivateKey) -> str:
    numbers = key.public_key().public_numbers()
    return base64.b64encode(numbers.n.to_bytes(256, "big") + numbers.e.to_bytes(3, "big")).decode()


def test_a_published_key_reads_as_modulus_then_exponent(private_key):
    key = CardEncryptionKey.from_published(published(private_key))
    assert key.public_key.public_numbers() == private_key.public_key().public_numbers()
    assert "bits=2048" in repr(key) and "exponent=65537" in repr(key)


@pytest.mark.parametrize("value", ["not base64!", base64.b64encode(b"x" * 100).decode()])
def test_a_value_that_is_not_a_published_key_is_refused(value):
    with pytest.raises(ValueError):
        CardEncryptionKey.from_published(value)


def test_the_number_encrypts_with_the_prefix_and_oaep(private_key):
    key = CardEncryptionKey.from_published(published(private_key))
    encrypted = key.encrypt_pan("4242 4242 4242 4242")
    assert (
        private_key.decrypt(base64.b64decode(encrypted), OAEP).decode()
        == PREFIX + "4242424242424242"
    )
    assert encrypted != key.encrypt_pan("4242424242424242"), "OAEP is randomized"
    with pytest.raises(ValueError):
        key.encrypt_pan("4242x")


def test_the_encrypted_card_replaces_the_number(private_key):
    key = CardEncryptionKey.from_published(published(private_key))
    card = test_card("approve", brand="AMEX").card(address_zip="94107")
    wire = key.encrypted_card(card)
    assert "number" not in wire
    assert (wire["first6"], wire["last4"]) == (card.number[:6], card.number[-4:])
    clear = card.to_wire()
    clear.pop("number")
    assert {k: wire[k] for k in clear} == clear and "address_zip" in clear
    assert (
        private_key.decrypt(base64.b64decode(wire["encrypted_pan"]), OAEP).decode()
        == PREFIX + card.number
    )


def test_each_environment_names_its_key_and_where_it_is():
    assert ENVIRONMENTS["sandbox"].card_key_name == "TA_PUBLIC_KEY_DEV"
    assert ENVIRONMENTS["production"].card_key_name == "TA_PUBLIC_KEY_PROD"
    for name in ("sandbox", "production"):
        assert ENVIRONMENTS[name].card_keys_url == "https://checkout.clover.com/assets/keys.json"
    local = Environment.local("http://127.0.0.1:9")
    assert local.card_keys_url == "http://127.0.0.1:9/assets/keys.json"
    assert local.card_key_name == "TA_PUBLIC_KEY_DEV"


def test_an_encrypted_number_tokenizes_on_the_sandbox_and_is_masked_in_the_journal(
    live: CloverClient,
):
    key = fetch_card_key(live)
    card = test_card("decline").card()
    token = live.create_token({"card": key.encrypted_card(card)})
    assert (token.card.first6, token.card.last4) == (card.number[:6], card.number[-4:])
    sent = live.journal.last.request_json["card"]
    assert sent["encrypted_pan"] == "•••" and "number" not in sent
    with pytest.raises(CardError) as declined:
        live.create_charge(900, token)
    assert declined.value.code == "card_declined"


def test_a_key_from_another_run_is_refused_with_a_way_out(live: CloverClient, private_key):
    stale = CardEncryptionKey.from_published(published(private_key))
    with pytest.raises(CardError) as refused:
        live.create_token({"card": stale.encrypted_card(test_card("approve").card())})
    assert refused.value.code == "invalid_request"  # not a valid encrypted PAN (error codes page)
    assert refused.value.param == "card.encrypted_pan"
    assert "fetch it again" in refused.value.message
