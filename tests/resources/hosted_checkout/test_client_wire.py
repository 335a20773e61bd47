"""Hosted Checkout sessions on the wire, for the sync and the async client alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpers import (
    AuthenticationError,
    CheckoutSession,
    Environment,
    checkout_customer,
    line_item,
)
from helpers.clover.times import clover_time, clover_time_ms
from tests.client.conftest import PRIVATE_KEY

from ..conftest import HOSTED_CHECKOUT, MERCHANT_ID, Wire

SESSION = {
    "href": f"{HOSTED_CHECKOUT}/checkout/SESSION1",
    "checkoutSessionId": "SESSION1",
    "createdTime": "2025-07-04T23:42:25.575+0000",  # strings, as captured answers carry
    "expirationTime": "2025-07-04T23:57:25.541+0000",
}
PATH = "/invoicingcheckoutservice/v1/checkouts"
SHOPPER = checkout_customer("Ada", "Lovelace", "ada@example.com", "555-555-0002")


def test_a_session_names_the_merchant_and_carries_the_cart(wire: Wire) -> None:
    wire.answer(SESSION)
    session = wire.call(
        "create_checkout_session",
        [line_item("Latte", 450, 2, note="oat milk")],
        success_url="https://shop.example/thanks",
        cancel_url="https://shop.example/cart",
        customer=SHOPPER,
    )
    request = wire.last
    assert (request.method, str(request.url)) == ("POST", f"{HOSTED_CHECKOUT}{PATH}")
    assert request.headers["authorization"] == f"Bearer {PRIVATE_KEY}"
    assert request.headers["x-clover-merchant-id"] == MERCHANT_ID
    assert "idempotency-key" in request.headers
    assert wire.last_json() == {
        "shoppingCart": {
            "lineItems": [{"name": "Latte", "price": 450, "unitQty": 2, "note": "oat milk"}]
        },
        "customer": SHOPPER,
        "redirectUrls": {
            "success": "https://shop.example/thanks",
            "cancel": "https://shop.example/cart",
        },
    }
    assert isinstance(session, CheckoutSession) and session.checkoutSessionId == "SESSION1"


@pytest.mark.parametrize(
    ("created", "expires"),
    [
        ("2025-07-04T23:42:25.575+0000", "2025-07-04T23:57:25.541+0000"),
        ("2025-07-04@23:42:25.575+0000", "2025-07-04@23:57:25.541+0000"),  # older samples
        (1_751_672_545_575, 1_751_673_445_541),  # what the page's "Unix time" would be
    ],
)
def test_a_sessions_times_read_as_datetimes_whichever_form_clover_wrote(
    created: object, expires: object
) -> None:
    """Clover's page says "Unix time"; captured answers carry strings: both read alike."""
    session = CheckoutSession({"createdTime": created, "expirationTime": expires})
    assert session.created == datetime(2025, 7, 4, 23, 42, 25, 575000, tzinfo=UTC)
    assert (session.expires - session.created).total_seconds() == pytest.approx(900, abs=0.1)
    assert clover_time_ms(created) == 1_751_672_545_575  # type: ignore[arg-type]


def test_a_time_that_is_not_clovers_names_the_form_it_wants() -> None:
    with pytest.raises(ValueError, match=r"2025-07-04T23:42:25\.575\+0000"):
        clover_time("next tuesday")


def test_no_redirects_means_no_redirect_urls(wire: Wire) -> None:
    wire.answer(SESSION)
    wire.call(
        "create_checkout_session",
        [line_item("Latte", 450)],
        customer=SHOPPER,
        idempotency_key="k-1",
    )
    assert wire.last_json() == {
        "customer": SHOPPER,
        "shoppingCart": {"lineItems": [{"name": "Latte", "price": 450, "unitQty": 1}]},
    }
    assert wire.last.headers["idempotency-key"] == "k-1"


def test_without_a_merchant_id_nothing_is_sent(wire_mode: str) -> None:
    wire = Wire(wire_mode, merchant_id=None)
    with pytest.raises(ValueError, match="Hosted Checkout needs the merchant id"):
        wire.call("create_checkout_session", [line_item("Latte", 450)], customer=SHOPPER)
    assert wire.requests == []


@pytest.mark.parametrize("blank", ["firstName", "lastName", "email", "phoneNumber"])
def test_checkout_customer_takes_the_four_fields_clover_requires(blank: str) -> None:
    """creating-a-hosted-checkout-session: all four of the shopper's fields are required."""
    assert set(SHOPPER) == {"firstName", "lastName", "email", "phoneNumber"}
    args = {"firstName": "Ada", "lastName": "Lovelace", "email": "a@b.example"}
    args |= {"phoneNumber": "555-555-0002", blank: " "}
    with pytest.raises(ValueError, match=blank):
        checkout_customer(*args.values())


def test_a_refused_key_is_an_authentication_error(wire: Wire) -> None:
    wire.answer({"message": "401 Unauthorized"}, 401)
    with pytest.raises(AuthenticationError) as caught:
        wire.call("create_checkout_session", [line_item("Latte", 450)], customer=SHOPPER)
    assert caught.value.status == 401


def test_line_items_take_int_cents() -> None:
    with pytest.raises(TypeError, match=r"price is an int number of cents \(450 for \$4.50\)"):
        line_item("Latte", 4.5)  # type: ignore[arg-type]


def test_the_page_url_is_the_href_except_behind_a_proxy(wire_mode: str) -> None:
    wire = Wire(wire_mode)
    assert wire.call("checkout_page_url", SESSION) == SESSION["href"]
    local = Environment.local("http://127.0.0.1:8765", browser_url="https://hub.example/proxy/8765")
    from helpers import CloverClient

    with CloverClient(local, PRIVATE_KEY) as client:
        href = "http://127.0.0.1:8765/checkout/SESSION1"
        assert (
            client.checkout_page_url({"href": href})
            == "https://hub.example/proxy/8765/checkout/SESSION1"
        )
