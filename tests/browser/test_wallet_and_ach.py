"""The wallet button and the ACH form in a real browser (headless Chromium has no wallet):
what the button shows with no wallet, the local-only test wallet paying a charge, and the
ACH_ELEMENTS form making a token for a pending charge (dev: clover-iframe-features-apple-pay,
https://docs.clover.com/dev/docs/clover-iframe-features-apple-pay; dev:
iframe-customize-ach-elements-with-css,
https://docs.clover.com/dev/docs/iframe-customize-ach-elements-with-css)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from playwright.sync_api import expect

from helpers.sandbox.resources.ach.model import SANDBOX_AGREEMENT
from tests.support import bearer

pytestmark = pytest.mark.browser

BANK = {
    "ACH_ROUTING_NUMBER": "011000015",
    "ACH_ACCOUNT_NUMBER": "123456789012",
    "ACH_FIRST_NAME": "Ada",
    "ACH_LAST_NAME": "Lovelace",
    "ACH_EMAIL": "ada@example.com",
    "ACH_PHONE": "5555550100",
    "ACH_ID_STATE": "NJ",
    "ACH_ID_NUMBER": "D1234567",
    "ACH_ADDRESS_LINE1": "1 Main St",
    "ACH_CITY": "Newark",
    "ACH_STATE": "NJ",
    "ACH_ZIP": "07102",
}


def _open(page: Any, site: Any, sandbox: Any, merchant: dict[str, str], **query: str) -> Any:
    params = {
        "sdk": f"{sandbox.url}/sdk.js",
        "key": merchant["api_access_key"],
        "mid": merchant["merchant_id"],
        **query,
    }
    page.goto(f"{site.url}/pages/wallet_ach.html?{urlencode(params)}")
    expect(page.locator("#status")).to_have_text("ready")
    return page


def _charge(sandbox: Any, merchant: dict[str, str], token: str, amount: int) -> dict[str, Any]:
    with httpx.Client(base_url=sandbox.url, timeout=10) as http:
        body = {"amount": amount, "currency": "usd", "source": token}
        response = http.post("/v1/charges", headers=bearer(merchant), json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_with_no_wallet_the_button_says_so(page, sandbox, merchant, merchant_site):
    _open(page, merchant_site, sandbox, merchant, mode="wallet")
    frame = page.frame_locator("iframe[data-clover-element=PAYMENT_REQUEST_BUTTON]")
    expect(frame.locator("#no-wallet")).to_have_text("No wallet available in this browser.")
    expect(frame.locator("button")).to_have_count(0)
    page.wait_for_function("window.changeEvents.length > 0")
    state = page.evaluate("window.changeEvents[window.changeEvents.length - 1]")
    assert state["PAYMENT_REQUEST_BUTTON"]["available"] is False
    assert page.evaluate("window.paymentMethods") == []


def test_the_test_wallet_pays_a_charge(page, sandbox, merchant, merchant_site):
    _open(page, merchant_site, sandbox, merchant, mode="wallet", wallet="test")
    frame = page.frame_locator("iframe[data-clover-element=PAYMENT_REQUEST_BUTTON]")
    frame.locator("#wallet-pay").click()
    page.wait_for_function("window.paymentMethods.length === 1")
    result = page.evaluate("window.paymentMethods[0]")
    assert result["token"].startswith("clv_")
    assert result["wallet"] == {
        "type": "sandbox_test",
        "total": {"label": "Demo total", "amount": 1099},
    }
    charge = _charge(sandbox, merchant, result["token"], 1099)
    assert charge["status"] == "succeeded" and charge["source"]["last4"] == "1111"


def test_bad_payment_req_data_is_refused_by_name_in_the_console(
    page, sandbox, merchant, merchant_site
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    bad = json.dumps({"total": {"label": "Demo total", "amount": 10.99}})
    _open(page, merchant_site, sandbox, merchant, mode="wallet", wallet="test", data=bad)
    refused = page.evaluate("window.createError")
    assert "paymentReqData.total.amount" in refused and "cents" in refused
    assert any("paymentReqData.total.amount" in text for text in errors)
    expect(page.locator("iframe")).to_have_count(0)


def _ach_form(page: Any) -> Any:
    return page.frame_locator("iframe[data-clover-element=ACH_ELEMENTS]")


def _fill(form: Any, **changes: str) -> None:
    for key, value in {**BANK, **changes}.items():
        form.locator(f"#{key}").fill(value)


def _create_token(page: Any) -> dict[str, Any]:
    count = page.evaluate("window.tokenResults.length")
    page.locator("#pay").click()
    page.wait_for_function(f"window.tokenResults.length === {count + 1}")
    return page.evaluate(f"window.tokenResults[{count}]")


def test_the_ach_form_makes_a_token_for_a_pending_charge(page, sandbox, merchant, merchant_site):
    _open(page, merchant_site, sandbox, merchant, mode="ach")
    form = _ach_form(page)
    _fill(form)
    form.locator("#ACH_CONSENT").check()
    result = _create_token(page)
    assert result["token"].startswith("clv_"), result
    assert result["ach"] == {"account_last4": "9012", "routing_last4": "0015"}
    charge = _charge(sandbox, merchant, result["token"], 2500)
    assert charge["status"] == "pending" and charge["payment_method_details"] == "ach"
    assert charge["ach"]["agreement"] == SANDBOX_AGREEMENT and "consent" not in charge["ach"]
    note = form.locator("#template-note").inner_text()
    assert "docs.clover.com/docs/internet-check-acceptance" in note


def test_a_bad_routing_number_is_refused_as_typed(
    page, sandbox, merchant, merchant_site, token_requests
):
    _open(page, merchant_site, sandbox, merchant, mode="ach")
    form = _ach_form(page)
    form.locator("#ACH_ROUTING_NUMBER").press_sequentially("011000016")
    expect(form.locator("#ACH_ROUTING_NUMBER-error")).to_contain_text("Routing number is invalid")
    expect(form.locator("#ACH_ROUTING_NUMBER")).to_have_attribute("aria-invalid", "true")
    _fill(form, ACH_ROUTING_NUMBER="011000016")
    form.locator("#ACH_CONSENT").check()
    result = _create_token(page)
    assert "token" not in result
    assert result["errors"] == {
        "ACH_ROUTING_NUMBER": "Routing number is invalid (check the 9 digits)."
    }
    assert token_requests == []


def test_the_consent_is_required(page, sandbox, merchant, merchant_site, token_requests):
    _open(page, merchant_site, sandbox, merchant, mode="ach")
    form = _ach_form(page)
    _fill(form)
    result = _create_token(page)
    assert list(result["errors"]) == ["ACH_CONSENT"]
    expect(form.locator("#ACH_CONSENT-error")).to_contain_text("Accept the authorization")
    assert token_requests == []
    form.locator("#ACH_CONSENT").check()
    assert _create_token(page)["token"].startswith("clv_")
    assert len(token_requests) == 1


def test_a_look_alike_payment_method_message_is_ignored(page, sandbox, merchant, merchant_site):
    _open(page, merchant_site, sandbox, merchant, mode="wallet", wallet="test")
    page.evaluate(
        "window.postMessage({ns: 'clover-sandbox', v: 1, element: 'PAYMENT_REQUEST_BUTTON',"
        " type: 'paymentMethod', result: {token: 'clv_forged'}}, '*')"
    )
    frame = page.frame_locator("iframe[data-clover-element=PAYMENT_REQUEST_BUTTON]")
    frame.locator("#wallet-pay").click()
    page.wait_for_function("window.paymentMethods.length === 1")
    assert page.evaluate("window.paymentMethods[0].token") != "clv_forged"
