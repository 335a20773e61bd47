"""Card-brand rules, in one place: brands, number prefixes, lengths, CVV lengths, Luhn.

A stdlib-only leaf shared by both wings of `helpers`: the local sandbox's tokenizer and its
card-field iframe (`widget.js` receives `as_json()`), and the merchant app's side. Brand
names are Clover's (`card.brand` on `/v1/tokens`: VISA, MC, AMEX, DISCOVER, DINERS_CLUB,
JCB). Prefixes are the card networks' published ranges: Discover includes 6011, 644-649,
65 and the 622126-622925 co-branded range (China UnionPay cards Discover accepts);
Mastercard 51-55 and 2221-2720; Diners Club 300-305, 3095, 36, 38-39; JCB 3528-3589.

It also holds the local sandbox's own decline test cards (`LOCAL_DECLINES`) and Clover's
3-D Secure test cards (`THREEDS_TEST_CARDS`), because the sandbox's tokenizer and the
client's test-card list must name the same numbers.

This module imports nothing from the project, so anything may import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BRANDS",
    "LOCAL_DECLINES",
    "NUMBER_LENGTHS",
    "RULES",
    "THREEDS_TEST_CARDS",
    "BrandRule",
    "ThreeDSTestCard",
    "as_json",
    "brand_of",
    "cvv_length",
    "digits_of",
    "is_plausible",
    "luhn_valid",
    "rule_of",
]

NUMBER_LENGTHS = range(12, 20)
"""Every brand's numbers are 12 to 19 digits long; the tokenizer refuses any other length."""


@dataclass(frozen=True)
class BrandRule:
    """One brand: its prefix ranges, the lengths its numbers have, its CVV's length."""

    brand: str
    label: str
    prefixes: tuple[tuple[int, int], ...]
    """Inclusive `(low, high)` ranges of leading digits; both ends have the same width."""
    lengths: tuple[int, ...]
    cvv_length: int

    def matches(self, digits: str) -> bool:
        """Whether the number's leading digits fall in one of this brand's ranges."""
        for low, high in self.prefixes:
            width = len(str(low))
            if len(digits) >= width and low <= int(digits[:width]) <= high:
                return True
        return False


RULES: tuple[BrandRule, ...] = (
    BrandRule("VISA", "VISA", ((4, 4),), (13, 16, 19), 3),
    BrandRule("MC", "MASTERCARD", ((51, 55), (2221, 2720)), (16,), 3),
    BrandRule("AMEX", "AMEX", ((34, 34), (37, 37)), (15,), 4),
    BrandRule(
        "DISCOVER",
        "DISCOVER",
        ((6011, 6011), (644, 649), (65, 65), (622126, 622925)),
        (16, 17, 18, 19),
        3,
    ),
    BrandRule(
        "DINERS_CLUB",
        "DINERS",
        ((300, 305), (3095, 3095), (36, 36), (38, 39)),
        (14, 15, 16, 17, 18, 19),
        3,
    ),
    BrandRule("JCB", "JCB", ((3528, 3589),), (16, 17, 18, 19), 3),
)

BRANDS: tuple[str, ...] = tuple(rule.brand for rule in RULES)
"""Brand names exactly as Clover writes them in `card.brand`."""

_BY_BRAND = {rule.brand: rule for rule in RULES}


_SEPARATORS = re.compile(r"[\s-]")


def digits_of(number: str | int) -> str:
    """The card number without the spaces or dashes people type between groups."""
    return _SEPARATORS.sub("", str(number))


def _ascii_digits(digits: str) -> bool:
    """Only 0-9: `str.isdigit()` also takes full-width digits, which Luhn misreads."""
    return digits.isascii() and digits.isdigit()


def luhn_valid(number: str | int) -> bool:
    """The Luhn checksum alone, which every card number passes (ASCII digits only). It
    catches most typing mistakes; it says nothing about whether the card exists."""
    digits = digits_of(number)
    if not _ascii_digits(digits):
        return False
    # From the right: every first digit as it is, every second one doubled (its digits
    # summed): the sums taken in C, which the sandbox's tokenizer does on every card.
    kept = sum(map(int, digits[-1::-2]))
    doubled = sum(map(_DOUBLED.__getitem__, map(int, digits[-2::-2])))
    return (kept + doubled) % 10 == 0


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # a digit doubled, its two digits summed


