"""Hosted Checkout on the local sandbox: the session made on the server, the order paid
only by a verified webhook, deliveries deduplicated by event id (a retry after the shop
was down, and a replay of recorded deliveries), and reconciliation."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpers import CloverClient, sign_webhook
from helpers.sandbox import Sandbox
from shop import Settings, create_app
from shop.db import opened
from shop.hosted import receive_webhook
from tests.support import SHOPPER

from .conftest import ADMIN
from .relay import relay
from .sandbox import charges_of
from .server import serving
from .shopper import Shopper

WEBHOOK_SECRET = "shop-webhook-secret-" + "0" * 16


def sign(body: bytes, secret: str = WEBHOOK_SECRET) -> str:
    return sign_webhook(body, secret)


@pytest.fixture
def hosted_settings(tmp_path: Path) -> Settings:
    return Settings(
        database=str(tmp_path / "shop.sqlite3"),
        secret_key="hosted-test-secret",
        admin_password=ADMIN[1],
        webhook_secret=WEBHOOK_SECRET,
    )


@pytest.fixture
def hosted_app(hosted_settings: Settings, shop_client: CloverClient) -> Any:
    return create_app(hosted_settings, client=shop_client)


@pytest.fixture
def webhooks_to_shop(hosted_app: Any, sandbox: Sandbox, merchant: dict[str, str]) -> Iterator[str]:
    """The sandbox delivers this merchant's webhooks to the shop, served on loopback."""
    with serving(hosted_app) as url:
        httpx.post(
            f"{sandbox.url}/_sandbox/webhooks",
            json={
                "merchant": merchant["merchant_id"],
                "url": f"{url}/webhooks/clover",
                "secret": WEBHOOK_SECRET,
            },
        ).raise_for_status()
        yield url


def _open(shopper: Shopper, order_id: str) -> str:
    """Press "pay on Clover's page"; the session id, from the link the shop offers."""
    csrf = shopper.csrf(f"/orders/{order_id}")
    page = shopper.http.post(f"/orders/{order_id}/hosted", data={"csrf_token": csrf, **SHOPPER})
    assert page.status_code == 200, page.text
    link = re.search(r'id="hosted-link"[^>]*href="([^"]+)"', page.text)
    assert link, page.text
    return link[1]


def _pay_on_clover(link: str, number: str = "4242424242424242") -> httpx.Response:
    form = {"number": number, "expiry": "12/30", "cvv": "123", "zip": "10001"}
    return httpx.post(link, data=form)


def _status(database: str, order_id: str) -> str:
    with opened(database) as connection:
        return str(
            connection.execute("SELECT status FROM orders WHERE id = ?", (order_id,)).fetchone()[0]
        )


def _wait_for(database: str, order_id: str, status: str) -> None:
    import time

    deadline = time.monotonic() + 10
    while _status(database, order_id) != status:
        assert time.monotonic() < deadline, f"order {order_id} never became {status}"
        time.sleep(0.05)


def test_the_webhook_pays_the_order_not_the_redirect(
    hosted_app: Any,
    hosted_settings: Settings,
    webhooks_to_shop: str,
    sandbox: Sandbox,
    merchant: dict[str, str],
) -> None:
    shopper = Shopper(hosted_app)
    order_id = shopper.buy()
    # Coming back to the success URL before paying proves nothing:
    back = shopper.http.get(f"/orders/{order_id}?from=clover")
    assert "waiting for Clover to confirm" in back.text
    # ... and the page refreshes itself (no script: a meta refresh) until the webhook lands
    again = f"http://testserver/orders/{order_id}?from=clover&amp;tries=1"
    assert f'<meta http-equiv="refresh" content="2;url={again}">' in back.text
    last = shopper.http.get(f"/orders/{order_id}?from=clover&tries=29")
    assert 'http-equiv="refresh"' not in last.text and ">Refresh</a>" in last.text
    assert _status(hosted_settings.database, order_id) == "pending"
    link = _open(shopper, order_id)
    paid = _pay_on_clover(link)
    assert paid.status_code == 303  # Clover sends the shopper back to the shop
    assert paid.headers["location"].endswith(f"/orders/{order_id}?from=clover")
    _wait_for(hosted_settings.database, order_id, "paid")
    receipt = shopper.http.get(f"/orders/{order_id}?from=clover&tries=3")
    assert "Paid, thank you." in receipt.text and 'http-equiv="refresh"' not in receipt.text
    (charge,) = charges_of_amount(sandbox, merchant, 2400)
    with opened(hosted_settings.database) as connection:
        (charge_id,) = connection.execute(
            "SELECT charge_id FROM orders WHERE id = ?", (order_id,)
        ).fetchone()
    assert charge_id == charge["id"]


