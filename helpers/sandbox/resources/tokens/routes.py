"""`POST /v1/tokens`: card data in, a single-use `clv_` token out (docs: create-a-card-token).

The number arrives in clear (`number`) or encrypted with the sandbox's public key
(`encrypted_pan`, with `first6` and `last4` in clear; see pan.py). Either way the full
number lives only for the length of this request: the stored token keeps the test-card
outcome, the brand, first six and last four digits, and the expiry.

`"multipay": true` next to `card` makes a token that may be charged more than once, as a
stored credential (the field's name is the local sandbox's choice: Clover documents
multi-pay tokens, made when a card is saved to a customer, but not this flag's name).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from helpers.sandbox.core.errors import card_error, invalid_request, missing
from helpers.sandbox.core.fields import (
    ascii_digits,
    boolean,
    mapping,
    reject_unknown,
    string,
    type_name,
)
from helpers.sandbox.core.http import Call
from helpers.sandbox.resources.tokens import cards

CARD_FIELDS = (
    "number",
    "encrypted_pan",
    "first6",
    "last4",
    "transarmor_key_id",
    "exp_month",
    "exp_year",
    "cvv",
    "brand",
    "name",
    "address_line1",
    "address_line2",
    "address_city",
    "address_state",
    "address_zip",
    "address_country",
)
TEXT_LIMITS = {
    "name": 100,
    "address_line1": 100,
    "address_line2": 100,
    "address_city": 60,
    "address_state": 60,
    "address_zip": 20,
    "address_country": 60,
    "transarmor_key_id": 64,
}
SEPARATORS = re.compile(r"[ -]")


def _digits(card: dict[str, Any], field: str, code: str, what: str) -> str:
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


def _valid_number(number: str, param: str) -> str:
    if not ascii_digits(number) or not 12 <= len(number) <= 19:
        raise card_error(
            "invalid_number", f"{param} must be 12 to 19 digits: check the number typed.", param
        )
    if not cards.luhn_valid(number):
        raise card_error(
            "invalid_number",
            f"{param} is not a valid card number (it fails "
            "the Luhn check): check the digits typed.",
            param,
        )
    return number


def _number(call: Call, card: dict[str, Any]) -> str:
    """The card number, from `number` or decrypted from `encrypted_pan`."""
    if card.get("encrypted_pan") is None:
        number = SEPARATORS.sub("", _digits(card, "number", "invalid_number", "card number"))
        return _valid_number(number, "card.number")
    if card.get("number") is not None:
        raise invalid_request(
            "Send card.number or card.encrypted_pan, not both: the point of "
            "encrypting is that the number never travels in clear.",
            param="card.number",
        )
    number = _valid_number(call.state.pan_key.decrypt(card["encrypted_pan"]), "card.encrypted_pan")
    for field, part in (("first6", number[:6]), ("last4", number[-4:])):
        sent = _digits(card, field, "invalid_number", f"{field} of the card number in clear")
        if sent != part:
            raise card_error(
                "invalid_number",
                f"card.{field} does not match the encrypted "
                f"number: send its {'first six' if field == 'first6' else 'last four'}"
                " digits.",
                f"card.{field}",
            )
    return number


def _expiry(card: dict[str, Any], today: dt.date) -> tuple[str, str]:
    month = _digits(card, "exp_month", "invalid_expiry_month", 'expiry month, e.g. "12"')
    if not ascii_digits(month) or not 1 <= int(month) <= 12:
        raise card_error(
            "invalid_expiry_month", "card.exp_month must be 1 to 12.", "card.exp_month"
        )
    year = _digits(card, "exp_year", "invalid_expiry_year", 'expiry year, e.g. "2030"')
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


def _brand(card: dict[str, Any], number: str) -> str:
    brand = card.get("brand")
    if brand is None:
        raise missing("card.brand", f"Send one of {', '.join(cards.BRANDS)}.")
    detected = cards.brand_of(number)
    if brand not in cards.BRANDS:
        raise card_error(
            "invalid_card_type",
            f"card.brand must be one of {', '.join(cards.BRANDS)}; got {brand!r}.",
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


def _cvv(card: dict[str, Any], brand: str) -> None:
    cvv = _digits(card, "cvv", "invalid_cvc", "card security code (CVV)")
    expected = cards.cvv_length(brand)
    if not ascii_digits(cvv) or len(cvv) != expected:
        raise card_error(
            "invalid_cvc", f"card.cvv must be {expected} digits for {brand} cards.", "card.cvv"
        )


def create_token(call: Call) -> dict[str, Any]:
    reject_unknown(call.body, ("card", "multipay"))
    multipay = boolean(call.body, "multipay", False)
    card = mapping(call.body, "card", required=True)
    assert card is not None
    reject_unknown(card, CARD_FIELDS, prefix="card")
    for field, limit in TEXT_LIMITS.items():
        string(card, field, max_length=limit, prefix="card")
    number = _number(call, card)
    exp_month, exp_year = _expiry(card, dt.datetime.now(dt.UTC).date())
    brand = _brand(card, number)
    _cvv(card, brand)

    store = call.store
    token = {
        "id": store.sequence.token_id(),
        "object": "token",
        "card": {
            "exp_month": exp_month,
            "exp_year": exp_year,
            "first6": number[:6],
            "last4": number[-4:],
            "brand": brand,
        },
        "_merchant": call.merchant_id,
        "_created": store.sequence.created_ms(),
        "_outcome": cards.outcome_of(number),
        "_address_zip": bool(card.get("address_zip")),
        "_used": False,
    }
    if multipay:
        token["_multipay"] = True
    if card.get("name"):
        token["_name"] = card["name"]
    store.put("token", token)
    return {k: v for k, v in token.items() if not k.startswith("_")}