def is_plausible(number: str | int) -> bool:
    """12 to 19 digits passing Luhn: worth sending to the tokenizer."""
    digits = digits_of(number)
    return len(digits) in NUMBER_LENGTHS and luhn_valid(digits)


def rule_of(number: str | int) -> BrandRule | None:
    """The brand rule a number's leading digits name, or None for no accepted brand."""
    digits = digits_of(number)
    if not _ascii_digits(digits):
        return None
    for rule in RULES:
        if rule.matches(digits):
            return rule
    return None


def brand_of(number: str | int) -> str | None:
    """Clover's brand name for a card number from its leading digits, or None."""
    rule = rule_of(number)
    return rule.brand if rule else None


def cvv_length(brand: str | None) -> int:
    """How many digits the security code has: 4 on American Express, 3 elsewhere."""
    rule = _BY_BRAND.get((brand or "").upper())
    return rule.cvv_length if rule else 3


def as_json() -> list[dict[str, Any]]:
    """The rules as JSON for a browser (the card field's `widget.js`), in detection order."""
    return [
        {
            "name": rule.brand,
            "label": rule.label,
            "ranges": [list(r) for r in rule.prefixes],
            "lengths": list(rule.lengths),
            "cvv": rule.cvv_length,
        }
        for rule in RULES
    ]


LOCAL_DECLINES: dict[str, str] = {
    "4000009900000517": "insufficient_funds",
    "4000009900000541": "expired_card",
    "4000009900000822": "cvv_mismatch",
    "4000009900000830": "avs_mismatch",
    "4000009900000590": "suspected_fraud",
    "4000009900000913": "processor_unavailable",
}
"""LOCAL SANDBOX ONLY: Visa numbers whose charge is declined with one named reason.

Clover's test-card page (https://docs.clover.com/docs/test-card-numbers) documents cards
that decline, all with one generic answer; its stored copy names no card or amount per
decline reason. These numbers are the kit's own choice, so a shop can rehearse each answer
it must handle; on Clover's real sandbox they are ordinary numbers and are approved. The
three digits before the check digit are the ISO 8583 response code of that decline (51
insufficient funds, 54 expired card, 82 CVV, 83 AVS, 59 suspected fraud, 91 issuer or
switch unavailable). Each passes Luhn and tokenizes normally; the decline comes at the
charge, as with Clover's own decline cards.
"""


@dataclass(frozen=True)
class ThreeDSTestCard:
    """One of Clover's 3-D Secure sandbox test cards: the amount Clover lists it with, the
    first answer of `POST /v1/charges` at that amount, and (after a method flow) the answer
    of `POST /v1/charges/finalize_payment`."""

    brand: str
    amount: int
    first: str  # "method", "challenge", "success" or "decline"
    after_method: str | None = None  # "challenge", "success" or "decline"
    clover_says: str = ""  # what Clover's pages say of this card; empty: the kit's choice


THREEDS_TEST_CARDS: dict[str, ThreeDSTestCard] = {
    "373953192351004": ThreeDSTestCard(
        "AMEX",
        25001,
        "method",
        "success",
        "Successful response following successful authentication "
        "(https://docs.clover.com/dev/docs/test-3ds-integration-in-sandbox)",
    ),
    "6011000990139424": ThreeDSTestCard(
        "DISCOVER",
        6677,
        "challenge",
        None,
        "Successful response following authentication challenge "
        "(https://docs.clover.com/dev/docs/test-3ds-integration-in-sandbox)",
    ),
    "4012000033330026": ThreeDSTestCard("VISA", 25001, "method", "challenge"),
    "4001230000000129": ThreeDSTestCard("VISA", 1000, "success"),
    "4811326490014875": ThreeDSTestCard("VISA", 1009, "method", "decline"),
    "4043130007524792": ThreeDSTestCard("VISA", 7001, "decline"),
}
"""Clover's 3-D Secure sandbox test cards, by card and amount as
https://docs.clover.com/docs/3ds-secure-configure-sdk lists them. That page does not say
which flow each card runs; its sibling https://docs.clover.com/dev/docs/test-3ds-integration-in-sandbox
says it for two (`clover_says`). For the other four the flow is the kit's choice
(docs/choices.md, 3-D Secure), picked so that the six together run every answer Clover's
page lists: frictionless success, method flow then success, challenge or decline, a
challenge, and a decline. At another amount a card authenticates frictionlessly."""
