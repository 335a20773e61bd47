"""3-D Secure through the client against the local sandbox: the ``threeds`` builders,
the frictionless path, a method flow then a challenge answered without a browser and
finalized (``finalize_payment``), ``threeds`` on order pay, and the dashboard switch."""

from __future__ import annotations

import httpx
import pytest

from helpers import (
    Card,
    CardError,
    CloverClient,
    InvalidRequestError,
    clover_threeds,
    non_clover_threeds,
    sku,
)
from tests.resources.threeds.flows import answer_acs

BROWSER = {
    "browser_accept_header": "text/html",
    "browser_javascript_enabled": True,
    "browser_language": "en-US",
    "browser_screen_height": "900",
    "browser_screen_width": "1440",
    "browser_tz": "300",
    "browser_user_agent": "Mozilla/5.0 (test)",
}


def card(number: str = "4242424242424242") -> Card:
    return Card(number, 12, 2034, "123", name="Ada Lovelace")


def test_builders_make_the_documented_objects() -> None:
    assert clover_threeds(BROWSER, "203.0.113.7") == {
        "source": "CLOVER",
        "browser_info": {**BROWSER, "browser_ip": "203.0.113.7"},
    }
    assert non_clover_threeds("SUCCESS", "AAAB", transaction_id="T1") == {
        "source": "NON_CLOVER",
        "authentication_result": {
            "authentication_status": "SUCCESS",
            "transaction_id": "T1",
            "cryptogram": "AAAB",
        },
    }


def test_frictionless_method_flow_and_challenge(live: CloverClient, sandbox) -> None:
    threeds = clover_threeds(BROWSER, "203.0.113.7")
    token = live.create_token(card())
    charge = live.create_charge(1999, token, threeds=threeds, receipt_email="ada@example.com")
    assert charge.threeds.validation_result == "AUTHENTICATION_SUCCESSFUL"

    # Clover's test card 4012000033330026 at 250.01: a method flow, then a challenge
    token = live.create_token(card("4012000033330026"))
    waiting = live.create_charge(25001, token, threeds=threeds, receipt_email="ada@example.com")
    assert waiting.threeds.validation_result == "THREEDS_METHOD_FLOW_REQUIRED"
    asked = live.finalize_payment(waiting.id, "Y")
    assert asked.threeds.validation_result == "CHALLENGE_FLOW_REQUIRED"
    with httpx.Client(base_url=sandbox.url, timeout=10) as http:
        answer_acs(http, asked.threeds.data.to_dict(), code="1234", action="verify")
    done = live.finalize_payment(waiting.id, "Y")
    assert done.status == "succeeded" and done.threeds.liability_protection_status == "PROTECTED"


def test_a_failed_challenge_raises_a_card_error(live: CloverClient, sandbox) -> None:
    token = live.create_token(card("6011000990139424"))
    threeds = clover_threeds(BROWSER, "203.0.113.7")
    waiting = live.create_charge(6677, token, threeds=threeds)
    with httpx.Client(base_url=sandbox.url, timeout=10) as http:
        answer_acs(http, waiting.threeds.data.to_dict(), action="cancel")
    with pytest.raises(CardError) as caught:
        live.finalize_payment(waiting.id, "N")
    assert caught.value.decline_code == "authentication_failed"


def test_order_pay_sends_threeds(live: CloverClient) -> None:
    order = live.create_order([sku("Mug", 1200)])
    paid = live.pay_order(
        order,
        live.create_token(card()),
        threeds=clover_threeds(BROWSER, "203.0.113.7"),
        email="ada@example.com",
    )
    assert paid.status == "paid"


def test_required_by_the_merchant(live: CloverClient, sandbox) -> None:
    switch = {"merchant_id": live.merchant_id, "required": True}
    httpx.post(f"{sandbox.url}/_sandbox/threeds", json=switch, timeout=10).raise_for_status()
    with pytest.raises(InvalidRequestError) as caught:
        live.create_charge(1999, live.create_token(card()))
    assert caught.value.param == "threeds"
