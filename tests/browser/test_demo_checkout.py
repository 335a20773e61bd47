"""The demo shop in a real browser: card fields, token, charge, and what the page may see."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from .cardform import VISA, bearer, field, fill_card

pytestmark = pytest.mark.browser

MASKED_TOKEN = re.compile(r"clv_\u2022{4}[A-Za-z0-9]{4}")


def test_test_card_is_tokenized_and_charged(
    page: Any,
    sandbox: Any,
    http: httpx.Client,
    merchant: dict[str, str],
    token_requests: list[str],
) -> None:
    page.goto(f"{sandbox.url}/demo/checkout")
    fill_card(page, *VISA)
    expect(field(page, "CARD_NUMBER")).to_have_value("4242 4242 4242 4242")
    expect(field(page, "CARD_DATE")).to_have_value("12 / 30")
    page.click("#pay")

    expect(page.locator("#outcome")).to_have_attribute("data-kind", "success")
    masked = page.inner_text("#token-masked")
    assert MASKED_TOKEN.fullmatch(masked), masked
    assert page.inner_text("#charge-status") == "succeeded"
    assert page.inner_text("#charge-amount") == "$25.00"
    assert page.inner_text("#charge-card").endswith("4242")

    charge_id = page.inner_text("#charge-id")
    charge = http.get(f"/v1/charges/{charge_id}", headers=bearer(merchant)).json()
    assert charge["status"] == "succeeded"
    assert charge["amount"] == 2500
    assert charge["source"]["last4"] == "4242"
    assert charge["source"]["id"].endswith(masked[-4:])

    # The merchant page never held the card number, and shows the token only masked.
    html = page.content()
    for secret in ("4242424242424242", "4242 4242 4242 4242", charge["source"]["id"]):
        assert secret not in html
    assert len(token_requests) == 1


def test_decline_card_shows_the_decline_and_the_charge_is_failed(
    page: Any,
    sandbox: Any,
    http: httpx.Client,
    merchant: dict[str, str],
) -> None:
    page.goto(f"{sandbox.url}/demo/checkout?amount=1999")
    fill_card(page, "4005571702222222", "12/30", "123", "10001")
    page.click("#pay")

    expect(page.locator("#outcome")).to_have_attribute("data-kind", "error")
    expect(page.locator("#message")).to_contain_text("Payment failed")
    # Decline cards tokenize normally: the decline comes with the charge.
    assert MASKED_TOKEN.fullmatch(page.inner_text("#token-masked"))
    charge_id = page.inner_text("#charge-id")
    charge = http.get(f"/v1/charges/{charge_id}", headers=bearer(merchant)).json()
    assert charge["status"] == "failed"
    assert charge["amount"] == 1999
    assert charge["source"]["last4"] == "2222"


def test_invalid_number_shows_field_error_and_never_asks_for_a_token(
    page: Any,
    sandbox: Any,
    http: httpx.Client,
    token_requests: list[str],
) -> None:
    page.goto(f"{sandbox.url}/demo/checkout")
    fill_card(page, "4242424242424241", "12/30", "123", "10001")
    errors = page.locator('[data-error-for="CARD_NUMBER"]')
    # Blur happened when focus moved to the next field.
    expect(errors).to_have_text("Card number is invalid.")
    page.click("#pay")

    expect(page.locator("#outcome")).to_have_attribute("data-kind", "error")
    expect(page.locator("#message")).to_contain_text("Card number is invalid.")
    assert page.inner_text("#token-masked") == "\u2013"
    assert token_requests == []


def test_empty_form_names_every_missing_field(
    page: Any,
    sandbox: Any,
    token_requests: list[str],
) -> None:
    page.goto(f"{sandbox.url}/demo/checkout")
    page.click("#pay")
    expect(page.locator('[data-error-for="CARD_DATE"]')).to_have_text(
        "Card expiry date is required."
    )
    expect(page.locator('[data-error-for="CARD_NUMBER"]')).to_have_text("Card number is required.")
    expect(page.locator('[data-error-for="CARD_CVV"]')).to_have_text("Card CVV is required.")
    expect(page.locator('[data-error-for="CARD_POSTAL_CODE"]')).to_have_text(
        "Postal code is required."
    )
    assert token_requests == []


def test_direct_visit_serves_the_fields_from_another_origin(page: Any, sandbox: Any) -> None:
    """As with Clover's iframes, the shop's page cannot reach into the fields it embeds."""
    page.goto(f"{sandbox.url}/demo/checkout")
    fill_card(page, *VISA)
    src = page.get_attribute('iframe[data-clover-element="CARD_NUMBER"]', "src")
    assert src.startswith(sandbox.url.replace("127.0.0.1", "localhost") + "/widget.html?")
    assert page.is_hidden("#origin-note")
    read = page.evaluate("""() => {
        try {
            return document.querySelector('iframe[data-clover-element="CARD_NUMBER"]')
                .contentDocument.getElementById('input').value;
        } catch (error) { return 'blocked: ' + error.name; }
    }""")
    assert read in ("blocked: SecurityError", "blocked: TypeError"), read


def test_after_a_payment_the_pay_button_stays_off(
    page: Any, sandbox: Any, token_requests: list[str]
) -> None:
    """A second press would make a new token and a second charge."""
    page.goto(f"{sandbox.url}/demo/checkout")
    fill_card(page, *VISA)
    page.click("#pay")
    expect(page.locator("#outcome")).to_have_attribute("data-kind", "success")
    expect(page.locator("#pay")).to_be_disabled()
    assert len(token_requests) == 1


def test_forged_message_from_the_page_itself_is_ignored(page: Any, merchant_site: Any) -> None:
    """Through a proxy the page shares the SDK's origin: only the sender check stops a forgery."""
    page.goto(f"{merchant_site.url}/proxy/sandbox/demo/checkout")
    expect(page.locator("#origin-note")).to_be_visible()
    src = page.get_attribute('iframe[data-clover-element="CARD_NUMBER"]', "src")
    instance = re.search(r"instance=([0-9a-f]{32})", src).group(1)
    expect(field(page, "CARD_NUMBER")).to_be_editable()
    page.evaluate(
        """instance => window.postMessage({ns: 'clover-sandbox', v: 1, instance,
              element: 'CARD_NUMBER', type: 'change',
              state: {touched: true, error: 'FORGED'}}, '*')""",
        instance,
    )
    page.wait_for_timeout(300)
    assert "FORGED" not in page.inner_text('[data-error-for="CARD_NUMBER"]')
    # A genuine change still gets through.
    field(page, "CARD_NUMBER").fill("1234")
    expect(page.locator('[data-error-for="CARD_NUMBER"]')).to_have_text("Card number is invalid.")


