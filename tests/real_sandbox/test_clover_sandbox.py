"""The same client against Clover's real sandbox, when credentials are in the environment.

Set CLOVER_MERCHANT_ID and CLOVER_PRIVATE_KEY (an Ecommerce private key of a sandbox test
merchant) or CLOVER_ACCESS_TOKEN in the environment to run these: an opt-in for one run, so
a `.env` kept for the notebooks never makes a plain test run charge Clover. Without them
they are skipped and say why. They never run against production.
"""

from __future__ import annotations

import os

import pytest

from helpers import CardError, connect, test_card

CREDENTIALS = bool(
    os.environ.get("CLOVER_MERCHANT_ID")
    and (os.environ.get("CLOVER_PRIVATE_KEY") or os.environ.get("CLOVER_ACCESS_TOKEN"))
)

pytestmark = [
    pytest.mark.real_sandbox,
    pytest.mark.skipif(
        not CREDENTIALS,
        reason=(
            "Clover sandbox credentials not set (CLOVER_MERCHANT_ID, and CLOVER_PRIVATE_KEY or "
            "CLOVER_ACCESS_TOKEN, in the environment)"
        ),
    ),
]


@pytest.fixture(scope="module")
def clover():
    client = connect("sandbox")
    assert "sandbox" in client.environment.ecommerce_url
    yield client
    client.close()


def test_pakms_token_charge_and_refund(clover):
    key = clover.get_pakms_key()
    assert key.apiAccessKey
    token = clover.create_token(test_card("approve").card())
    assert token.id.startswith("clv_")
    charge = clover.create_charge(123, token.id, description="kit real-sandbox check")
    assert charge.status == "succeeded" and charge.amount == 123
    refund = clover.create_refund(charge.id)
    assert refund.amount == 123


def test_a_decline_card_is_declined_at_the_charge(clover):
    token = clover.create_token(test_card("decline").card())
    with pytest.raises(CardError) as declined:
        clover.create_charge(456, token.id)
    assert declined.value.code == "card_declined"
