"""3-D Secure in a real browser: the merchant's page loads the 3DS script, the charge
waits for a challenge, the shopper completes or fails it in the issuer's frame, and the
merchant's server reads the outcome back (dev: initiate-3ds-sdk-with-create-a-charge-endpoint,
https://docs.clover.com/dev/docs/initiate-3ds-sdk-with-create-a-charge-endpoint)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from playwright.sync_api import expect

from tests.support import bearer, tokenize

pytestmark = pytest.mark.browser


def _page(page: Any, site: Any, sandbox: Any, merchant: dict[str, str]) -> Any:
    query = {"sdk": f"{sandbox.url}/clover3DS/clover3DS-sdk.js", "mid": merchant["merchant_id"]}
    page.goto(f"{site.url}/pages/threeds.html?{urlencode(query)}")
    expect(page.locator("#status")).to_have_text("ready")
    return page


def _pending_charge(sandbox: Any, merchant: dict[str, str], info: dict[str, Any]) -> Any:
    with httpx.Client(base_url=sandbox.url, timeout=10) as http:
        source = tokenize(http, merchant, number="4000009900003008", name="Ada Lovelace")
        body = {
            "amount": 4200,
            "currency": "usd",
            "source": source,
            "receipt_email": "ada@example.com",
            "threeds": {"source": "CLOVER", "browser_info": {**info, "browser_ip": "203.0.113.7"}},
        }
        response = http.post("/v1/charges", headers=bearer(merchant), json=body)
    assert response.status_code == 200, response.text
    charge = response.json()
    assert charge["threeds"]["validation_result"] == "CHALLENGE_REQUIRED"
    return charge


def _read(sandbox: Any, merchant: dict[str, str], charge_id: str) -> dict[str, Any]:
    with httpx.Client(base_url=sandbox.url, timeout=10) as http:
        return http.get(f"/v1/charges/{charge_id}", headers=bearer(merchant)).json()


@pytest.mark.parametrize(
    ("code", "button", "status", "charge_status"),
    [("1234", "#verify", "succeeded", "succeeded"), ("", "#cancel", "failed", "failed")],
)
def test_the_shopper_answers_the_challenge(
    page, sandbox, merchant, merchant_site, code, button, status, charge_status
):
    _page(page, merchant_site, sandbox, merchant)
    info = page.evaluate("window.browserInfo")
    assert info["browser_javascript_enabled"] is True and info["browser_user_agent"]
    charge = _pending_charge(sandbox, merchant, info)
    page.evaluate("data => window.startChallenge(data)", charge["threeds"]["data"])
    frame = page.frame_locator("#clover-3ds-challenge")
    expect(frame.locator("h1")).to_have_text("Verify it's you")
    if code:
        frame.locator("#code").fill(code)
    frame.locator(button).click()
    page.wait_for_function("window.patches.length === 1")
    patch = page.evaluate("window.patches[0]")
    assert patch == {
        "type": "challenge",
        "status": status,
        "transaction_id": charge["threeds"]["data"]["transaction_id"],
        "charge": charge["id"],
    }
    expect(page.locator("#clover-3ds-overlay")).to_have_count(0)
    assert _read(sandbox, merchant, charge["id"])["status"] == charge_status


def test_a_wrong_code_fails_and_a_foreign_message_is_ignored(
    page, sandbox, merchant, merchant_site
):
    _page(page, merchant_site, sandbox, merchant)
    charge = _pending_charge(sandbox, merchant, page.evaluate("window.browserInfo"))
    page.evaluate("data => window.startChallenge(data)", charge["threeds"]["data"])
    # the merchant's own page posting a look-alike message must not end the challenge
    page.evaluate("window.postMessage({clover3ds: 'challenge-complete', status: 'succeeded'}, '*')")
    frame = page.frame_locator("#clover-3ds-challenge")
    frame.locator("#code").fill("9999")
    frame.locator("#verify").click()
    page.wait_for_function("window.patches.length === 1")
    assert page.evaluate("window.patches[0].status") == "failed"
    stored = _read(sandbox, merchant, charge["id"])
    assert stored["status"] == "failed" and stored["outcome"]["type"] == "authentication_failed"
