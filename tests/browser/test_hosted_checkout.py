"""Hosted Checkout in a real browser: type a card on Clover's page, land back on the shop,
and see the signed webhook arrive; and a multi-pay token from createToken(true)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from helpers.clover.webhooks import WebhookReceiver, verify_webhook
from tests.support import SHOPPER

from .cardform import VISA, bearer, fill_card, merchant_page_url

pytestmark = pytest.mark.browser

CART = {
    "lineItems": [
        {"name": "Flat white", "price": 450, "unitQty": 2},
        {"name": "Croissant", "price": 375},
    ]
}


@pytest.fixture
def receiver(http: httpx.Client, merchant: dict[str, str]) -> Iterator[WebhookReceiver]:
    """The shop's webhook endpoint, registered for the merchant with a quick retry."""
    with WebhookReceiver() as hook:
        answer = http.post(
            "/_sandbox/webhooks",
            json={"merchant": merchant["merchant_id"], "url": hook.url, "retry_base_ms": 50},
        )
        hook.secret = answer.json()["secret"]
        yield hook


def start_checkout(http: httpx.Client, merchant: dict[str, str], shop: str) -> dict[str, Any]:
    response = http.post(
        "/invoicingcheckoutservice/v1/checkouts",
        headers={**bearer(merchant), "X-Clover-Merchant-Id": merchant["merchant_id"]},
        json={
            "customer": SHOPPER,
            "shoppingCart": CART,
            "redirectUrls": {
                "success": f"{shop}/shop/thanks",
                "failure": f"{shop}/shop/failed",
                "cancel": f"{shop}/shop/cart",
            },
        },
    )
    assert response.status_code == 200, response.text
    session: dict[str, Any] = response.json()
    return session


def type_card(page: Any, number: str, expiry: str = "12/34", cvv: str = "123") -> None:
    page.get_by_label("Name on card").fill("Ada Lovelace")
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry (MM/YY)").fill(expiry)
    page.get_by_label("CVV").fill(cvv)
    page.get_by_label("ZIP / postal code").fill("94085")


def test_pay_on_the_page_back_to_the_shop_and_a_signed_webhook(
    page: Any,
    http: httpx.Client,
    merchant: dict[str, str],
    merchant_site: Any,
    receiver: WebhookReceiver,
) -> None:
    session = start_checkout(http, merchant, merchant_site.url)
    receiver.fail_next(1)  # the shop is down for the first delivery: Clover retries
    page.goto(session["href"])
    expect(page.locator("h1")).to_have_text("Pinewood Coffee (demo)")
    expect(page.get_by_role("table")).to_contain_text("Flat white")
    expect(page.get_by_role("table")).to_contain_text("$12.75")
    type_card(page, "4242 4242 4242 4242")
    page.get_by_role("button", name="Pay $12.75").click()
    page.wait_for_url(f"{merchant_site.url}/shop/thanks")

    [event] = receiver.wait_for(1)
    assert event.status == "APPROVED" and event.data == session["checkoutSessionId"]
    assert [d.answered for d in receiver.deliveries] == [503, 200]
    delivered = receiver.deliveries[-1]
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64}", delivered.signature or "")
    assert verify_webhook(delivered.body, delivered.signature, receiver.secret)["id"] == event.id
    charge = http.get(f"/v1/charges/{event.id}", headers=bearer(merchant)).json()
    assert charge["amount"] == 1275 and charge["source"]["last4"] == "4242"

    page.goto(session["href"])  # the session is closed: back to the shop, no second charge
    page.wait_for_url(f"{merchant_site.url}/shop/thanks")
    assert len(http.get("/v1/charges", headers=bearer(merchant)).json()["data"]) == 1


def test_a_declined_card_lands_on_the_failure_url(
    page: Any,
    http: httpx.Client,
    merchant: dict[str, str],
    merchant_site: Any,
    receiver: WebhookReceiver,
) -> None:
    session = start_checkout(http, merchant, merchant_site.url)
    page.goto(session["href"])
    type_card(page, "4005 5717 0222 2222")
    page.get_by_role("button", name="Pay $12.75").click()
    page.wait_for_url(f"{merchant_site.url}/shop/failed")
    assert receiver.wait_for(1)[0].status == "DECLINED"


def test_a_typo_keeps_the_shopper_on_the_page_without_echoing_the_card(
    page: Any,
    http: httpx.Client,
    merchant: dict[str, str],
    merchant_site: Any,
) -> None:
    session = start_checkout(http, merchant, merchant_site.url)
    page.goto(session["href"])
    type_card(page, "4242 4242 4242 4241")
    page.get_by_role("button", name="Pay $12.75").click()
    expect(page.get_by_role("alert")).to_have_text("Check the card number.")
    expect(page.get_by_label("Card number")).to_have_value("")
    expect(page.get_by_label("Name on card")).to_have_value("Ada Lovelace")
    assert "4242" not in page.content()
    type_card(page, "4242424242424242")
    page.get_by_role("button", name="Pay $12.75").click()
    page.wait_for_url(f"{merchant_site.url}/shop/thanks")


def test_cancel_goes_back_to_the_cart(
    page: Any,
    http: httpx.Client,
    merchant: dict[str, str],
    merchant_site: Any,
) -> None:
    session = start_checkout(http, merchant, merchant_site.url)
    page.goto(session["href"])
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_url(f"{merchant_site.url}/shop/cart")
    assert http.get("/v1/charges", headers=bearer(merchant)).json()["data"] == []


def test_the_page_runs_no_script(
    page: Any,
    http: httpx.Client,
    merchant: dict[str, str],
    merchant_site: Any,
) -> None:
    session = start_checkout(http, merchant, merchant_site.url)
    response = page.goto(session["href"])
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert page.locator("script").count() == 0


def test_create_token_true_gives_a_multipay_token(
    page: Any,
    sandbox: Any,
    http: httpx.Client,
    merchant: dict[str, str],
    merchant_site: Any,
) -> None:
    page.goto(merchant_page_url(merchant_site.url, f"{sandbox.url}/sdk.js", merchant, multipay="1"))
    fill_card(page, *VISA)
    page.click("#pay")
    expect(page.locator("#result")).to_contain_text("token clv_")
    token = page.evaluate("window.tokenResults[0].token")
    for sequence in ("FIRST", "SUBSEQUENT"):
        response = http.post(
            "/v1/charges",
            headers={
                **bearer(merchant),
                "idempotency-key": sequence,
                "x-forwarded-for": "203.0.113.9",
            },
            json={
                "amount": 500,
                "currency": "usd",
                "source": token,
                "stored_credentials": {"sequence": sequence, "initiator": "CARDHOLDER"},
            },
        )
        assert response.status_code == 200, response.text


def test_create_token_without_true_stays_single_use(
    page: Any,
    sandbox: Any,
    http: httpx.Client,
    merchant: dict[str, str],
    merchant_site: Any,
) -> None:
    page.goto(merchant_page_url(merchant_site.url, f"{sandbox.url}/sdk.js", merchant))
    fill_card(page, *VISA)
    page.click("#pay")
    expect(page.locator("#result")).to_contain_text("token clv_")
    token = page.evaluate("window.tokenResults[0].token")
    statuses = [
        http.post(
            "/v1/charges",
            headers={**bearer(merchant), "idempotency-key": key, "x-forwarded-for": "203.0.113.9"},
            json={"amount": 500, "currency": "usd", "source": token},
        ).status_code
        for key in ("one", "two")
    ]
    assert statuses == [200, 400]
