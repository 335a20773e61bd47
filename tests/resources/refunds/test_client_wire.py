"""Captures and refunds on the wire: bodies, keys and the refund's reference."""

from __future__ import annotations

from collections.abc import Callable

from helpers import Charge, CloverClient, ListPage, Refund, RetryPolicy
from tests.client.conftest import PRIVATE_KEY, FakeClover, charge_body

from ..conftest import ECOMMERCE, Wire

Build = Callable[..., tuple[CloverClient, FakeClover]]


def test_capture_and_refund_wire_format(make_client: Build) -> None:
    client, fake = make_client()
    client.capture_charge("JD4ZEXSSXE1KW")
    assert fake.last.url.path == "/v1/charges/JD4ZEXSSXE1KW/capture"
    assert fake.last_json() == {}
    assert "x-forwarded-for" not in fake.last.headers
    client.capture_charge("JD4ZEXSSXE1KW", amount=1000)
    assert fake.last_json() == {"amount": 1000}
    refund = client.create_refund(
        Charge(charge_body()), 500, reason="requested_by_customer", external_reference_id="RMA7"
    )
    assert fake.last.url.path == "/v1/refunds"
    assert fake.last_json() == {
        "charge": "JD4ZEXSSXE1KW",
        "amount": 500,
        "reason": "requested_by_customer",
        "external_reference_id": "RMA7",
    }
    assert isinstance(refund, Refund) and refund.metadata.refundType == "AUTH"
    client.create_refund("JD4ZEXSSXE1KW", idempotency_key="6f1c2b9e-0d4a-4c1e-9b7a-52e8d3c1a0f4")
    # without a reference of yours, the client makes one from the key, to find it again
    assert fake.last_json() == {"charge": "JD4ZEXSSXE1KW", "external_reference_id": "R2E8D3C1A0F4"}


# -- the same calls on the sync and the async client ------------------------------------

REFUND = {"id": "RF1", "object": "refund", "amount": 500, "charge": "CH1", "status": "succeeded"}
UNAVAILABLE = {"message": "503 Service Unavailable", "error": {"type": "api_error"}}
FAST = RetryPolicy(max_retries=2, initial_backoff=0.001, max_backoff=0.002)


def test_both_clients_send_the_same_refund(wire: Wire) -> None:
    wire.answer(REFUND)
    refund = wire.call("create_refund", "CH1", 500, "duplicate", "RMA9", idempotency_key="rf-1")
    request = wire.last
    assert (request.method, str(request.url)) == ("POST", f"{ECOMMERCE}/v1/refunds")
    assert request.headers["authorization"] == f"Bearer {PRIVATE_KEY}"
    assert request.headers["idempotency-key"] == "rf-1"
    assert "x-forwarded-for" not in request.headers
    assert wire.last_json() == {
        "charge": "CH1",
        "amount": 500,
        "reason": "duplicate",
        "external_reference_id": "RMA9",
    }
    assert isinstance(refund, Refund) and refund.status == "succeeded"

    wire.answer({"object": "list", "data": [REFUND], "has_more": False})
    page = wire.call("list_refunds", Charge(charge_body("CH1")), limit=5)
    assert str(wire.last.url) == f"{ECOMMERCE}/v1/refunds?charge=CH1&limit=5"
    assert isinstance(page, ListPage) and [type(r) for r in page] == [Refund]

    wire.answer(REFUND)
    assert wire.call("get_refund", "RF1").id == "RF1"
    assert (wire.last.method, str(wire.last.url)) == ("GET", f"{ECOMMERCE}/v1/refunds/RF1")


def test_both_clients_read_back_a_refund_made_before_the_answer_was_lost(wire_mode: str) -> None:
    wire = Wire(wire_mode, retries=FAST)
    wire.answer(UNAVAILABLE, 503)  # the refund was made; its answer was lost
    wire.answer({"object": "list", "data": [{**REFUND, "external_reference_id": "RMA9"}]})
    refund = wire.call("create_refund", "CH1", 500, external_reference_id="RMA9")
    assert refund == {**REFUND, "external_reference_id": "RMA9"} and isinstance(refund, Refund)
    sent = [(r.method, r.url.path, dict(r.url.params)) for r in wire.requests]
    assert sent == [
        ("POST", "/v1/refunds", {}),
        ("GET", "/v1/refunds", {"charge": "CH1", "limit": "100"}),
    ]


def test_both_clients_send_a_lost_refund_again_with_the_same_key(wire_mode: str) -> None:
    wire = Wire(wire_mode, retries=FAST)
    wire.answer(UNAVAILABLE, 503)
    wire.answer({"object": "list", "data": []})  # not made: send it again
    wire.answer(REFUND)
    wire.call("create_refund", "CH1", 500, idempotency_key="rf-2")
    posts = [r for r in wire.requests if r.method == "POST"]
    assert len(posts) == 2 and {r.headers["idempotency-key"] for r in posts} == {"rf-2"}
    assert posts[0].content == posts[1].content
