"""Reporting on charges: a ledger in cents, summaries by status, brand or day, net captured.

A charge's ``amount`` is what was asked; what the merchant keeps is what was **captured**
minus what was **refunded** of it. Declines keep nothing, authorizations that were never
captured keep nothing (voiding them releases the hold), and a void is not a refund of
money. :func:`ledger` works that out per charge, in int cents (the **net captured**
amount); :func:`summary` adds it up and turns cents into dollars only at the end, for people
to read. Net captured is not what reaches the merchant's bank: settlement and funding come
later, in a batch, net of the processor's fees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..clover.objects import CloverObject
from .tables import dollars

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["LEDGER_COLUMNS", "daily_plot", "ledger", "net_captured", "summary"]

LEDGER_COLUMNS = [
    "id",
    "created",
    "day",
    "status",
    "brand",
    "last4",
    "amount",
    "amount_captured",
    "amount_refunded",
    "net_captured",
]
MONEY = ["authorized", "captured", "refunded", "net_captured"]


def _captured(charge: Mapping[str, Any] | CloverObject) -> int:
    """What was captured; Clover's answers without ``amount_captured`` mean all of it."""
    if charge.get("status") != "succeeded" or not charge.get("captured"):
        return 0
    return int(charge.get("amount_captured", charge.get("amount", 0)))


def ledger(charges: Iterable[Mapping[str, Any] | CloverObject]) -> pd.DataFrame:
    """One row per charge, money in int cents; ``net_captured`` = captured minus refunded."""
    import pandas as pd

    rows = []
    for charge in charges:
        captured = _captured(charge)
        refunded = int(charge.get("amount_refunded", 0)) if captured else 0
        source = charge.get("source") or {}
        rows.append(
            {
                "id": charge.get("id"),
                "created": charge.get("created"),
                "status": charge.get("status"),
                "brand": source.get("brand"),
                "last4": source.get("last4"),
                "amount": int(charge.get("amount", 0)),
                "amount_captured": captured,
                "amount_refunded": refunded,
                "net_captured": captured - refunded,
            }
        )
    frame = pd.DataFrame(rows, columns=[c for c in LEDGER_COLUMNS if c != "day"])
    frame["created"] = pd.to_datetime(frame["created"], unit="ms", utc=True)
    frame.insert(2, "day", frame["created"].dt.date)
    for column in ("amount", "amount_captured", "amount_refunded", "net_captured"):
        frame[column] = frame[column].astype("int64")
    return frame.sort_values("created", kind="stable").reset_index(drop=True)


def net_captured(book: pd.DataFrame) -> int:
    """Net captured, in cents: captured minus refunded, over every charge (before fees)."""
    return int(book["net_captured"].sum())


def _totals(book: pd.DataFrame, by: str) -> pd.DataFrame:
    """Charges grouped by ``by``: counts, and money in int cents."""
    approved = book["status"] == "succeeded"
    grouped = book.assign(
        approved=approved.astype(int),
        declined=(book["status"] == "failed").astype(int),
        authorized=book["amount"].where(approved, 0),
        captured=book["amount_captured"],
        refunded=book["amount_refunded"],
    ).groupby(by, sort=True)
    table = grouped.agg(
        charges=("id", "count"),
        approved=("approved", "sum"),
        declined=("declined", "sum"),
        authorized=("authorized", "sum"),
        captured=("captured", "sum"),
        refunded=("refunded", "sum"),
        net_captured=("net_captured", "sum"),
    )
    table["approval_rate"] = (table["approved"] / table["charges"]).round(3)
    return table


def summary(book: pd.DataFrame, by: str = "status") -> pd.DataFrame:
    """Charges grouped by ``by`` (status, brand, day...): counts, then dollars to read.

    ``authorized`` counts approved charges' amounts; ``approval_rate`` is approved over all.
    The money columns are text (``$4,278.75``): a summary is for people; compute with the
    ledger's cents.
    """
    table = _totals(book, by)
    for column in MONEY:
        table[column] = table[column].map(dollars)
    return table


def daily_plot(book: pd.DataFrame, title: str = "Captured and refunded per day") -> Axes:
    """Bars of dollars captured and refunded each day, with the net captured as a line.

    Every day from the first to the last charge has its place (a quiet day shows as a gap,
    not as a missing bar), and over more than ten days only some days are labelled, so
    the axis stays readable however long the book.
    """
    import pandas as pd

    daily = _totals(book, by="day")[["captured", "refunded", "net_captured"]] / 100
    if len(daily):
        days = pd.date_range(min(daily.index), max(daily.index), freq="D").date
        daily = daily.reindex(days, fill_value=0)
    axes = daily[["captured", "refunded"]].plot.bar(
        title=title, ylabel="US dollars", xlabel="day", rot=0, figsize=(8, 3.5), width=0.8
    )
    axes.plot(
        range(len(daily)),
        daily["net_captured"].to_numpy(),
        color="black",
        marker="o" if len(daily) <= 31 else None,
        label="net captured",
    )
    step = max(1, -(-len(daily) // 10))  # at most ten labels, on two lines each
    axes.set_xticks(range(0, len(daily), step))
    axes.set_xticklabels([f"{day:%a}\n{day:%d %b}" for day in daily.index[::step]], rotation=0)
    axes.yaxis.set_major_formatter("${x:,.0f}")
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.figure.tight_layout()
    return axes
