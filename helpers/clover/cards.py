"""Card numbers: checking them, naming their brand, masking them, and Clover's test cards.

A merchant app that tokenizes cards itself (the API-only flow) must validate what a shopper
typed before sending it, and must never print or store the full number or the CVV. These
helpers do both, and list the test cards Clover documents for its sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from .. import card_rules
from ..card_rules import BRANDS, brand_of, cvv_length, digits_of
from ..masking import mask_last4, mask_pan

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BRANDS",
    "LOCAL_DECLINE_CARDS",
    "TEST_CARDS",
    "Card",
    "TestCard",
    "brand_of",
    "cvv_length",
    "digits_of",
    "expiry_in_future",
    "local_decline_card",
    "luhn_valid",
    "mask_last4",
    "mask_pan",
    "test_card",
    "test_cards_table",
]

Outcome = Literal["approve", "approve_avs", "decline", "partial_decline"]

# The brands, their prefixes, lengths and CVV lengths come from the one table the local
# sandbox's tokenizer and card fields use too (helpers/card_rules.py).
luhn_valid = card_rules.is_plausible
"""True when a number is 12 to 19 digits and passes the Luhn checksum: it catches most
typing mistakes before a request is sent, and says nothing about whether the card exists."""


def expiry_in_future(month: int | str, year: int | str, today: date | None = None) -> bool:
    """True while a card with this expiry can still be charged.

    A card is good through the last day of its expiry month. Two-digit years mean 20YY.
    """
    try:
        month_number = int(month)
        year_number = int(year)
    except (TypeError, ValueError):
        return False
    if not 1 <= month_number <= 12 or year_number < 0:
        return False
    if year_number < 100:
        year_number += 2000
    today = today or date.today()
    return (year_number, month_number) >= (today.year, today.month)


def _wire_month(month: int | str) -> str:
    return f"{month:02d}" if isinstance(month, int) else str(month)


@dataclass(repr=False)
class Card:
    """Raw card data a shopper typed, as the API-only flow sends it to ``/v1/tokens``.

    Its repr shows the masked number and never the CVV, so printing a card is safe.
    """

    number: str
    exp_month: int | str
    exp_year: int | str
    cvv: str
    brand: str | None = None
    name: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    address_city: str | None = None
    address_state: str | None = None
    address_zip: str | None = None
    address_country: str | None = None

    def __post_init__(self) -> None:
        self.number = digits_of(self.number)
        self.cvv = str(self.cvv)
        if self.brand is None:
            self.brand = brand_of(self.number)

    def to_wire(self) -> dict[str, str]:
        """The ``card`` object of ``POST /v1/tokens``; expiry month and year as strings."""
        wire: dict[str, str] = {
            "number": self.number,
            "exp_month": _wire_month(self.exp_month),
            "exp_year": str(self.exp_year),
            "cvv": self.cvv,
        }
        if self.brand is not None:
            wire["brand"] = self.brand
        for field in fields(self):
            if field.name == "name" or field.name.startswith("address_"):
                value = getattr(self, field.name)
                if value is not None:
                    wire[field.name] = str(value)
        return wire

    @property
    def last4(self) -> str:
        return self.number[-4:]

    def __repr__(self) -> str:
        parts = [
            f"number={mask_pan(self.number)!r}",
            f"brand={self.brand!r}",
            f"exp={_wire_month(self.exp_month)}/{self.exp_year}",
            "cvv='•••'",
        ]
        if self.name:
            parts.append(f"name={self.name!r}")
        if self.address_zip:
            parts.append(f"address_zip={self.address_zip!r}")
        return f"Card({', '.join(parts)})"

    __str__ = __repr__


# A fixed future year, not "today + N", so that stored notebook outputs stay the same.
TEST_EXPIRY_YEAR = 2034


@dataclass(frozen=True)
class TestCard:
    """One card number Clover's sandbox documents, and what charging it does."""

    __test__ = False  # a data class, not a test case

    number: str
    brand: str
    outcome: Outcome
    note: str = ""

    def card(
        self,
        *,
        exp_month: int | str = 12,
        exp_year: int | str | None = None,
        cvv: str | None = None,
        **extra: Any,
    ) -> Card:
        """A :class:`Card` with this number, a future expiry and a CVV of the right length."""
        year = exp_year if exp_year is not None else TEST_EXPIRY_YEAR
        code = cvv if cvv is not None else "1234"[: cvv_length(self.brand)]
        return Card(self.number, exp_month, year, code, brand=self.brand, **extra)