def charges_of_amount(sandbox: Sandbox, merchant: dict[str, str], amount: int) -> list[Any]:
    answer = httpx.get(
        f"{sandbox.url}/v1/charges",
        params={"limit": 100},
        headers={"authorization": f"Bearer {merchant['private_key']}"},
    )
    return [c for c in answer.json()["data"] if c["amount"] == amount]


def _session_of(database: str, order_id: str) -> str:
    with opened(database) as connection:
        return str(
            connection.execute(
                "SELECT session_id FROM hosted_sessions WHERE order_id = ?", (order_id,)
            ).fetchone()[0]
        )


def test_a_delivery_repeated_is_applied_once_and_forgeries_are_refused(
    hosted_app: Any, hosted_settings: Settings
) -> None:
    shopper = Shopper(hosted_app)
    order_id = shopper.buy()
    _open(shopper, order_id)
    session_id = _session_of(hosted_settings.database, order_id)
    event = (
        '{"type": "PAYMENT", "status": "APPROVED", "id": "CHG0000000001", '
        f'"merchantId": "M", "data": "{session_id}", "message": "ok", "created": 1}}'
    ).encode()
    forged = shopper.http.post(
        "/webhooks/clover",
        content=event,
        headers={"clover-signature": sign(event, "another-secret-" + secrets.token_hex(8))},
    )
    assert forged.status_code == 400
    assert _status(hosted_settings.database, order_id) == "pending"
    first = shopper.http.post(
        "/webhooks/clover", content=event, headers={"clover-signature": sign(event)}
    )
    again = shopper.http.post(
        "/webhooks/clover", content=event, headers={"clover-signature": sign(event)}
    )
    assert (first.status_code, first.text) == (200, "paid")
    assert again.status_code == 200 and again.text.startswith("duplicate")
    with opened(hosted_settings.database) as connection:
        rows = connection.execute("SELECT event_id, result FROM webhook_events").fetchall()
    assert [tuple(r) for r in rows] == [("CHG0000000001", "paid")]


def test_an_approval_for_an_order_already_paid_otherwise_is_flagged(
    hosted_settings: Settings, hosted_app: Any
) -> None:
    shopper = Shopper(hosted_app)
    order_id = shopper.buy()
    _open(shopper, order_id)
    session_id = _session_of(hosted_settings.database, order_id)
    for charge_id in ("CHGFIRST00001", "CHGSECOND0001"):
        body = (
            '{"type": "PAYMENT", "status": "APPROVED", '
            f'"id": "{charge_id}", "data": "{session_id}"}}'
        ).encode()
        status, text = receive_webhook(hosted_settings.database, body, sign(body), WEBHOOK_SECRET)
    assert status == 200 and text.startswith("PAID TWICE") and "refund CHGSECOND0001" in text


def test_an_order_whose_webhook_never_came_is_reconciled(
    hosted_app: Any, hosted_settings: Settings, sandbox: Sandbox, merchant: dict[str, str]
) -> None:
    """No webhook URL is set, so Clover's message never arrives; the admin reconciles."""
    shopper = Shopper(hosted_app)
    order_id = shopper.buy("TEE-01", 3)
    link = _open(shopper, order_id)
    assert _pay_on_clover(link).status_code == 303
    assert _status(hosted_settings.database, order_id) == "pending"
    admin = shopper.http.get("/admin", auth=ADMIN).text
    row = admin[admin.index(f'data-order="{order_id}"') :].split("</tr>")[0]
    assert "Hosted Checkout" in row and "Reconcile with Clover" in row
    csrf = shopper.csrf()
    page = shopper.http.post(
        f"/admin/orders/{order_id}/reconcile", data={"csrf_token": csrf}, auth=ADMIN
    )
    assert "reconciled" in page.text
    assert f'href="http://testserver/admin#{order_id}" id="back"' in page.text
    assert _status(hosted_settings.database, order_id) == "paid"
    again = shopper.http.post(
        f"/admin/orders/{order_id}/reconcile", data={"csrf_token": csrf}, auth=ADMIN
    )
    assert "nothing to do" in again.text
    assert len(charges_of(sandbox, merchant, order_id)) == 0  # Clover's page made its own


