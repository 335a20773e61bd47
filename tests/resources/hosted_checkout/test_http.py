"""Hosted Checkout: sessions, the payment page driven over HTTP, signed webhooks, retries."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from helpers.clover.times import clover_time
from tests.support import SHOPPER, assert_error, bearer, deliveries_done

CART = {
    "lineItems": [
        {"name": "Flat white", "price": 450, "unitQty": 2},
        {"name": "Croissant", "price": 375, "note": "warm"},
    ]
}
REDIRECTS = {
    "success": "https://shop.example/paid",
    "failure": "https://shop.example/failed",
    "cancel": "https://shop.example/cart",
}
CARD = {
    "cardholder": "Ada Lovelace",
    "number": "4242 4242 4242 4242",
    "expiry": "12/34",
    "cvv": "123",
    "zip": "94085",
    "action": "pay",
}


class Hook:
    """A merchant's webhook endpoint: records what arrives, fails the first `fail` times."""

    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.calls: list[tuple[dict[str, str], bytes]] = []
        self.arrived = threading.Event()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                hook.calls.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = 503 if len(hook.calls) <= hook.fail else 200
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()
                if status == 200:
                    hook.arrived.set()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/clover"


@pytest.fixture
def hook() -> Iterator[Hook]:
    receiver = Hook()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def checkout_headers(merchant: dict[str, str]) -> dict[str, str]:
    return {**bearer(merchant), "X-Clover-Merchant-Id": merchant["merchant_id"]}


def create_session(http: httpx.Client, merchant: dict[str, str], **body: Any) -> httpx.Response:
    request = {
        "customer": SHOPPER,
        "shoppingCart": CART,
        "redirectUrls": REDIRECTS,
        **body,
    }
    request = {k: v for k, v in request.items() if v is not None}
    return http.post(
        "/invoicingcheckoutservice/v1/checkouts", headers=checkout_headers(merchant), json=request
    )


def set_webhook(http: httpx.Client, merchant: dict[str, str], url: str, **extra: Any) -> str:
    response = http.post(
        "/_sandbox/webhooks", json={"merchant": merchant["merchant_id"], "url": url, **extra}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["secret"])


def deliveries(http: httpx.Client, merchant: dict[str, str]) -> list[dict[str, Any]]:
    return http.get(
        "/_sandbox/webhooks/deliveries", params={"merchant": merchant["merchant_id"]}
    ).json()["data"]


def wait_until(test: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_session_answers_an_href_to_the_page(http, merchant):
    response = create_session(http, merchant)
    assert response.status_code == 200, response.text
    session = response.json()
    assert set(session) == {"href", "checkoutSessionId", "createdTime", "expirationTime"}
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        session["checkoutSessionId"],
    )
    base = str(http.base_url).rstrip("/")
    assert session["href"] == f"{base}/checkout/{session['checkoutSessionId']}"
    # Strings, as the answers integrators captured carry (the page says "Unix time").
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", session["createdTime"])
    lifetime = clover_time(session["expirationTime"]) - clover_time(session["createdTime"])
    assert lifetime.total_seconds() == 15 * 60
    page = http.get(session["href"])
    assert page.status_code == 200
    assert "Flat white" in page.text and "$12.75" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "autocomplete='cc-number'" in page.text


@pytest.mark.parametrize(
    ("body", "code", "param"),
    [
        ({"shoppingCart": None}, "invalid_request", "shoppingCart"),
        ({"shoppingCart": {"lineItems": []}}, "invalid_request", "shoppingCart.lineItems"),
        (
            {"shoppingCart": {"lineItems": [{"name": "X"}]}},
            "invalid_request",
            "shoppingCart.lineItems[0].price",
        ),
        (
            {"shoppingCart": {"lineItems": [{"name": "X", "price": "4.50"}]}},
            "invalid_request",
            "shoppingCart.lineItems[0].price",
        ),
        (
            {"shoppingCart": {"lineItems": [{"name": "X", "price": 0}]}},
            "invalid_request",
            "shoppingCart.lineItems",
        ),
        (
            {"shoppingCart": {"lineItems": [{"name": "X", "price": 1, "unitQty": 0}]}},
            "invalid_request",
            "shoppingCart.lineItems[0].unitQty",
        ),
        (
            {"redirectUrls": {"success": "javascript:alert(1)"}},
            "invalid_request",
            "redirectUrls.success",
        ),
        ({"redirectUrls": {"done": "https://x.example"}}, "invalid_request", "redirectUrls.done"),
        ({"customer": {**SHOPPER, "email": "nope"}}, "email_invalid", "customer.email"),
        # Clover's page lists all four of the shopper's fields as required
        # (https://docs.clover.com/docs/creating-a-hosted-checkout-session)
        ({"customer": None}, "invalid_request", "customer"),
        ({"customer": {**SHOPPER, "email": None}}, "invalid_request", "customer.email"),
        ({"customer": {**SHOPPER, "firstName": None}}, "invalid_request", "customer.firstName"),
        ({"customer": {**SHOPPER, "lastName": " "}}, "invalid_request", "customer.lastName"),
        ({"customer": {**SHOPPER, "phoneNumber": ""}}, "invalid_request", "customer.phoneNumber"),
        (
            {"customer": {**SHOPPER, "phoneNumber": 5555550002}},
            "invalid_request",
            "customer.phoneNumber",
        ),
        ({"tip": 1}, "invalid_request", "tip"),
    ],
)
def test_bad_sessions_name_the_field(http, merchant, body, code, param):
    assert_error(create_session(http, merchant, **body), 400, code, param)


