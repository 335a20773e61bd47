"""Every payment, order and customer change reported as Clover sends it (docs: webhooks,
https://docs.clover.com/docs/webhooks): each update once, in the message of the request
that made it, and only to an app whose URL is verified."""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

import httpx

from helpers import AppWebhookReceiver
from tests.resources.app_webhooks.test_http import APP, connect, deliveries
from tests.support import bearer, charge, deliveries_done, tokenize

DECLINED = {"number": "4005571702222222", "brand": "VISA"}


def sent(receiver: AppWebhookReceiver) -> Counter[tuple[str, str]]:
    """(objectId, type) of every update in every message received, retries included."""
    counted: Counter[tuple[str, str]] = Counter()
    for delivery in receiver.deliveries:
        body = json.loads(delivery.body)
        for updates in body.get("merchants", {}).values():
            counted.update((u["objectId"], u["type"]) for u in updates)
    return counted


def settle(
    http: httpx.Client, receiver: AppWebhookReceiver, count: int
) -> Counter[tuple[str, str]]:
    """What was sent once `count` updates arrived and nothing more was on its way."""
    deadline = time.monotonic() + 10
    while sum(sent(receiver).values()) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    deliveries_done(http, receiver.url)
    return sent(receiver)


def test_every_payment_order_and_customer_change_is_sent_once(http, receiver, merchant):
    connect(http, receiver)

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = http.post(path, headers=bearer(merchant), json=body)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    approved = charge(http, merchant).json()
    declined = charge(http, merchant, card=DECLINED)
    assert declined.status_code == 402
    failed = declined.json()["error"]["charge"]
    held = charge(http, merchant, capture=False).json()
    post(f"/v1/charges/{held['id']}/capture", {})
    post("/v1/refunds", {"charge": approved["id"]})
    item = {"type": "sku", "description": "Mug", "amount": 1250, "quantity": 1}
    order = post("/v1/orders", {"currency": "usd", "items": [item]})
    paid = post(f"/v1/orders/{order['id']}/pay", {"source": tokenize(http, merchant)})
    post(f"/v1/orders/{order['id']}/returns", {})
    customer = post(
        "/v1/customers", {"source": tokenize(http, merchant), "email": "ada@example.com"}
    )
    http.put(f"/v1/customers/{customer['id']}", headers=bearer(merchant), json={"phone": "5550100"})
    [card] = customer["sources"]["data"]
    gone = http.delete(f"/v1/customers/{customer['id']}/sources/{card}", headers=bearer(merchant))
    assert gone.status_code == 200, gone.text

    declined_order = http.get(f"/v1/charges/{failed}", headers=bearer(merchant)).json()["order"]
    expected = Counter(
        {
            (f"P:{approved['id']}", "CREATE"): 1,  # approved
            (f"O:{approved['order']}", "CREATE"): 1,
            (f"P:{failed}", "CREATE"): 1,  # declined: the charge exists
            (f"O:{declined_order}", "CREATE"): 1,
            (f"P:{held['id']}", "CREATE"): 1,
            (f"O:{held['order']}", "CREATE"): 1,
            (f"P:{held['id']}", "UPDATE"): 1,  # captured
            (f"O:{held['order']}", "UPDATE"): 1,  # and so its order is paid
            (f"P:{approved['id']}", "UPDATE"): 1,  # refunded
            (f"O:{order['id']}", "CREATE"): 1,
            (f"O:{order['id']}", "UPDATE"): 2,  # paid, then returned
            (f"P:{paid['charge']}", "CREATE"): 1,
            (f"P:{paid['charge']}", "UPDATE"): 1,  # the return refunds it
            (f"C:{customer['id']}", "CREATE"): 1,
            (f"C:{customer['id']}", "UPDATE"): 2,  # its phone, then its card revoked
        }
    )
    assert settle(http, receiver, sum(expected.values())) == expected
    assert all(d.accepted for d in receiver.deliveries)  # X-Clover-Auth on every message


def test_no_update_goes_to_an_app_whose_url_is_not_verified(http, receiver, merchant):
    assert charge(http, merchant).status_code == 200
    deliveries_done(http, receiver.url)
    assert deliveries(http) == []  # no URL set: nothing to send, nothing logged
    setting = http.post("/_sandbox/app-webhooks", json={"app_id": APP, "url": receiver.url})
    assert setting.status_code == 200 and setting.json()["verified"] is False
    made = charge(http, merchant).json()
    [unsent] = deliveries(http, at_least=1)
    assert unsent["delivered"] is False and "not verified" in unsent["error"]
    assert sorted(unsent["updates"]) == [f"O:{made['order']}", f"P:{made['id']}"]
    assert [d.body for d in receiver.deliveries] == [
        json.dumps({"verificationCode": receiver.verification_code}).encode()
    ]
    cleared = http.post("/_sandbox/app-webhooks", json={"app_id": APP, "url": None})
    assert cleared.status_code == 200 and cleared.json()["url"] is None
    assert charge(http, merchant).status_code == 200
    deliveries_done(http, receiver.url)
    assert len(deliveries(http)) == 1  # the URL taken away: nothing sent, nothing logged


def test_an_unverified_app_is_not_sent_what_another_request_commits(
    http: httpx.Client, receiver: AppWebhookReceiver, merchant: dict[str, str]
) -> None:
    connect(http, receiver)
    http.post("/_sandbox/app-webhooks", json={"app_id": APP, "url": receiver.url})  # a new URL
    charge(http, merchant)
    deliveries_done(http, receiver.url)
    assert sent(receiver) == Counter()


def test_a_registered_merchants_changes_go_to_its_own_app(
    http: httpx.Client, receiver: AppWebhookReceiver
) -> None:
    mine = {
        "name": "Maple Tea House",
        "merchant_id": "MAPLETEA00001",
        "private_key": "2f0c7f4e-8a51-4d8a-9d1f-3c0b8d6a1e27",
        "api_access_key": "0123456789abcdef0123456789abcdef",
        "app_id": "MAPLEAPP00001",
        "app_secret": "8d2e6a1c-0b7f-4c3e-a9d5-61f0e2b4c7a8",
        "site_urls": ["https://maple-tea.example/shop"],
    }
    assert http.post("/_sandbox/merchants", json=mine).status_code == 200
    http.post("/_sandbox/app-webhooks", json={"app_id": mine["app_id"], "url": receiver.url})
    code = {"app_id": mine["app_id"], "verification_code": receiver.verification_code}
    receiver.auth_code = http.post("/_sandbox/app-webhooks/verify", json=code).json()["authCode"]
    made = charge(http, mine).json()
    expected = Counter({(f"O:{made['order']}", "CREATE"): 1, (f"P:{made['id']}", "CREATE"): 1})
    assert settle(http, receiver, 2) == expected
    [message] = [json.loads(d.body) for d in receiver.deliveries if b"merchants" in d.body]
    assert message["appId"] == mine["app_id"] and list(message["merchants"]) == [
        mine["merchant_id"]
    ]
