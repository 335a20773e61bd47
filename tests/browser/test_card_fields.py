"""What the shopper sees inside the card iframes: formatting, brands, checks, styles."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from .cardform import VISA, field, fill_card, merchant_page_url

pytestmark = pytest.mark.browser

LAST_STATE = (
    "type => { const all = window.changeEvents.filter(s => s[type]);"
    " return all.length ? all[all.length - 1][type] : null; }"
)


def _last_state(page: Any, element: str) -> dict[str, Any] | None:
    return page.evaluate(LAST_STATE, element)


def _wait_for_state(page: Any, element: str, key: str, value: Any) -> None:
    page.wait_for_function(
        "([type, key, value]) => window.changeEvents.some(s => s[type] && s[type][key] === value)",
        arg=[element, key, value],
    )


@pytest.fixture
def merchant_page(page: Any, sandbox: Any, merchant: dict[str, str], merchant_site: Any) -> Any:
    page.goto(merchant_page_url(merchant_site.url, f"{sandbox.url}/sdk.js", merchant))
    expect(field(page, "CARD_CVV")).to_be_editable()
    return page


@pytest.mark.parametrize(
    ("typed", "shown", "brand"),
    [
        ("4242424242424242", "4242 4242 4242 4242", "VISA"),
        ("378282246310005", "3782 822463 10005", "AMEX"),
        ("30569309025904", "3056 930902 5904", "DINERS_CLUB"),
        ("6011361000006668", "6011 3610 0000 6668", "DISCOVER"),
        ("3566002020360505", "3566 0020 2036 0505", "JCB"),
        ("5204245250003294", "5204 2452 5000 3294", "MC"),
        ("39000000000005", "3900 000000 0005", "DINERS_CLUB"),  # as the tokenizer takes them
        ("30950000000000", "3095 000000 0000", "DINERS_CLUB"),
    ],
)
def test_number_is_grouped_and_its_brand_reported(
    merchant_page: Any,
    typed: str,
    shown: str,
    brand: str,
) -> None:
    field(merchant_page, "CARD_NUMBER").press_sequentially(typed)
    expect(field(merchant_page, "CARD_NUMBER")).to_have_value(shown)
    _wait_for_state(merchant_page, "CARD_NUMBER", "brand", brand)
    state = _last_state(merchant_page, "CARD_NUMBER")
    assert "error" not in state
    assert typed not in json.dumps(merchant_page.evaluate("window.changeEvents"))


def test_amex_takes_a_four_digit_cvv_and_tokenizes(merchant_page: Any) -> None:
    fill_card(merchant_page, "378282246310005", "0931", "1234", "K1A 0B1")
    expect(field(merchant_page, "CARD_DATE")).to_have_value("09 / 31")
    expect(field(merchant_page, "CARD_CVV")).to_have_value("1234")
    merchant_page.click("#pay")
    expect(merchant_page.locator("#result")).to_contain_text("token clv_")
    card = merchant_page.evaluate("window.tokenResults[0].card")
    assert card["brand"] == "AMEX"
    assert card["last4"] == "0005"
    assert card["exp_month"] == "09"
    assert card["exp_year"] == "2031"


def test_visa_cvv_is_cut_to_three_digits(merchant_page: Any) -> None:
    field(merchant_page, "CARD_NUMBER").fill("4242424242424242")
    _wait_for_state(merchant_page, "CARD_NUMBER", "brand", "VISA")
    field(merchant_page, "CARD_CVV").press_sequentially("1234")
    expect(field(merchant_page, "CARD_CVV")).to_have_value("123")


def test_expiry_checks(merchant_page: Any) -> None:
    date = field(merchant_page, "CARD_DATE")
    date.fill("13")
    _wait_for_state(merchant_page, "CARD_DATE", "error", "Card expiry date is invalid.")
    date.fill("0120")
    field(merchant_page, "CARD_CVV").focus()  # leaving the field marks it touched
    _wait_for_state(merchant_page, "CARD_DATE", "error", "Card is expired.")
    date.fill("12/2030")  # a pasted four-digit year keeps its last two digits
    expect(date).to_have_value("12 / 30")


def test_backspace_over_a_space_removes_a_digit(merchant_page: Any) -> None:
    number = field(merchant_page, "CARD_NUMBER")
    number.press_sequentially("42424")
    expect(number).to_have_value("4242 4")
    number.press("Backspace")
    number.press("Backspace")
    expect(number).to_have_value("424")


def test_only_allowed_styles_reach_the_field(
    page: Any,
    sandbox: Any,
    merchant: dict[str, str],
    merchant_site: Any,
) -> None:
    styles = {
        "input": {
            "color": "rgb(0, 0, 255)",
            "fontSize": "21px",
            "backgroundImage": "url(http://127.0.0.1:9/track.png)",
        },
        "card-number input": {"letterSpacing": "3px"},
        "card-cvv input": {"letterSpacing": "9px"},
        "body": {"position": "fixed"},
        "input { color: red } body": {"color": "rgb(255, 0, 0)"},
    }
    page.goto(
        merchant_page_url(
            merchant_site.url, f"{sandbox.url}/sdk.js", merchant, styles=json.dumps(styles)
        )
    )
    number = field(page, "CARD_NUMBER")
    expect(number).to_have_css("color", "rgb(0, 0, 255)")
    expect(number).to_have_css("font-size", "21px")
    expect(number).to_have_css("letter-spacing", "3px")
    expect(number).to_have_css("background-image", "none")
    expect(field(page, "CARD_CVV")).to_have_css("letter-spacing", "9px")
    body = page.frame_locator('iframe[data-clover-element="CARD_NUMBER"]').locator("body")
    expect(body).to_have_css("position", "static")


def test_two_presses_while_a_token_is_on_its_way_give_one_token(
    merchant_page: Any, token_requests: list[str]
) -> None:
    fill_card(merchant_page, *VISA)
    merchant_page.evaluate(
        "() => { const pay = document.getElementById('pay'); pay.click(); pay.click(); }"
    )
    merchant_page.wait_for_function("() => window.tokenResults.length === 2")
    first, second = merchant_page.evaluate("() => window.tokenResults")
    assert first["token"].startswith("clv_")
    assert first["token"] == second["token"], "a second press made a second token"
    assert len(token_requests) == 1


def test_every_mounted_field_is_in_the_first_change_event(merchant_page: Any) -> None:
    field(merchant_page, "CARD_NUMBER").press_sequentially("4")
    merchant_page.wait_for_function("() => window.changeEvents.length > 0")
    first = merchant_page.evaluate("() => window.changeEvents[0]")
    assert set(first) == {"CARD_NUMBER", "CARD_DATE", "CARD_CVV", "CARD_POSTAL_CODE"}
    assert first["CARD_DATE"] == {"touched": False}
