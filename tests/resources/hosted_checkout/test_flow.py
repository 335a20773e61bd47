"""Hosted Checkout against the real local sandbox: session, page, webhook."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from helpers import AsyncCloverClient, CloverClient, Environment, test_card
from helpers.clover.resources.hosted_checkout import CheckoutSession, checkout_customer, line_item
from helpers.clover.webhooks import WebhookReceiver, verify_webhook
from helpers.notebook.local_controls import LocalSandbox
from helpers.notebook.shopper import pay_on_checkout_page
from tests.support import deliveries_done

SHOPPER = checkout_customer("Ada", "Lovelace", "ada@example.com", "555-555-0002")
VISA = test_card("approve", brand="VISA")


def test_hosted_checkout_from_session_to_verified_webhook(live: CloverClient, sandbox: Any) -> None:
    with WebhookReceiver() as receiver:
        controls = LocalSandbox(live)
        receiver.secret = controls.set_webhook(receiver.url, retry_base_ms=20)
        receiver.fail_next(1)
        session = live.create_checkout_session(
            [line_item("Flat white", 450, 2), line_item("Croissant", 375)],
            success_url="https://shop.example/thanks",
            failure_url="https://shop.example/oops",
            cancel_url="https://shop.example/cart",
            customer=SHOPPER,
        )
        assert isinstance(session, CheckoutSession)
        assert live.checkout_page_url(session) == session.href
        result = pay_on_checkout_page(session.href, VISA.card(address_zip="94085"))
        assert (result.status, result.redirect) == (303, "https://shop.example/thanks")
        [event] = receiver.wait_for(1)
        with httpx.Client(base_url=sandbox.url) as http:
            deliveries_done(http, receiver.url)  # the receiver answers before the log has it
    assert event.data == session.checkoutSessionId and event.status == "APPROVED"
    assert live.get_charge(event.id).amount == 1275
    attempts = controls.webhook_deliveries()
    assert attempts["response_status"].tolist() == [503, 200]
    assert attempts["delivered"].tolist() == [False, True]
    assert [d.answered for d in receiver.deliveries] == [503, 200]
    captured = receiver.deliveries[-1]
    assert verify_webhook(captured.body, captured.signature, receiver.secret)["id"] == event.id


def test_the_shopper_sees_card_errors_and_can_cancel(live: CloverClient) -> None:
    session = live.create_checkout_session(
        [line_item("Tea", 300)], customer=SHOPPER, cancel_url="https://shop.example/cart"
    )
    wrong = pay_on_checkout_page(session.href, VISA.card(cvv="1"))
    assert wrong.status == 422 and wrong.redirect is None
    assert wrong.message and "security code" in wrong.message
    canceled = pay_on_checkout_page(session.href, button="cancel")
    assert canceled.redirect == "https://shop.example/cart"
    closed = pay_on_checkout_page(session.href, VISA.card())
    assert closed.status == 303 and closed.redirect == "https://shop.example/cart"


def test_the_page_url_follows_the_browser_address_of_a_local_sandbox(sandbox: Any) -> None:
    environment = Environment.local(sandbox.url, browser_url="https://hub.example/proxy/8765")
    client = CloverClient(environment, "k", merchant_id="PNWDC0FFEE001")
    session = {"href": f"{sandbox.url}/checkout/abc"}
    assert client.checkout_page_url(session) == "https://hub.example/proxy/8765/checkout/abc"
    assert client.checkout_page_url({"href": "https://other.example/x"}) == (
        "https://other.example/x"
    )


def test_hosted_checkout_needs_a_merchant_id(sandbox: Any) -> None:
    client = CloverClient(Environment.local(sandbox.url), "k")
    with pytest.raises(ValueError, match="merchant id"):
        client.create_checkout_session([line_item("Tea", 300)], customer=SHOPPER)


def test_session_lifetime_control_and_an_expired_page(live: CloverClient) -> None:
    controls = LocalSandbox(live)
    assert controls.checkout_session_lifetime() == 900
    assert controls.checkout_session_lifetime(0) == 0
    session = live.create_checkout_session([line_item("Tea", 300)], customer=SHOPPER)
    expired = pay_on_checkout_page(session.href, VISA.card())
    assert (expired.status, expired.message) == (410, "Checkout expired")
    with pytest.raises(ValueError, match="session_lifetime_s"):
        controls.checkout_session_lifetime(-1)
    assert controls.set_webhook(None)  # no URL: results are recorded, not sent


def test_the_async_client_opens_a_session_the_shopper_pays(live: CloverClient) -> None:
    async def open_session() -> CheckoutSession:
        async with AsyncCloverClient.from_client(live) as client:
            return await client.create_checkout_session(
                [line_item("Cortado", 400)],
                customer=SHOPPER,
                success_url="https://shop.example/thanks",
            )

    session = asyncio.run(open_session())
    result = pay_on_checkout_page(live.checkout_page_url(session), VISA.card())
    assert (result.status, result.redirect) == (303, "https://shop.example/thanks")
