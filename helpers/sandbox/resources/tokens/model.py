"""Tokens: card data in, a single-use `clv_` token out, stored without the full number.

The stored token keeps the test-card outcome, the brand, first six and last four digits,
and the expiry; the full number lives only for the length of the call that tokenizes it.
Routes (`/v1/tokens`) and the Hosted Checkout page both tokenize through `tokenize`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from helpers import card_rules
from helpers.sandbox.core.errors import card_error, missing
from helpers.sandbox.core.fields import ascii_digits, type_name
from helpers.sandbox.core.store import Kind, Object, Store, public

# Clover's documented test cards (docs: test-card-numbers). Any other Luhn-valid number
# of a known brand is approved.
DECLINE = frozenset({"4005571702222222", "375987654000004", "5424180273333333", "4264281511117771"})
PARTIAL_APPROVAL = frozenset({"4005578003333335"})
AVS_MATCH = frozenset(
    {"4761530001111126", "5204245250003294", "375186917371340", "6011000050617475"}
)


def outcome_of(number: str) -> str:
    """`approve`, `approve_avs`, `decline`, `partial` (declined: no partial auths here), or
    `decline:REASON` for the local sandbox's own decline cards (card_rules.LOCAL_DECLINES)."""
    if number in card_rules.LOCAL_DECLINES:
        return f"decline:{card_rules.LOCAL_DECLINES[number]}"
    if number in DECLINE:
        return "decline"
    if number in PARTIAL_APPROVAL:
        return "partial"
    if number in AVS_MATCH:
        return "approve_avs"
    return "approve"


def digits(card: Mapping[str, Any], field: str, code: str, what: str) -> str:
    """A digits field of `card` as a string (an integer is taken as its digits)."""
    value = card.get(field)
    if value is None:
        raise missing(f"card.{field}", f"Send the {what}.")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise card_error(
            code,
            f"card.{field} must be a string of digits, not {type_name(value)}.",
            f"card.{field}",
        )
    return value.strip()


def valid_number(number: str, param: str) -> str:
    if not ascii_digits(number) or not 12 <= len(number) <= 19:
        raise card_error(
            "invalid_number", f"{param} must be 12 to 19 digits: check the number typed.", param
        )
    if not card_rules.luhn_valid(number):
        raise card_error(
            "invalid_number",
            f"{param} is not a valid card number (it fails "
            "the Luhn check): check the digits typed.",
            param,
        )
    return number


def _expiry(card: Mapping[str, Any], today: dt.date) -> tuple[str, str]:
    month = digits(card, "exp_month", "invalid_expiry_month", 'expiry month, e.g. "12"')
    if not ascii_digits(month) or not 1 <= int(month) <= 12:
        raise card_error(
            "invalid_expiry_month", "card.exp_month must be 1 to 12.", "card.exp_month"
        )
    year = digits(card, "exp_year", "invalid_expiry_year", 'expiry year, e.g. "2030"')
    if not ascii_digits(year) or len(year) not in (2, 4):
        raise card_error(
            "invalid_expiry_year",
            'card.exp_year must be a year of four digits (or two), e.g. "2030".',
            "card.exp_year",
        )
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    if (full_year, int(month)) < (today.year, today.month):
        raise card_error(
            "expired_card",
            "The card has expired: card.exp_month and "
            "card.exp_year are in the past. Use a future date for test cards.",
            "card.exp_year",
        )
    if full_year > today.year + 50:
        raise card_error(
            "invalid_expiry_year", "card.exp_year is too far in the future.", "card.exp_year"
        )
    return str(int(month)).zfill(2), str(full_year)


def _brand(card: Mapping[str, Any], number: str) -> str:
    """The card's brand: `card.brand` if sent, else the number's. Clover's pages disagree on
    whether `brand` is required (docs/choices.md, "Tokens and cards"): the sandbox follows
    create-a-card-token (https://docs.clover.com/docs/create-a-card-token), where it is
    optional."""
    detected = card_rules.brand_of(number)
    brand = card.get("brand")
    if brand is None and detected is not None:
        return detected
    if brand is not None and brand not in card_rules.BRANDS:
        raise card_error(
            "invalid_card_type",
            f"card.brand must be one of {', '.join(card_rules.BRANDS)}; got {brand!r}.",
            "card.brand",
        )
    if detected is None:
        raise card_error(
            "invalid_card_type",
            "card.number belongs to no brand the Ecommerce API accepts.",
            "card.number",
        )
    if brand != detected:
        raise card_error(
            "invalid_card_type",
            f"card.brand is {brand} but the number is a {detected} card: send brand {detected!r}.",
            "card.brand",
        )
    return brand


def _cvv(card: Mapping[str, Any], brand: str) -> None:
    cvv = digits(card, "cvv", "invalid_cvc", "card security code (CVV)")
    expected = card_rules.cvv_length(brand)
    if not ascii_digits(cvv) or len(cvv) != expected:
        raise card_error(
            "invalid_cvc", f"card.cvv must be {expected} digits for {brand} cards.", "card.cvv"
        )


def tokenize(
    store: Store, merchant_id: str, card: Mapping[str, Any], number: str, multipay: bool = False
) -> Object:
    """Check the card behind a valid `number` (expiry, brand, CVV) and store its token."""
    exp_month, exp_year = _expiry(card, dt.datetime.now(dt.UTC).date())
    brand = _brand(card, number)
    _cvv(card, brand)
    token: Object = {
        "id": store.sequence.token_id(),
        "object": "token",
        "card": {
            "exp_month": exp_month,
            "exp_year": exp_year,
            "first6": number[:6],
            "last4": number[-4:],
            "brand": brand,
        },
        "_merchant": merchant_id,
        "_created": store.sequence.created_ms(),
        "_outcome": outcome_of(number),
        "_address_zip": bool(card.get("address_zip")),
        "_used": False,
    }
    test_card = card_rules.THREEDS_TEST_CARDS.get(number)
    if test_card is not None:  # Clover's 3-D Secure test card: its flows (threeds/model.py)
        token["_threeds_test"] = {
            "amount": test_card.amount,
            "first": test_card.first,
            "after_method": test_card.after_method,
        }
    if multipay:
        token["_multipay"] = True
    if card.get("name"):
        token["_name"] = card["name"]
    store.put(Kind.TOKEN, token)
    return token


def get(store: Store, merchant_id: str, token_id: str) -> Object | None:
    return store.get(Kind.TOKEN, token_id, merchant_id)


def save(store: Store, token: Object) -> None:
    store.put(Kind.TOKEN, token)


def view(token: Object) -> Object:
    return public(token)
