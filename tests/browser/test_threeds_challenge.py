"""3-D Secure in a real browser, both flows as Clover's page shows them
(https://docs.clover.com/docs/3ds-secure-configure-sdk): the merchant's page loads the 3DS
script, runs `perform3DSFingerPrinting` (the issuer's method URL in a hidden frame) or
`perform3DSChallenge` (the issuer's challenge in a frame), hears `executePatch` with the
status in `detail._3DSStatus`, and its server finalizes (`POST /v1/charges/finalize_payment`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from playwright.sync_api import expect

from tests.resources.threeds import flows
from tests.support import bearer

pytestmark = pytest.mark.browser


def _page(page: Any, site: Any, sandbox: Any, merchant: dict[str, str]) -> Any:
    query = {"sdk": f"{sandbox.url}/clover3DS/clover3DS-sdk.js", "mid": merchant["merchant_id"]}
    page.goto(f"{site.url}/pages/threeds.html?{urlencode(query)}")
    expect(page.locator("#status")).to_have_text("ready")
    return page


def _start(sandbox: Any, merchant: dict[str, str], card: Any, info: dict[str, Any]) -> Any:
    threeds = {"source": "CLOVER", "browser_info": {**info, "browser_ip": "203.0.113.7"}}
    with httpx.Client(base_url=sandbox.url, timeout=10) as http:
        response = flows.start(http, merchant, card, threeds=threeds)
    assert response.status_code == 200, response.text
    return response.json()


def _finalize(sandbox: Any, merchant: dict[str, str], charge_id: str, status: str) -> Any:
    with httpx.Client(base_url=sandbox.url, timeout=10) as http:
        return flows.finalize(http, merchant, charge_id, status)


def _read(sandbox: Any, merchant: dict[str, str], charge_id: str) -> dict[str, Any]:
    with httpx.Client(base_url=sandbox.url, timeout=10) as http:
        return http.get(f"/v1/charges/{charge_id}", headers=bearer(merchant)).json()


def test_method_flow_then_challenge_in_the_browser(page, sandbox, merchant, merchant_site):
    _page(page, merchant_site, sandbox, merchant)
    info = page.evaluate("window.browserInfo")
    assert info["browser_http_origin"] == merchant_site.url.rstrip("/")
    charge = _start(sandbox, merchant, flows.METHOD_THEN_CHALLENGE, info)
    data = charge["threeds"]["data"]
    assert charge["threeds"]["validation_result"] == "THREEDS_METHOD_FLOW_REQUIRED"
    page.evaluate("data => window.startMethod(data)", data)
    page.wait_for_function("window.patches.length === 1")
    assert page.evaluate("window.patches[0]") == {
        "_3DSStatus": "Y",
        "flow": "method",
        "threeDSServerTransID": data["threeds_server_transaction_id"],
    }
    expect(page.locator("#clover-3ds-method")).to_have_count(0)
    asked = _finalize(sandbox, merchant, charge["id"], "Y").json()
    assert asked["threeds"]["validation_result"] == "CHALLENGE_FLOW_REQUIRED"
    page.evaluate("data => window.startChallenge(data)", asked["threeds"]["data"])
    frame = page.frame_locator("#clover-3ds-challenge")
    expect(frame.locator("h1")).to_have_text("Verify it's you")
    frame.locator("#code").fill("1234")
    frame.locator("#verify").click()
    page.wait_for_function("window.patches.length === 2")
    assert page.evaluate("window.patches[1]._3DSStatus") == "Y"
    expect(page.locator("#clover-3ds-overlay")).to_have_count(0)
    done = _finalize(sandbox, merchant, charge["id"], "Y")
    assert done.status_code == 200 and done.json()["status"] == "succeeded"


@pytest.mark.parametrize(
    ("code", "button", "status", "http_status"),
    [("1234", "#verify", "Y", 200), ("", "#cancel", "N", 402)],
)
def test_the_shopper_answers_the_challenge(
    page, sandbox, merchant, merchant_site, code, button, status, http_status
):
    _page(page, merchant_site, sandbox, merchant)
    charge = _start(sandbox, merchant, flows.CHALLENGE, page.evaluate("window.browserInfo"))
    page.evaluate("data => window.startChallenge(data)", charge["threeds"]["data"])
    frame = page.frame_locator("#clover-3ds-challenge")
    expect(frame.locator("h1")).to_have_text("Verify it's you")
    if code:
        frame.locator("#code").fill(code)
    frame.locator(button).click()
    page.wait_for_function("window.patches.length === 1")
    patch = page.evaluate("window.patches[0]")
    assert patch["_3DSStatus"] == status and patch["flow"] == "challenge"
    response = _finalize(sandbox, merchant, charge["id"], patch["_3DSStatus"])
    assert response.status_code == http_status


def test_a_foreign_message_is_ignored(page, sandbox, merchant, merchant_site):
    _page(page, merchant_site, sandbox, merchant)
    charge = _start(sandbox, merchant, flows.CHALLENGE, page.evaluate("window.browserInfo"))
    data = charge["threeds"]["data"]
    page.evaluate("data => window.startChallenge(data)", data)
    # the merchant's own page posting a look-alike message must not end the challenge
    page.evaluate(
        "id => window.postMessage({clover3ds: 'challenge-complete', status: 'Y', "
        "threeDSServerTransID: id}, '*')",
        data["threeds_server_transaction_id"],
    )
    frame = page.frame_locator("#clover-3ds-challenge")
    frame.locator("#code").fill("9999")
    frame.locator("#verify").click()
    page.wait_for_function("window.patches.length === 1")
    assert page.evaluate("window.patches[0]._3DSStatus") == "N"
    assert _finalize(sandbox, merchant, charge["id"], "N").status_code == 402
    assert _read(sandbox, merchant, charge["id"])["outcome"]["type"] == "authentication_failed"