def test_no_hosted_checkout_while_a_card_payment_is_unconfirmed(
    database: str, fake: Any, fake_client: CloverClient
) -> None:
    from shop import payments
    from shop.hosted import open_session

    from .conftest import new_order

    order = new_order(database)
    fake.next = ["drop"]
    lost = payments.pay(database, fake_client, order.id, "clv_1TSTapprove00000000", "203.0.113.9")
    assert lost.outcome is payments.Outcome.UNKNOWN
    result = open_session(database, fake_client, order.id, "http://shop.test/back", SHOPPER)
    assert not result.ok and "still being confirmed" in result.message
    assert [r.url.path for r in fake.requests] == ["/v1/charges"]


def test_a_retried_delivery_pays_once_and_a_replay_changes_nothing(
    hosted_app: Any, hosted_settings: Settings, sandbox: Sandbox, merchant: dict[str, str]
) -> None:
    controls = f"{sandbox.url}/_sandbox/webhooks"
    with serving(hosted_app) as shop_url, relay(f"{shop_url}/webhooks/clover", 1) as hop:
        httpx.post(
            controls,
            json={
                "merchant": merchant["merchant_id"],
                "url": hop.url,
                "secret": WEBHOOK_SECRET,
                "retry_base_ms": 50,
            },
        ).raise_for_status()
        try:
            shopper = Shopper(hosted_app)
            order_id = shopper.buy("STK-01", 7)  # $31.50: an amount no other test pays
            _pay_on_clover(_open(shopper, order_id))
            _wait_for(hosted_settings.database, order_id, "paid")
            with opened(hosted_settings.database) as connection:
                (charge_id,) = connection.execute(
                    "SELECT charge_id FROM orders WHERE id = ?", (order_id,)
                ).fetchone()
            tried = httpx.get(
                f"{controls}/deliveries", params={"merchant": merchant["merchant_id"]}
            ).json()["data"]
            mine = [(d["attempt"], d["response_status"]) for d in tried if d["event"] == charge_id]
            assert mine == [(1, 503), (2, 200)]
            assert len(hop.captured) == 2
            for body, signature in hop.captured:  # the replay, as recorded
                again = httpx.post(
                    f"{shop_url}/webhooks/clover",
                    content=body,
                    headers={"clover-signature": signature},
                )
                assert again.status_code == 200 and again.text.startswith("duplicate"), again.text
        finally:
            httpx.post(controls, json={"merchant": merchant["merchant_id"], "url": None})
    with opened(hosted_settings.database) as connection:
        events = connection.execute("SELECT event_id, result FROM webhook_events").fetchall()
        status = connection.execute("SELECT status FROM orders WHERE id = ?", (order_id,))
        assert status.fetchone()[0] == "paid"
    assert [tuple(e) for e in events] == [(charge_id, "paid")]
    assert len(charges_of_amount(sandbox, merchant, 3150)) == 1


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"firstName": ""}, "Enter your first name"),
        ({"lastName": "  "}, "Enter your last name"),
        ({"email": "ada"}, "Check your email address"),
        ({"phoneNumber": ""}, "Enter your phone number"),
        ({"phoneNumber": "call me"}, "Check your phone number"),
        ({"firstName": "A" * 65}, "first name is too long"),
    ],
)
def test_the_shop_asks_for_the_shopper_clover_requires_before_opening_a_session(
    hosted_app: Any, hosted_settings: Settings, change: dict[str, str], said: str
) -> None:
    """creating-a-hosted-checkout-session requires customer firstName, lastName, email and
    phoneNumber: the shop checks them on its server and opens no session without them."""
    shopper = Shopper(hosted_app)
    order_id = shopper.buy()
    csrf = shopper.csrf(f"/orders/{order_id}")
    page = shopper.http.post(
        f"/orders/{order_id}/hosted", data={"csrf_token": csrf, **SHOPPER, **change}
    )
    assert page.status_code == 422 and said in page.text
    with opened(hosted_settings.database) as connection:
        opened_sessions = connection.execute(
            "SELECT COUNT(*) FROM hosted_sessions WHERE order_id = ?", (order_id,)
        ).fetchone()[0]
    assert opened_sessions == 0
