from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import Charge, ListPage, Refund, charges_table, refunds_table
from helpers.notebook.tables import dollars
from tests.client.conftest import charge_body


def test_charges_table_from_objects_dicts_and_pages() -> None:
    refunded = charge_body(
        "B",
        amount=2500,
        amount_refunded=1000,
        refunded=False,
        created=1_700_000_060_000,
        source={"brand": "AMEX", "last4": "0005"},
    )
    charges = [Charge(charge_body("A")), refunded]
    frame = charges_table(charges)
    assert list(frame.columns) == [
        "id",
        "created",
        "amount",
        "currency",
        "status",
        "brand",
        "last4",
        "captured",
        "refunded",
        "amount_refunded",
    ]
    assert list(frame["id"]) == ["A", "B"]
    assert list(frame["amount"]) == ["$13.58", "$25.00"]
    assert list(frame["amount_refunded"]) == ["$0.00", "$10.00"]
    assert list(frame["brand"]) == ["VISA", "AMEX"]
    assert list(frame["last4"]) == ["4242", "0005"]
    assert frame.loc[0, "created"] == pd.Timestamp("2023-11-14 22:13:20", tz="UTC")
    assert str(frame["created"].dt.tz) == "UTC"
    page = ListPage({"object": "list", "data": charges, "has_more": False})
    pd.testing.assert_frame_equal(charges_table(page), frame)


def test_charges_table_of_nothing_has_the_columns() -> None:
    frame = charges_table([])
    assert len(frame) == 0
    assert "amount_refunded" in frame.columns


def test_charges_table_tolerates_missing_source() -> None:
    frame = charges_table([{"id": "F", "amount": 100, "created": 0, "status": "failed"}])
    assert frame.loc[0, "status"] == "failed"
    assert frame.loc[0, "brand"] == ""  # blank, not NaN
    assert not frame.isna().to_numpy().any()


def test_refunds_table() -> None:
    refunds = [
        Refund(
            {
                "id": "R1",
                "object": "refund",
                "amount": 500,
                "charge": "A",
                "created": 1_700_000_000_000,
                "status": "succeeded",
                "metadata": {"refundType": "AUTH"},
            }
        ),
        {
            "id": "R2",
            "amount": 1358,
            "charge": "B",
            "created": 1_700_000_001_000,
            "status": "succeeded",
            "reason": "duplicate",
            "metadata": {"refundType": "PREAUTH"},
        },
    ]
    frame = refunds_table(refunds)
    assert list(frame.columns) == [
        "id",
        "created",
        "charge",
        "amount",
        "status",
        "reason",
        "refund_type",
    ]
    assert list(frame["amount"]) == ["$5.00", "$13.58"]
    assert list(frame["refund_type"]) == ["AUTH", "PREAUTH"]
    assert list(frame["reason"]) == ["", "duplicate"]  # no reason: blank, not NaN
    assert frame.loc[1, "created"] == pd.Timestamp(1_700_000_001_000, unit="ms", tz="UTC")


def test_dollars_reads_like_money() -> None:
    assert [dollars(c) for c in (0, 5, 4500, 123456789, -250)] == [
        "$0.00",
        "$0.05",
        "$45.00",
        "$1,234,567.89",
        "-$2.50",
    ]
    assert dollars(None) == ""
    assert dollars(np.int64(1358)) == "$13.58"
