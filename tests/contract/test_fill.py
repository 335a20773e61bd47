"""The runner's placeholders: each puts the value it names into a request, and nothing else."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from helpers.sandbox.compare.exchanges import Unfilled
from tests.contract.test_pages import fill

ANSWERS = [{"id": "ORDER1", "items": [{"parent": "LINE1"}]}]
LOCATIONS = ["https://pinewood-shop.example/cb?merchant_id=M1&client_id=APP&code=abc%2Bd"]
OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
MERCHANT = {"app_id": "KTAPPDEM0A1B2", "app_secret": "s3cret"}


def test_each_placeholder_is_replaced_by_what_it_names() -> None:
    request = {
        "path": "/v1/orders/{{answer:0.id}}/returns",
        "parent": "{{answer:0.items.0.parent}}",
        "code": "{{location:0.code}}",
        "client_id": "{{merchant:app_id}}",
        "client_secret": "{{merchant:app_secret}}",
        "number": "{{card:4242424242424242}}",
        "plain": "left as it is",
    }
    assert fill(request, ANSWERS, LOCATIONS, MERCHANT) == {
        "path": "/v1/orders/ORDER1/returns",
        "parent": "LINE1",
        "code": "abc+d",
        "client_id": "KTAPPDEM0A1B2",
        "client_secret": "s3cret",
        "number": "4242424242424242",
        "plain": "left as it is",
    }


def test_a_location_placeholder_without_a_redirect_fails_loudly() -> None:
    with pytest.raises(Unfilled, match="no redirect"):
        fill("{{location:0.code}}", ANSWERS, [None], MERCHANT)
    with pytest.raises(Unfilled, match="no 'state'"):
        fill("{{location:0.state}}", ANSWERS, LOCATIONS, MERCHANT)


def test_an_encrypted_pan_opens_with_the_key_an_earlier_answer_published() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = key.public_key().public_numbers()
    published = base64.b64encode(numbers.n.to_bytes(256, "big") + numbers.e.to_bytes(3, "big"))
    answers = [{"TA_PUBLIC_KEY_DEV": published.decode()}]
    sealed = fill("{{encrypted_pan:0.6011361000006668}}", answers)
    assert "6011361000006668" not in sealed
    assert key.decrypt(base64.b64decode(sealed), OAEP) == b"000000006011361000006668"


def test_a_reference_to_a_missing_field_fails_loudly() -> None:
    with pytest.raises(Unfilled, match=r"no 'items\.1\.parent'"):
        fill("{{answer:0.items.1.parent}}", ANSWERS)
