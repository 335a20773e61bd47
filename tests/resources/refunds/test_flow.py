"""Captures, refunds and voids against the real local sandbox."""

from __future__ import annotations

import pytest

from helpers import (
    CloverClient,
    InvalidRequestError,
    Refund,
    Token,
    charges_table,
    refunds_table,
    test_card,
)


def tokenize(client: CloverClient, outcome: str = "approve", brand: str | None = None) -> Token:
    return client.create_token(test_card(outcome, brand=brand).card())  # type: ignore[arg-type]


def test_authorize_capture_refund_and_tables(live: CloverClient) -> None:
    auth = live.create_charge(5000, tokenize(live), capture=False)
    assert auth.captured is False
    captured = live.capture_charge(auth.id, 4000)
    assert captured.captured is True and captured.amount_captured == 4000
    with pytest.raises(InvalidRequestError) as twice:
        live.capture_charge(auth.id)
    assert twice.value.code == "charge_already_captured"
    refund = live.create_refund(auth.id, 1500, reason="requested_by_customer")
    assert isinstance(refund, Refund) and refund.amount == 1500 and refund.charge == auth.id
    assert live.get_refund(refund.id) == refund
    rest = live.create_refund(captured)
    assert rest.amount == 2500
    after = live.get_charge(auth.id)
    assert after.amount_refunded == 4000 and after.refunded is True
    with pytest.raises(InvalidRequestError) as done:
        live.create_refund(auth.id)
    assert done.value.code == "charge_already_refunded"
    refunds = live.list_refunds(charge=auth.id)
    assert {r.id for r in refunds} == {refund.id, rest.id}
    table = refunds_table(refunds)
    assert sorted(table["amount"]) == ["$15.00", "$25.00"]  # shown as money, not floats
    charges = charges_table(live.list_charges())
    assert list(charges["amount_refunded"]) == ["$40.00"]
    assert charges.loc[0, "last4"] == "4242"


def test_void_of_an_authorization(live: CloverClient) -> None:
    auth = live.create_charge(3000, tokenize(live), capture=False)
    void = live.create_refund(auth)
    assert void.metadata.refundType == "PREAUTH"
