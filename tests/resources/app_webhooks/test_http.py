"""App webhooks from the sandbox: the verification handshake, X-Clover-Auth on every
message, retries with backoff and their log, renewals and named events reported."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from helpers import AppWebhookReceiver
from tests.support import bearer, tokenize

APP = "KTAPPDEM0A1B2"


def connect(http: httpx.Client, receiver: AppWebhookReceiver, **extra: Any) -> dict[str, Any]:
    """Set the URL, send back the code it received; the receiver then knows the auth code."""
    body = {"app_id": APP, "url": receiver.url, **extra}
    response = http.post("/_sandbox/app-webhooks", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["verified"] is False and "authCode" not in response.json()
    code = {"app_id": APP, "verification_code": receiver.verification_code}
    verified: dict[str, Any] = http.post("/_sandbox/app-webhooks/verify", json=code).json()
    assert verified["verified"] is True
    receiver.auth_code = verified["authCode"]
    return verified


def deliveries(http: httpx.Client, at_least: int = 0) -> list[dict[str, Any]]:
    """The sandbox's delivery log, once it holds `at_least` attempts (it is written just
    after each answer arrives, so it may trail the receiver by a moment)."""
    deadline = time.monotonic() + 10
    while True:
        response = http.get("/_sandbox/app-webhooks/deliveries", params={"app_id": APP})
        data: list[dict[str, Any]] = response.json()["data"]
        if len(data) >= at_least or time.monotonic() > deadline:
            return data
        time.sleep(0.02)


def test_the_handshake_posts_a_verification_code_that_must_come_back(http, receiver):
    dead = http.post("/_sandbox/app-webhooks", json={"app_id": APP, "url": "http://127.0.0.1:9/x"})
    assert dead.status_code == 400 and dead.json()["error"]["param"] == "url"
    assert http.get("/_sandbox/app-webhooks", params={"app_id": APP}).json()["url"] is None
    http.post("/_sandbox/app-webhooks", json={"app_id": APP, "url": receiver.url})
    assert receiver.verification_code is not None
    wrong = http.post(
        "/_sandbox/app-webhooks/verify", json={"app_id": APP, "verification_code": "guess"}
    )
    assert wrong.status_code == 400 and wrong.json()["error"]["param"] == "verification_code"
    http.post("/_sandbox/app-webhooks/trigger", json={"event": "order.created"})
    [unsent] = deliveries(http)
    assert unsent["delivered"] is False and "not verified" in unsent["error"]
    verified = connect(http, receiver)
    assert len(verified["authCode"]) == 36
    for bad in ({"app_id": "NOPE"}, {"app_id": APP, "url": "ftp://x"}, {"app": APP}):
        assert http.post("/_sandbox/app-webhooks", json=bad).status_code == 400


@pytest.mark.parametrize(
    ("event", "prefixes"),
    [
        ("payment.created", ["O", "P"]),
        ("order.created", ["O"]),
        ("customer.created", ["C"]),
        ("subscription.created", ["C"]),  # Clover sends no update for a subscription
    ],
)
def test_each_named_event_is_sent_with_the_auth_code(http, receiver, merchant, event, prefixes):
    connect(http, receiver)
    fired = http.post("/_sandbox/app-webhooks/trigger", json={"event": event}).json()
    updates = receiver.wait_for_updates(len(prefixes))
    assert [u.object_id.split(":")[0] for u in updates] == prefixes
    made = fired["object"]
    assert updates[-1].id == made.get("customerUuid", made["id"])  # a subscription: none
    assert updates[-1].merchant_id == fired["merchant"]
    assert {u.type for u in updates} == {"CREATE"}
    assert receiver.deliveries[-1].accepted  # X-Clover-Auth matched


def test_a_failing_url_is_retried_with_backoff_and_every_attempt_logged(http, receiver):
    connect(http, receiver, retry_base_ms=20, max_attempts=4)
    receiver.fail_next(2)
    http.post("/_sandbox/app-webhooks/trigger", json={"event": "customer.created"})
    receiver.wait_for_updates(1)
    log = deliveries(http, at_least=3)
    assert [(d["attempt"], d["response_status"]) for d in log] == [(1, 503), (2, 503), (3, 200)]
    assert log[-1]["updates"][0].startswith("C:") and log[-1]["delivered"] is True
    sent = [d.received_at for d in receiver.deliveries[-3:]]
    # 20 ms, then 40 ms: each attempt leaves after its wait, so the gaps are lower bounds
    # (comparing the two gaps failed under load, when the first was delayed more)
    gaps = [(sent[1] - sent[0]).total_seconds(), (sent[2] - sent[1]).total_seconds()]
    assert gaps[0] >= 0.020 and gaps[1] >= 0.040, gaps
    bad = http.post("/_sandbox/app-webhooks/trigger", json={"event": "refund.created"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "event"


def test_renewals_are_reported_as_payments_and_no_subscription_update_is_sent(
    http, receiver, merchant
):
    """Clover's app webhooks (https://docs.clover.com/docs/webhooks) have no key for a
    recurring subscription: the sandbox sent its own `SUB:` updates, which a learner's
    handler would wait for in vain on Clover. Renewals are payments."""
    connect(http, receiver)

    def headers() -> dict[str, str]:  # a fresh idempotency key for each POST
        return {**bearer(merchant), "x-clover-merchant-id": merchant["merchant_id"]}

    plan = http.post(
        "/recurring/v1/plans",
        headers=headers(),
        json={"name": "Coffee club", "amount": 1500, "interval": "Month", "intervalCount": 1},
    ).json()
    source = tokenize(http, merchant)
    buyer = http.post(
        "/v1/customers",
        headers=bearer(merchant),
        json={"source": source, "email": "ada@example.com"},
    ).json()
    body = {"customerId": buyer["id"], "collectionMethod": "CHARGE_AUTOMATICALLY"}
    url = f"/recurring/v1/plans/{plan['id']}/subscriptions"
    sub = http.post(url, headers=headers(), json=body)
    http.post("/_sandbox/clock", json={"advance": "P2M"})
    http.delete(f"/recurring/v1/subscriptions/{sub.json()['id']}", headers=headers())
    # a last write, after the cancel: once its update is in, any update of the cancel is too
    last = http.post("/_sandbox/app-webhooks/trigger", json={"event": "customer.created"})
    assert last.status_code == 200, last.text
    kinds = [("customer", "CREATE")]
    receiver.wait_for(lambda r: len(_of(r, "payment")) >= 2 and len(_of(r, "customer")) >= 2)
    assert _has(receiver, kinds)
    updates = receiver.updates
    # messages may arrive in any order (each is delivered on its own), updates may not
    assert [u.type for u in _of(receiver, "payment")] == ["CREATE", "CREATE"]  # Jan 6, Feb 6
    assert len(_of(receiver, "customer")) == 2  # the buyer, then the last customer
    assert all(u.object_id.split(":")[0] in ("P", "O", "C") for u in updates), updates
    first, second = sorted(u.ts for u in _of(receiver, "payment"))
    assert second - first >= 28 * 86_400_000  # each at its own date on the clock


def _of(receiver: Any, kind: str) -> list[Any]:
    return [u for u in receiver.updates if u.kind == kind]


def _has(receiver: Any, wanted: list[tuple[str, str]]) -> bool:
    return set(wanted) <= {(u.kind, u.type) for u in receiver.updates}
