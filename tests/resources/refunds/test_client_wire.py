"""Captures and refunds on the wire: bodies, keys and the refund's reference."""

from __future__ import annotations

from collections.abc import Callable

from helpers import (
    Charge,
    CloverClient,
    Refund,
)
from tests.client.conftest import FakeClover, charge_body

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
