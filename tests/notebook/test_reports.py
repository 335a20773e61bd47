"""Reporting: the ledger in cents, summaries, net captured, the daily plot."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import CloverClient, test_card
from helpers.notebook.local_controls import LocalSandbox
from helpers.notebook.reports import daily_plot, ledger, net_captured, summary

DAY = 86_400_000


def charge(
    id: str,
    amount: int,
    *,
    status: str = "succeeded",
    captured: bool = True,
    amount_captured: int | None = None,
    refunded: int = 0,
    brand: str = "VISA",
    day: int = 0,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": id,
        "amount": amount,
        "status": status,
        "captured": captured,
        "amount_refunded": refunded,
        "created": 1_767_603_600_000 + day * DAY,
        "source": {"brand": brand, "last4": "4242"},
    }
    if amount_captured is not None:
        body["amount_captured"] = amount_captured
    return body


BOOK = [
    charge("SALE", 2000, refunded=500),
    charge("PART", 5000, amount_captured=4200, brand="AMEX", day=1),
    charge("HOLD", 3000, captured=False, day=1, amount_captured=0),
    charge("VOID", 1000, captured=False, refunded=1000, amount_captured=0, day=2),
    charge("DECL", 2500, status="failed", captured=False, brand="MC", day=2),
    charge("REAL", 1358),  # Clover's answers may have no amount_captured
]


def test_the_ledger_keeps_what_was_captured_minus_what_was_refunded() -> None:
    book = ledger(BOOK)
    settled = dict(zip(book["id"], book["net_captured"], strict=True))
    assert settled == {"SALE": 1500, "REAL": 1358, "PART": 4200, "HOLD": 0, "VOID": 0, "DECL": 0}
    assert str(book["net_captured"].dtype) == "int64"
    assert net_captured(book) == 1500 + 1358 + 4200
    assert (
        list(book["day"].astype(str))
        == ["2026-01-05"] * 2 + ["2026-01-06"] * 2 + ["2026-01-07"] * 2
    )


def test_summaries_count_and_show_dollars() -> None:
    by_status = summary(ledger(BOOK), by="status")
    assert by_status.loc["failed", "declined"] == 1
    assert by_status.loc["succeeded", "net_captured"] == "$70.58"
    assert by_status.loc["failed", "captured"] == "$0.00"
    by_brand = summary(ledger(BOOK), by="brand")
    assert list(by_brand.index) == ["AMEX", "MC", "VISA"]
    assert by_brand.loc["VISA", "charges"] == 4 and by_brand.loc["MC", "approval_rate"] == 0
    assert by_brand.loc["VISA", "authorized"] == "$73.58"
    by_day = summary(ledger(BOOK), by="day")
    assert list(by_day["captured"]) == ["$33.58", "$42.00", "$0.00"]
    assert list(by_day["refunded"]) == ["$5.00", "$0.00", "$0.00"]
    assert not by_day.isna().to_numpy().any()


def test_the_daily_plot_has_a_bar_per_day_and_kind() -> None:
    import matplotlib

    matplotlib.use("Agg")
    axes = daily_plot(ledger(BOOK))
    assert len(axes.patches) == 3 * 2
    assert [t.get_text() for t in axes.get_xticklabels()] == [
        "Mon\n05 Jan",
        "Tue\n06 Jan",
        "Wed\n07 Jan",
    ]
    assert axes.get_legend() is not None


def test_the_daily_plot_of_a_long_book_keeps_its_days_apart() -> None:
    """Six weeks with gaps: every day has its place, and at most ten are labelled."""
    import matplotlib

    matplotlib.use("Agg")
    day_ms = 86_400_000
    charges = [
        {**BOOK[0], "id": f"L{n}", "created": BOOK[0]["created"] + n * 3 * day_ms}
        for n in range(15)
    ]
    axes = daily_plot(ledger(charges))
    assert len(axes.patches) == 2 * (14 * 3 + 1)  # 43 days, two bars each
    labels = [t.get_text() for t in axes.get_xticklabels()]
    assert 1 < len(labels) <= 10 and labels[0] == "Mon\n05 Jan"


def test_a_report_over_days_from_the_local_sandbox(live: CloverClient) -> None:
    local = LocalSandbox(live)
    sale = live.create_charge(1000, live.create_token(test_card("approve").card()).id)
    live.create_refund(sale.id, 250)
    local.advance_clock(days=1)
    live.create_charge(4000, live.create_token(test_card("approve", "AMEX").card()).id)
    book = ledger(live.iter_charges())
    assert book["day"].nunique() == 2
    assert net_captured(book) == 750 + 4000


def test_local_controls_exist_only_locally(live: CloverClient) -> None:
    from helpers import ENVIRONMENTS

    remote = CloverClient(ENVIRONMENTS["sandbox"], "not-a-real-token")
    with pytest.raises(RuntimeError, match="only in the local sandbox"):
        LocalSandbox(remote)
    with pytest.raises(ValueError, match="kind"):
        LocalSandbox(live).fault("teapot")