def test_a_session_needs_the_merchant_header_and_the_right_merchant(http, merchant, other_merchant):
    body = {"shoppingCart": CART}
    url = "/invoicingcheckoutservice/v1/checkouts"
    assert_error(
        http.post(url, headers=bearer(merchant), json=body),
        400,
        "invalid_request",
        "x-clover-merchant-id",
    )
    wrong = {**bearer(merchant), "X-Clover-Merchant-Id": other_merchant["merchant_id"]}
    assert http.post(url, headers=wrong, json=body).status_code == 401
    assert http.post(url, json=body).status_code == 401


def test_paying_on_the_page_redirects_charges_and_signs_a_webhook(http, merchant, hook):
    secret = set_webhook(http, merchant, hook.url)
    session = create_session(http, merchant).json()
    answer = http.post(session["href"], data=CARD)
    assert answer.status_code == 303
    assert answer.headers["location"] == REDIRECTS["success"]

    assert hook.arrived.wait(10)
    headers, body = hook.calls[0]
    t, v1 = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})", headers["clover-signature"]).groups()
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(v1, expected)
    assert abs(int(t) - time.time()) < 60
    event = json.loads(body)
    assert event["type"] == "PAYMENT" and event["status"] == "APPROVED"
    assert event["merchantId"] == merchant["merchant_id"]
    assert event["data"] == session["checkoutSessionId"]
    # Clover's example message (docs: ecomm-hosted-checkout-webhook): "Approved for 100"
    assert event["message"] == "Approved for 1275"
    assert headers["content-type"] == "application/json"

    charge = http.get(f"/v1/charges/{event['id']}", headers=bearer(merchant)).json()
    assert charge["amount"] == 1275 and charge["status"] == "succeeded"
    order = http.get(f"/v1/orders/{charge['order']}", headers=bearer(merchant)).json()
    assert [(i["description"], i["quantity"]) for i in order["items"]] == [
        ("Flat white", 2),
        ("Croissant", 1),
    ]
    assert order["status"] == "paid" and order["email"] == "ada@example.com"

    again = http.post(session["href"], data=CARD)  # a double submit charges nothing more
    assert again.headers["location"] == REDIRECTS["success"]
    assert len(http.get("/v1/charges", headers=bearer(merchant)).json()["data"]) == 1
    assert http.get(session["href"]).status_code == 303


def test_a_declined_card_goes_to_the_failure_url_with_a_declined_webhook(http, merchant, hook):
    set_webhook(http, merchant, hook.url)
    session = create_session(http, merchant).json()
    answer = http.post(session["href"], data={**CARD, "number": "4005571702222222"})
    assert answer.headers["location"] == REDIRECTS["failure"]
    assert hook.arrived.wait(10)
    event = json.loads(hook.calls[0][1])
    assert event["status"] == "DECLINED"
    assert event["message"] == "Decline for 1275"  # docs: ecomm-hosted-checkout-webhook
    assert (
        http.get(f"/v1/charges/{event['id']}", headers=bearer(merchant)).json()["status"]
        == "failed"
    )


def test_cancel_goes_to_the_cancel_url_and_charges_nothing(http, merchant, hook):
    set_webhook(http, merchant, hook.url)
    session = create_session(http, merchant).json()
    answer = http.post(session["href"], data={"action": "cancel"})
    assert answer.status_code == 303 and answer.headers["location"] == REDIRECTS["cancel"]
    assert http.get("/v1/charges", headers=bearer(merchant)).json()["data"] == []
    assert hook.calls == []


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ({"number": "4242 4242 4242 4241"}, "Check the card number"),
        ({"number": "12"}, "Check the card number"),
        ({"number": "9999 9999 9999 9995"}, "takes Visa"),
        ({"expiry": "1234"}, "MM/YY"),
        ({"expiry": "01/20"}, "expired"),
        ({"cvv": "1"}, "security code"),
        ({"number": "4242424242424242\u00b2"}, "Check the card number"),
        ({"expiry": "\u00b2/30"}, "MM/YY"),
    ],
)
def test_bad_card_input_stays_on_the_page_and_never_echoes_the_card(http, merchant, change, shown):
    session = create_session(http, merchant).json()
    answer = http.post(session["href"], data={**CARD, **change})
    assert answer.status_code == 422
    assert shown in answer.text
    assert "Ada Lovelace" in answer.text  # the name is kept, the card data is not
    assert CARD["number"] not in answer.text and "4242424242424242" not in answer.text
    assert http.get("/v1/charges", headers=bearer(merchant)).json()["data"] == []
    assert http.post(session["href"], data=CARD).status_code == 303


