"""3-D Secure on the wire, for the sync and the async client alike: ``finalize_payment``
and ``threeds`` on ``pay_order`` (https://docs.clover.com/docs/3ds-secure-configure-sdk,
https://docs.clover.com/dev/docs/add-3ds-to-pay-for-an-order)."""

from __future__ import annotations

import pytest

from helpers import CardError, Charge, clover_threeds

from ..conftest import ECOMMERCE, SHOPPER_IP, Wire

BROWSER = {"browser_user_agent": "Mozilla/5.0 (test)", "browser_tz": "300"}


def test_finalize_payment_sends_the_pages_body(wire: Wire) -> None:
    wire.answer({"id": "CH1", "status": "succeeded", "threeds": {"validation_result": "x"}})
    charge = wire.call("finalize_payment", Charge({"id": "CH1"}), "Y")
    request = wire.last
    assert (request.method, str(request.url)) == (
        "POST",
        f"{ECOMMERCE}/v1/charges/finalize_payment",
    )
    assert "idempotency-key" in request.headers
    assert wire.last_json() == {
        "charge_id": "CH1",
        "threeds": {"source": "CLOVER", "flow_status": "Y"},
    }
    assert isinstance(charge, Charge) and charge.status == "succeeded"


def test_finalize_payment_decline_is_a_card_error(wire: Wire) -> None:
    error = {"code": "card_declined", "declineCode": "authentication_failed", "message": "no"}
    wire.answer({"message": "402 Payment Required", "error": {"type": "card_error", **error}}, 402)
    with pytest.raises(CardError):
        wire.call("finalize_payment", "CH1", "N")


def test_finalize_payment_needs_a_status() -> None:
    from helpers.clover.resources.threeds import finalize_threeds

    with pytest.raises(ValueError, match="_3DSStatus"):
        finalize_threeds("")


def test_pay_order_carries_threeds(wire: Wire) -> None:
    wire.answer({"id": "ORD4P8Z", "object": "order", "status": "created"})
    threeds = clover_threeds(BROWSER, SHOPPER_IP)
    wire.call("pay_order", "ORD4P8Z", "clv_1TSTSh7k2pQx9mWzAbCd", threeds=threeds)
    assert wire.last_json() == {"source": "clv_1TSTSh7k2pQx9mWzAbCd", "threeds": threeds}
