"""CheckoutWidget's browser module (checkout.js), run outside Jupyter with a stand-in model.

Whatever the module saves is what Python would receive: it must be the token and a masked
summary, never card data.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from .cardform import VISA, fill_card

pytestmark = pytest.mark.browser


def _harness(page: Any, site: Any, sdk_url: str, merchant: dict[str, str]) -> None:
    query = urlencode(
        {
            "sdk": sdk_url,
            "key": merchant["api_access_key"],
            "mid": merchant["merchant_id"],
            "amount": "2500",
        }
    )
    page.goto(f"{site.url}/pages/widget_harness.html?{query}")


def test_widget_syncs_only_the_token_and_a_masked_card(
    page: Any,
    sandbox: Any,
    merchant: dict[str, str],
    merchant_site: Any,
) -> None:
    _harness(page, merchant_site, f"{sandbox.url}/sdk.js", merchant)
    page.wait_for_function("window.model.get('status') === 'ready'")
    fill_card(page, *VISA)
    page.click(".clover-checkout__button")
    page.wait_for_function("window.model.get('status') === 'tokenized'")

    synced = page.evaluate("window.synced")
    final = synced[-1]
    assert final["token"].startswith("clv_")
    assert final["card"] == {
        "brand": "VISA",
        "last4": "4242",
        "exp_month": "12",
        "exp_year": "2030",
    }
    assert final["errors"] == {}
    everything = json.dumps(synced)
    assert "4242424242424242" not in everything
    assert '"cvv"' not in everything
    status = page.locator(".clover-checkout__status")
    expect(status).to_contain_text(re.compile(r"Token clv_\u2022{4}\w{4} for VISA \u2022{4}4242"))
    assert final["token"] not in page.content()


def test_widget_reports_field_errors(
    page: Any,
    sandbox: Any,
    merchant: dict[str, str],
    merchant_site: Any,
) -> None:
    _harness(page, merchant_site, f"{sandbox.url}/sdk.js", merchant)
    page.wait_for_function("window.model.get('status') === 'ready'")
    fill_card(page, "4242424242424241", "12/30", "12", "10001")
    page.click(".clover-checkout__button")
    page.wait_for_function("window.model.get('status') === 'error'")
    errors = page.evaluate("window.model.get('errors')")
    assert errors == {"CARD_NUMBER": "Card number is invalid.", "CARD_CVV": "Card CVV is invalid."}
    assert page.evaluate("window.model.get('token')") == ""
    expect(page.locator('[data-error-for="CARD_CVV"]')).to_have_text("Card CVV is invalid.")


def test_widget_says_when_sdk_cannot_load(
    page: Any,
    merchant: dict[str, str],
    merchant_site: Any,
) -> None:
    _harness(page, merchant_site, f"{merchant_site.url}/nowhere/sdk.js", merchant)
    page.wait_for_function("window.model.get('status') === 'error'")
    assert "Could not load" in page.evaluate("window.model.get('errors').SDK")
    expect(page.locator(".clover-checkout__status")).to_contain_text("Could not load")