def test_demo_checkout_works_behind_a_path_prefix(
    page: Any,
    http: httpx.Client,
    merchant: dict[str, str],
    merchant_site: Any,
    token_requests: list[str],
) -> None:
    """As on a JupyterHub: page, sdk.js, iframes, /v1/tokens and /demo/charge keep the prefix."""
    prefix = f"{merchant_site.url}/proxy/sandbox/"
    page.goto(prefix + "demo/checkout?amount=4200")
    fill_card(page, *VISA)
    page.click("#pay")
    expect(page.locator("#outcome")).to_have_attribute("data-kind", "success")
    assert token_requests == [prefix + "v1/tokens"]
    charge = http.get(
        f"/v1/charges/{page.inner_text('#charge-id')}", headers=bearer(merchant)
    ).json()
    assert charge["amount"] == 4200
    assert charge["status"] == "succeeded"


def test_the_number_field_never_hands_its_number_to_the_fields_channel(
    page: Any, merchant_site: Any
) -> None:
    """Through a proxy a script of the page's origin can join the fields' channel; the number
    field gathers the others' values but answers no one's request for its own."""
    page.goto(f"{merchant_site.url}/proxy/sandbox/demo/checkout")
    fill_card(page, *VISA)
    src = page.get_attribute('iframe[data-clover-element="CARD_NUMBER"]', "src")
    instance = re.search(r"instance=([0-9a-f]{32})", src).group(1)
    answered = page.evaluate(
        """async instance => {
        const channel = new BroadcastChannel('clover-sandbox/' + instance);
        const seen = [];
        channel.onmessage = e => {
            if (e.data && e.data.type === 'value') seen.push(e.data.element);
        };
        channel.postMessage({type: 'collect', requestId: 'probe',
                             fields: ['CARD_NUMBER', 'CARD_DATE']});
        await new Promise(resolve => setTimeout(resolve, 500));
        channel.close();
        return seen;
    }""",
        instance,
    )
    assert "CARD_DATE" in answered  # the channel works, so silence below is meaningful
    assert "CARD_NUMBER" not in answered