def test_a_failing_receiver_gets_retries_until_it_answers(http, merchant):
    receiver = Hook(fail=2)
    try:
        set_webhook(http, merchant, receiver.url, retry_base_ms=20)
        session = create_session(http, merchant).json()
        http.post(session["href"], data=CARD)
        assert receiver.arrived.wait(10)
        wait_until(lambda: len(deliveries(http, merchant)) == 3)
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
    attempts = deliveries(http, merchant)
    assert [a["response_status"] for a in attempts] == [503, 503, 200]
    assert [a["attempt"] for a in attempts] == [1, 2, 3]
    assert len({a["event"] for a in attempts}) == 1
    bodies = {body for _, body in receiver.calls}
    assert len(bodies) == 1  # the same event each time, signed afresh
    assert all(a["delivered"] is (a["response_status"] == 200) for a in attempts)


def test_an_unreachable_receiver_is_tried_max_attempts_times(http, merchant):
    set_webhook(http, merchant, "http://127.0.0.1:9/hooks", retry_base_ms=1, max_attempts=3)
    session = create_session(http, merchant).json()
    http.post(session["href"], data=CARD)
    wait_until(lambda: len(deliveries(http, merchant)) == 3)
    deliveries_done(http, "http://127.0.0.1:9/hooks")
    attempts = deliveries(http, merchant)
    assert len(attempts) == 3
    assert all(a["response_status"] is None and a["error"] for a in attempts)


def test_without_a_webhook_url_the_result_is_recorded_as_undelivered(http, merchant):
    session = create_session(http, merchant).json()
    http.post(session["href"], data=CARD)
    [attempt] = deliveries(http, merchant)
    assert attempt["delivered"] is False and "no webhook URL" in attempt["error"]


def test_sessions_expire_and_the_lifetime_control_shortens_them(http, merchant):
    assert http.get("/_sandbox/checkout").json() == {"session_lifetime_s": 900}
    assert http.post("/_sandbox/checkout", json={"session_lifetime_s": 0}).status_code == 200
    session = create_session(http, merchant).json()
    assert session["expirationTime"] == session["createdTime"]
    assert http.get(session["href"]).status_code == 410
    answer = http.post(session["href"], data=CARD)
    assert answer.status_code == 410 and "expired" in answer.text
    assert http.get("/v1/charges", headers=bearer(merchant)).json()["data"] == []
    bad = http.post("/_sandbox/checkout", json={"session_lifetime_s": -1})
    assert_error(bad, 400, "invalid_request", "session_lifetime_s")
    http.post("/_sandbox/reset")
    assert http.get("/_sandbox/checkout").json() == {"session_lifetime_s": 900}


def test_moving_the_sandbox_clock_past_a_session_s_lifetime_expires_it(http, merchant):
    session = create_session(http, merchant).json()
    assert http.get(session["href"]).status_code == 200
    http.post("/_sandbox/clock", json={"advance": "PT16M"}).raise_for_status()
    assert http.get(session["href"]).status_code == 410
    assert http.get(create_session(http, merchant).json()["href"]).status_code == 200


def test_an_unknown_session_is_a_404_page(http):
    page = http.get("/checkout/00000000-0000-4000-8000-000000000000")
    assert page.status_code == 404 and "not valid" in page.text


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"url": "ftp://x"}, "url"),
        ({"merchant": "NOPE"}, "merchant"),
        ({"secret": "short"}, "secret"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"retry_base_ms": 10**9}, "retry_base_ms"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_webhook_settings_are_checked(http, merchant, body, param):
    request = {"merchant": merchant["merchant_id"], "url": "http://127.0.0.1:1/x", **body}
    response = http.post("/_sandbox/webhooks", json=request)
    assert response.status_code == 400 and response.json()["error"]["param"] == param


def test_webhook_settings_read_back_and_a_given_secret_is_used(http, merchant):
    secret = "s" * 32
    assert set_webhook(http, merchant, "http://127.0.0.1:1/x", secret=secret) == secret
    read = http.get("/_sandbox/webhooks", params={"merchant": merchant["merchant_id"]}).json()
    assert read["url"] == "http://127.0.0.1:1/x" and read["max_attempts"] == 6
    assert http.get("/_sandbox/webhooks").status_code == 400
