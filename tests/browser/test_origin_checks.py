"""postMessage trust, both ways, with the merchant page on its own origin.

The merchant page (one port) embeds the card iframes from the sandbox (another port) and
a third-party frame (a third port). The third party knows the whole protocol, even the
checkout's instance id, and still cannot read, command or impersonate the card fields.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .cardform import VISA, field, fill_card, merchant_page_url

pytestmark = pytest.mark.browser

FORGE_FROM_THIRD_PARTY = """
([instance]) => {
  const base = {ns: 'clover-sandbox', v: 1, instance};
  // Pretend to be a card field speaking to the merchant page.
  parent.postMessage({...base, element: 'CARD_NUMBER', type: 'change',
                      state: {touched: true, error: 'FORGED'}}, '*');
  parent.postMessage({...base, element: 'CARD_NUMBER', type: 'tokenResult',
                      requestId: 'forged', result: {token: 'clv_FORGED'}}, '*');
  // Pretend to be the merchant page commanding the card fields.
  for (let i = 0; i < parent.frames.length; i++) {
    const target = parent.frames[i];
    target.postMessage({...base, type: 'tokenize', requestId: 'forged',
                        fields: ['CARD_NUMBER', 'CARD_DATE', 'CARD_CVV', 'CARD_POSTAL_CODE']}, '*');
    target.postMessage({...base, type: 'clear'}, '*');
    target.postMessage({...base, type: 'configure',
                        styles: {input: {color: 'rgb(255, 0, 0)'}}}, '*');
  }
  return parent.frames.length;
}
"""


def _instance_of(page: Any) -> str:
    src = page.get_attribute('iframe[data-clover-element="CARD_NUMBER"]', "src")
    return re.search(r"instance=([0-9a-f]{32})", src).group(1)


def test_third_party_frame_can_neither_command_nor_impersonate_the_fields(
    page: Any,
    sandbox: Any,
    merchant: dict[str, str],
    merchant_site: Any,
    hostile_site: Any,
    token_requests: list[str],
) -> None:
    url = merchant_page_url(
        merchant_site.url,
        f"{sandbox.url}/sdk.js",
        merchant,
        hostile=f"{hostile_site.url}/pages/hostile.html",
    )
    page.goto(url)
    fill_card(page, *VISA)
    expect(field(page, "CARD_NUMBER")).to_have_value("4242 4242 4242 4242")

    third_party = page.frame(url=re.compile(r"/pages/hostile\.html$"))
    assert third_party is not None
    frames = third_party.evaluate(FORGE_FROM_THIRD_PARTY, [_instance_of(page)])
    assert frames == 5  # four card fields and the third-party frame itself
    page.wait_for_timeout(500)

    # The fields ignored every command: nothing cleared, restyled or tokenized.
    expect(field(page, "CARD_NUMBER")).to_have_value("4242 4242 4242 4242")
    expect(field(page, "CARD_CVV")).to_have_value("123")
    color = field(page, "CARD_NUMBER").evaluate("el => getComputedStyle(el).color")
    assert color != "rgb(255, 0, 0)"
    assert token_requests == []
    # The page ignored the impostor: no forged state, no forged token.
    changes = page.evaluate("JSON.stringify(window.changeEvents)")
    assert "FORGED" not in changes
    assert page.evaluate("window.tokenResults") == []

    # The genuine path still works afterwards.
    page.click("#pay")
    expect(page.locator("#result")).to_contain_text("token clv_")
    result = page.evaluate("window.tokenResults[0]")
    assert result["token"].startswith("clv_") and result["token"] != "clv_FORGED"
    assert result["card"]["last4"] == "4242"
    assert "number" not in result["card"] and "cvv" not in result["card"]
    assert token_requests == [f"{sandbox.url}/v1/tokens"]


def test_merchant_page_cannot_read_the_card_fields(
    page: Any,
    sandbox: Any,
    merchant: dict[str, str],
    merchant_site: Any,
) -> None:
    page.goto(merchant_page_url(merchant_site.url, f"{sandbox.url}/sdk.js", merchant))
    fill_card(page, *VISA)
    expect(field(page, "CARD_NUMBER")).to_have_value("4242 4242 4242 4242")
    # Script on the merchant's page is blocked by the same-origin policy.
    blocked = page.evaluate(
        """() => {
          const frame = document.querySelector('iframe[data-clover-element="CARD_NUMBER"]');
          try { return frame.contentWindow.document.querySelector('input').value; }
          catch (err) { return err.name; }
        }"""
    )
    assert blocked == "SecurityError"
    assert "42424242" not in page.content().replace(" ", "")
    states = page.evaluate("JSON.stringify(window.changeEvents)")
    assert "4242" not in states
    assert '"brand":"VISA"' in states


def test_widget_refuses_to_run_for_a_page_it_was_not_told_about(
    page: Any,
    sandbox: Any,
    merchant: dict[str, str],
    merchant_site: Any,
    hostile_site: Any,
) -> None:
    """A third party that frames widget.html while naming the merchant's origin gets nothing."""
    page.goto(f"{hostile_site.url}/pages/hostile.html")
    src = (
        f"{sandbox.url}/widget.html?element=CARD_NUMBER"
        f"&apiKey={merchant['api_access_key']}&instance={'a' * 32}"
        f"&parentOrigin={merchant_site.url}"
    )
    page.evaluate(
        "src => { const f = document.createElement('iframe'); f.src = src;"
        " document.body.appendChild(f); }",
        src,
    )
    inside = page.frame_locator("iframe")
    expect(inside.locator(".fatal")).to_contain_text("embedded by an unexpected page")
    expect(inside.locator("input")).to_have_count(0)


def test_widget_opened_on_its_own_shows_no_field(
    page: Any,
    sandbox: Any,
    merchant: dict[str, str],
) -> None:
    page.goto(
        f"{sandbox.url}/widget.html?element=CARD_NUMBER&apiKey=x&instance={'b' * 32}"
        f"&parentOrigin={sandbox.url}"
    )
    expect(page.locator(".fatal")).to_contain_text("only inside a checkout page")
    expect(page.locator("input")).to_have_count(0)


def test_sdk_works_behind_a_path_prefix(
    page: Any,
    sandbox: Any,
    merchant: dict[str, str],
    merchant_site: Any,
    token_requests: list[str],
) -> None:
    """As behind a Jupyter server proxy: sdk.js, iframes and /v1/tokens all keep the prefix."""
    prefix = f"{merchant_site.url}/proxy/sandbox/"
    page.goto(merchant_page_url(merchant_site.url, prefix + "sdk.js", merchant))
    fill_card(page, *VISA)
    page.click("#pay")
    expect(page.locator("#result")).to_contain_text("token clv_")
    src = page.get_attribute('iframe[data-clover-element="CARD_DATE"]', "src")
    assert src.startswith(prefix + "widget.html?")
    assert token_requests == [prefix + "v1/tokens"]
