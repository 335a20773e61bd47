"""The client's cards on file, orders and Hosted Checkout, against the local sandbox."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from helpers import CardError, CloverClient, Environment, InvalidRequestError, test_card
from helpers.clover.resources.customers import Customer, stored_credentials
from helpers.clover.resources.hosted_checkout import CheckoutSession, line_item
from helpers.clover.resources.orders import Order, shipping, sku, tax, tax_rate
from helpers.clover.webhooks import WebhookReceiver, verify_webhook
from helpers.notebook.local_controls import LocalSandbox
from helpers.notebook.shopper import pay_on_checkout_page

VISA = test_card("approve", brand="VISA")


def test_tax_rate_is_written_as_clover_does():
    assert tax_rate("Sales", "10") == {"name": "Sales", "rate": 1_000_000}
    assert tax_rate("Sales", Decimal("8.25"))["rate"] == 825_000
    assert tax_rate("Tiny", "0.00001")["rate"] == 1
    with pytest.raises(TypeError):
        tax_rate("Sales", 8.25)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        tax_rate("Sales", "0.000001")


def test_item_builders_say_what_they_are():
    assert sku("Mug", 1250, 2)["type"] == "sku"
    assert shipping("Ground", 599) == {"type": "shipping", "description": "Ground", "amount": 599}
    assert tax("Deposit", 10)["type"] == "tax"
    with pytest.raises(TypeError):
        line_item("Latte", 4.5)  # type: ignore[arg-type]


def test_card_on_file_from_first_charge_to_revocation(live: CloverClient) -> None:
    token = live.create_token(VISA.card())
    first = live.create_charge(
        1500,
        token,
        intent="save_credential_on_file",
        stored_credentials=stored_credentials("FIRST", "CARDHOLDER"),
    )
    customer = live.create_customer(token, email="ada@example.com", first_name="Ada")
    assert isinstance(customer, Customer) and customer.name == "Ada"
    [card_id] = customer.sources.data

    again = live.create_charge(
        900, customer.id, stored_credentials=stored_credentials("SUBSEQUENT", "CARDHOLDER")
    )
    assert again.customer == customer.id and again.source.id == card_id
    assert again.warning_message is None and first.warning_message is None
    monthly = live.create_charge(
        999,
        token,
        stored_credentials=stored_credentials("SUBSEQUENT", "MERCHANT", is_scheduled=True),
    )
    assert monthly.status == "succeeded"
    assert [c.amount for c in live.list_charges(customer=customer.id)] == [999, 900]

    assert live.get_customer(customer).sources.data == [card_id]
    assert live.revoke_card(customer, card_id).deleted is True
    with pytest.raises(InvalidRequestError) as caught:
        live.create_charge(900, customer.id)
    assert caught.value.code == "card_on_file_missing"


def test_a_multipay_token_from_the_client(live: CloverClient) -> None:
    token = live.create_multipay_token(VISA.card())
    for sequence in ("FIRST", "SUBSEQUENT"):
        live.create_charge(
            100, token, stored_credentials=stored_credentials(sequence, "CARDHOLDER")
        )  # type: ignore[arg-type]
    twice = live.update_customer(
        live.create_customer(token).id,
        source=live.create_token(test_card("approve", brand="AMEX").card()),
    )
    assert len(twice.sources.data) == 2


def test_an_order_paid_in_two_parts_then_returned(live: CloverClient) -> None:
    rate = tax_rate("Sales tax", "8.25")
    order = live.create_order(
        [
            sku("Mug", 1250, 2, tax_rates=[rate]),
            sku("Beans", 899, tax_rates=[rate]),
            shipping("Ground", 599),
        ],
        email="ada@example.com",
    )
    assert isinstance(order, Order) and order.amount == 4278 and order.tax_amount == 280
    part = live.pay_order(order, live.create_token(VISA.card()), amount=2000)
    assert part.status == "created" and part.amount_paid == 2000
    with pytest.raises(CardError):
        live.pay_order(order, live.create_token(test_card("decline").card()))
    paid = live.pay_order(order, live.create_token(VISA.card()))
    assert paid.status == "paid" and len(paid.past_charges) == 2
    with pytest.raises(InvalidRequestError) as caught:
        live.pay_order(order, live.create_token(VISA.card()))
    assert (caught.value.status, caught.value.code) == (409, "order_already_paid")
    back = live.return_order(order, [{"parent": paid["items"][0].parent, "quantity": 1}])
    assert back.amount_returned == 1353
    assert live.return_order(order).status == "returned"
    assert live.get_order(order).amount_returned == 4278
    assert [o.id for o in live.list_orders(status="returned")] == [order.id]
    with pytest.raises(TypeError):
        live.pay_order(order, "clv_x", amount=12.5)  # type: ignore[arg-type]


def test_hosted_checkout_from_session_to_verified_webhook(live: CloverClient) -> None:
    with WebhookReceiver() as receiver:
        controls = LocalSandbox(live)
        receiver.secret = controls.set_webhook(receiver.url, retry_base_ms=20)
        receiver.fail_next(1)
        session = live.create_checkout_session(
            [line_item("Flat white", 450, 2), line_item("Croissant", 375)],
            success_url="https://shop.example/thanks",
            failure_url="https://shop.example/oops",
            cancel_url="https://shop.example/cart",
            customer={"email": "ada@example.com"},
        )
        assert isinstance(session, CheckoutSession)
        assert live.checkout_page_url(session) == session.href
        result = pay_on_checkout_page(session.href, VISA.card(address_zip="94085"))
        assert (result.status, result.redirect) == (303, "https://shop.example/thanks")
        [event] = receiver.wait_for(1)
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
        [line_item("Tea", 300)], cancel_url="https://shop.example/cart"
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
        client.create_checkout_session([line_item("Tea", 300)])


def test_session_lifetime_control_and_an_expired_page(live: CloverClient) -> None:
    controls = LocalSandbox(live)
    assert controls.checkout_session_lifetime() == 900
    assert controls.checkout_session_lifetime(0) == 0
    session = live.create_checkout_session([line_item("Tea", 300)])
    expired = pay_on_checkout_page(session.href, VISA.card())
    assert (expired.status, expired.message) == (410, "Checkout expired")
    with pytest.raises(ValueError, match="session_lifetime_s"):
        controls.checkout_session_lifetime(-1)
    assert controls.set_webhook(None)  # no URL: results are recorded, not sent
