"""Pages written against Clover call `elements.create()` again for a type they already
created (to reach it and add listeners), and mount again after a re-render replaced the
field's container. Both work on Clover's SDK; they must work on the sandbox's `sdk.js`.
(https://docs.clover.com/docs/using-the-clover-hosted-iframe)
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .cardform import VISA, field, fill_card, merchant_page_url

pytestmark = pytest.mark.browser


@pytest.fixture
def merchant_page(page: Any, sandbox: Any, merchant: dict[str, str], merchant_site: Any) -> Any:
    page.goto(merchant_page_url(merchant_site.url, f"{sandbox.url}/sdk.js", merchant))
    expect(field(page, "CARD_CVV")).to_be_editable()
    return page


def _pay(page: Any) -> dict[str, Any]:
    page.click("#pay")
    page.wait_for_function("() => window.tokenResults.length > 0")
    return page.evaluate("() => window.tokenResults[window.tokenResults.length - 1]")


def test_create_again_gives_the_same_element_and_its_listeners_hear_the_field(
    merchant_page: Any,
) -> None:
    same = merchant_page.evaluate(
        """() => {
            window.heard = [];
            const again = window.elements.create('CARD_NUMBER', {});
            again.addEventListener('change', state => window.heard.push(state));
            return again === window.elements.getElement('CARD_NUMBER');
        }"""
    )
    assert same
    assert merchant_page.locator('iframe[data-clover-element="CARD_NUMBER"]').count() == 1
    field(merchant_page, "CARD_NUMBER").press_sequentially("4242")
    merchant_page.wait_for_function("() => window.heard.length > 0")
    fill_card(merchant_page, *VISA)
    assert _pay(merchant_page)["token"].startswith("clv_")


def test_mount_again_after_the_container_was_replaced_shows_the_field_and_tokenizes(
    merchant_page: Any,
) -> None:
    merchant_page.evaluate(
        """() => {
            for (const [type, id] of [['CARD_NUMBER', 'card-number'], ['CARD_DATE', 'card-date'],
                                      ['CARD_CVV', 'card-cvv']]) {
                const old = document.getElementById(id);
                const fresh = document.createElement('div');
                fresh.id = id;
                old.replaceWith(fresh);  // a re-render: the old iframe went with its container
                window.elements.create(type, {}).mount('#' + id);
            }
        }"""
    )
    for element in ("CARD_NUMBER", "CARD_DATE", "CARD_CVV"):
        assert merchant_page.locator(f'iframe[data-clover-element="{element}"]').count() == 1
    expect(field(merchant_page, "CARD_CVV")).to_be_editable()
    fill_card(merchant_page, *VISA)
    assert _pay(merchant_page)["token"].startswith("clv_")


def test_mount_again_into_the_same_container_keeps_one_field(merchant_page: Any) -> None:
    field(merchant_page, "CARD_NUMBER").fill(VISA[0])
    merchant_page.evaluate("() => window.elements.create('CARD_NUMBER').mount('#card-number')")
    assert merchant_page.locator('iframe[data-clover-element="CARD_NUMBER"]').count() == 1
    expect(field(merchant_page, "CARD_NUMBER")).to_have_value("4242 4242 4242 4242")
