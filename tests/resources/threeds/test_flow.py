"""3-D Secure through the client against the local sandbox: the ``threeds`` builders,
the frictionless path, a challenge answered without a browser, and the dashboard switch."""

from __future__ import annotations

import httpx
import pytest

from helpers import Card, CloverClient, InvalidRequestError, clover_threeds, non_clover_threeds

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


def test_frictionless_and_challenge(live: CloverClient, sandbox) -> None:
    threeds = clover_threeds(BROWSER, "203.0.113.7")
    token = live.create_token(card())
    charge = live.create_charge(1999, token, threeds=threeds, receipt_email="ada@example.com")
    assert charge.threeds.validation_result == "AUTHENTICATION_SUCCESSFUL"

    token = live.create_token(card("4000009900003008"))
    waiting = live.create_charge(1999, token, threeds=threeds, receipt_email="ada@example.com")
    assert waiting.status == "pending"
    url = f"{sandbox.url}/clover3DS/challenge/{waiting.threeds.data.transaction_id}"
    httpx.post(url, data={"code": "1234"}, timeout=10).raise_for_status()
    done = live.get_charge(waiting.id)
    assert done.status == "succeeded" and done.threeds.liability_protection_status == "PROTECTED"


def test_required_by_the_merchant(live: CloverClient, sandbox) -> None:
    switch = {"merchant_id": live.merchant_id, "required": True}
    httpx.post(f"{sandbox.url}/_sandbox/threeds", json=switch, timeout=10).raise_for_status()
    with pytest.raises(InvalidRequestError) as caught:
        live.create_charge(1999, live.create_token(card()))
    assert caught.value.param == "threeds"
