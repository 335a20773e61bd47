"""Charges and refunds as pandas tables, for people to read.

Amounts stay int cents in code; these tables show them as dollars (``$45.00``), the way a
reader expects money, leave a missing value blank rather than ``NaN``, and turn Clover's
millisecond timestamps into UTC datetimes. To compute with money, use the cents of the
objects themselves or :func:`helpers.ledger`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..clover.objects import CloverObject

if TYPE_CHECKING:  # pandas loads on first use: `python -m helpers.sandbox` starts faster
    import pandas as pd

__all__ = ["charges_table", "dollars", "refunds_table"]

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


def dollars(cents: Any) -> str:
    """Whole cents as dollars for a reader: 4500 -> ``$45.00``, -250 -> ``-$2.50``; None -> ""."""
    if cents is None:
        return ""
    value = int(cents)
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), 100)
    return f"{sign}${whole:,}.{part:02d}"


def _utc(frame: pd.DataFrame) -> None:
    import pandas as pd

    frame["created"] = pd.to_datetime(frame["created"], unit="ms", utc=True)


def charges_table(charges: Rows) -> pd.DataFrame:
    """One row per charge: amounts as dollars (text), ``created`` as a UTC datetime.

    Takes Charge objects, plain dicts, or a list page as :meth:`list_charges` returns it.
    """
    rows = []
    for charge in _rows(charges):
        source = charge.get("source") or {}
        rows.append(
            {
                "id": charge.get("id"),
                "created": charge.get("created"),
                "amount": dollars(charge.get("amount")),
                "currency": charge.get("currency") or "",
                "status": charge.get("status") or "",
                "brand": source.get("brand") or "",
                "last4": source.get("last4") or "",
                "captured": bool(charge.get("captured")),
                "refunded": bool(charge.get("refunded")),
                "amount_refunded": dollars(charge.get("amount_refunded", 0)),
            }
        )
    import pandas as pd

    frame = pd.DataFrame(rows, columns=CHARGE_COLUMNS)
    _utc(frame)
    return frame


def refunds_table(refunds: Rows) -> pd.DataFrame:
    """One row per refund, amounts as dollars; ``refund_type`` is ``AUTH`` for a refund,
    ``PREAUTH`` for a void; a refund without a ``reason`` shows it blank."""
    rows = []
    for refund in _rows(refunds):
        metadata = refund.get("metadata") or {}
        rows.append(
            {
                "id": refund.get("id"),
                "created": refund.get("created"),
                "charge": refund.get("charge"),
                "amount": dollars(refund.get("amount")),
                "status": refund.get("status") or "",
                "reason": refund.get("reason") or "",
                "refund_type": metadata.get("refundType") or "",
            }
        )
    import pandas as pd

    frame = pd.DataFrame(rows, columns=REFUND_COLUMNS)
    _utc(frame)
    return frame
