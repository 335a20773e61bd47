"""Charges and refunds as pandas tables, for reporting and reconciliation.

Amounts stay int cents in code; these tables add dollar columns for people to read, and
turn Clover's millisecond timestamps into UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..clover.objects import CloverObject

if TYPE_CHECKING:  # pandas loads on first use: `python -m helpers.sandbox` starts faster
    import pandas as pd

__all__ = ["charges_table", "refunds_table"]

CHARGE_COLUMNS = [
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
REFUND_COLUMNS = ["id", "created", "charge", "amount", "status", "reason", "refund_type"]


Rows = Iterable[Mapping[str, Any] | CloverObject] | Mapping[str, Any] | CloverObject


def _rows(objects: Rows) -> list[Mapping[str, Any] | CloverObject]:
    """The objects of a list page, of a list, or the one object given."""
    if isinstance(objects, Mapping | CloverObject):
        data = objects.get("data")
        return list(data) if isinstance(data, list) else [objects]
    return list(objects)


def _dollars(cents: Any) -> float | None:
    return None if cents is None else int(cents) / 100


def _utc(frame: pd.DataFrame) -> None:
    import pandas as pd

    frame["created"] = pd.to_datetime(frame["created"], unit="ms", utc=True)


def charges_table(charges: Rows) -> pd.DataFrame:
    """One row per charge: dollars for display, ``created`` as a UTC datetime.

    Takes Charge objects, plain dicts, or a list page as :meth:`list_charges` returns it.
    """
    rows = []
    for charge in _rows(charges):
        source = charge.get("source") or {}
        rows.append(
            {
                "id": charge.get("id"),
                "created": charge.get("created"),
                "amount": _dollars(charge.get("amount")),
                "currency": charge.get("currency"),
                "status": charge.get("status"),
                "brand": source.get("brand"),
                "last4": source.get("last4"),
                "captured": charge.get("captured"),
                "refunded": charge.get("refunded"),
                "amount_refunded": _dollars(charge.get("amount_refunded", 0)),
            }
        )
    import pandas as pd

    frame = pd.DataFrame(rows, columns=CHARGE_COLUMNS)
    _utc(frame)
    for column in ("amount", "amount_refunded"):
        frame[column] = frame[column].astype("float64")
    return frame


def refunds_table(refunds: Rows) -> pd.DataFrame:
    """One row per refund; ``refund_type`` is ``AUTH`` for a refund, ``PREAUTH`` for a void."""
    rows = []
    for refund in _rows(refunds):
        metadata = refund.get("metadata") or {}
        rows.append(
            {
                "id": refund.get("id"),
                "created": refund.get("created"),
                "charge": refund.get("charge"),
                "amount": _dollars(refund.get("amount")),
                "status": refund.get("status"),
                "reason": refund.get("reason"),
                "refund_type": metadata.get("refundType"),
            }
        )
    import pandas as pd

    frame = pd.DataFrame(rows, columns=REFUND_COLUMNS)
    _utc(frame)
    frame["amount"] = frame["amount"].astype("float64")
    return frame