TEST_CARDS: list[TestCard] = [
    TestCard("4242424242424242", "VISA", "approve", "the everyday approval"),
    TestCard("6011361000006668", "DISCOVER", "approve"),
    TestCard("378282246310005", "AMEX", "approve", "4-digit CVV"),
    TestCard("371449635398431", "AMEX", "approve", "4-digit CVV"),
    TestCard("30569309025904", "DINERS_CLUB", "approve", "14 digits"),
    TestCard("38520000023237", "DINERS_CLUB", "approve", "14 digits"),
    TestCard("3566002020360505", "JCB", "approve"),
    TestCard("4000056655665556", "VISA", "approve", "debit"),
    TestCard("4761530001111126", "VISA", "approve_avs", "approves with an AVS match"),
    TestCard("5204245250003294", "MC", "approve_avs", "approves with an AVS match"),
    TestCard("375186917371340", "AMEX", "approve_avs", "approves with an AVS match"),
    TestCard("6011000050617475", "DISCOVER", "approve_avs", "approves with an AVS match"),
    TestCard("4005571702222222", "VISA", "decline", "tokenizes, then the charge is declined"),
    TestCard("375987654000004", "AMEX", "decline", "tokenizes, then the charge is declined"),
    TestCard("5424180273333333", "MC", "decline", "tokenizes, then the charge is declined"),
    TestCard("4264281511117771", "VISA", "decline", "tokenizes, then the charge is declined"),
    TestCard(
        "4005578003333335",
        "VISA",
        "partial_decline",
        "a partial approval elsewhere; declined here (no partial authorizations)",
    ),
]


LOCAL_DECLINE_CARDS: dict[str, TestCard] = {
    reason: TestCard(number, "VISA", "decline", f"LOCAL SANDBOX ONLY: declined, {reason}")
    for number, reason in card_rules.LOCAL_DECLINES.items()
}
"""The local sandbox's own decline cards, one per reason a shop must handle (see
``helpers/card_rules.py``). Clover's real sandbox approves these numbers."""


def local_decline_card(reason: str) -> TestCard:
    """The local sandbox's card declined for ``reason``: ``insufficient_funds``,
    ``expired_card``, ``cvv_mismatch``, ``avs_mismatch``, ``suspected_fraud`` or
    ``processor_unavailable``. Local sandbox only: Clover documents no such cards."""
    try:
        return LOCAL_DECLINE_CARDS[reason]
    except KeyError:
        known = ", ".join(LOCAL_DECLINE_CARDS)
        raise LookupError(f"no local decline card for {reason!r}; pick one of {known}") from None


def test_card(outcome: Outcome = "approve", brand: str | None = None) -> TestCard:
    """The first documented test card with this outcome (and brand, if given)."""
    for candidate in TEST_CARDS:
        if candidate.outcome == outcome and (brand is None or candidate.brand == brand):
            return candidate
    raise LookupError(f"no documented test card with outcome={outcome!r} and brand={brand!r}")


test_card.__test__ = False  # type: ignore[attr-defined]


def test_cards_table(show_numbers: bool = False) -> pd.DataFrame:
    """Clover's test cards as a table; numbers are masked unless ``show_numbers``."""
    import pandas as pd

    rows = [
        {
            "number": card.number if show_numbers else mask_pan(card.number),
            "brand": card.brand,
            "outcome": card.outcome,
            "cvv_digits": cvv_length(card.brand),
            "note": card.note,
        }
        for card in TEST_CARDS
    ]
    return pd.DataFrame(rows, columns=["number", "brand", "outcome", "cvv_digits", "note"])


test_cards_table.__test__ = False  # type: ignore[attr-defined]
