from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.clover import cards
from helpers.clover.cards import (
    TEST_CARDS,
    Card,
    brand_of,
    cvv_length,
    expiry_in_future,
    luhn_valid,
    mask_last4,
    mask_pan,
)


@pytest.mark.parametrize("card", TEST_CARDS, ids=lambda c: c.number[-4:])
def test_every_documented_test_card_is_valid_and_branded(card: cards.TestCard) -> None:
    assert luhn_valid(card.number)
    assert brand_of(card.number) == card.brand


def test_documented_outcomes_are_all_there() -> None:
    by_outcome: dict[str, set[str]] = {}
    for card in TEST_CARDS:
        by_outcome.setdefault(card.outcome, set()).add(card.number)
    assert by_outcome["decline"] == {
        "4005571702222222",
        "375987654000004",
        "5424180273333333",
        "4264281511117771",
    }
    assert by_outcome["partial_decline"] == {"4005578003333335"}
    assert by_outcome["approve_avs"] == {
        "4761530001111126",
        "5204245250003294",
        "375186917371340",
        "6011000050617475",
    }
    assert "4242424242424242" in by_outcome["approve"]
    assert len(by_outcome["approve"]) == 8


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4242424242424242", True),
        ("4242 4242 4242 4242", True),
        ("4242-4242-4242-4242", True),
        ("4242424242424241", False),
        ("", False),
        ("0000", False),
        ("4242abcd42424242", False),
        ("4" * 20, False),
    ],
)
def test_luhn(number: str, valid: bool) -> None:
    assert luhn_valid(number) is valid


@given(st.text(alphabet="0123456789", min_size=11, max_size=18))
def test_exactly_one_check_digit_completes_a_number(body: str) -> None:
    completing = [d for d in "0123456789" if luhn_valid(body + d)]
    assert len(completing) == 1


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4111111111111111", "VISA"),
        ("5555555555554444", "MC"),
        ("2221000000000009", "MC"),
        ("378282246310005", "AMEX"),
        ("6011111111111117", "DISCOVER"),
        ("6500000000000002", "DISCOVER"),
        ("30569309025904", "DINERS_CLUB"),
        ("36227206271667", "DINERS_CLUB"),
        ("3530111333300000", "JCB"),
        ("9999999999999995", None),
        ("", None),
        ("abc", None),
    ],
)
def test_brand_of(number: str, brand: str | None) -> None:
    assert brand_of(number) == brand


def test_masks() -> None:
    assert mask_pan("4242424242424242") == "424242******4242"
    assert mask_pan("4242 4242 4242 4242") == "424242******4242"
    assert mask_pan("378282246310005") == "378282*****0005"
    assert mask_pan(4242424242424242) == "424242******4242"
    assert mask_pan("12345678") == "****5678"
    assert mask_pan("12") == "****"
    assert mask_last4("4242424242424242") == "••••4242"
    assert mask_last4("abc") == "••••"
    assert mask_last4(None) == "••••"


@given(st.text(alphabet="0123456789", min_size=13, max_size=19))
def test_mask_pan_keeps_at_most_first6_and_last4(number: str) -> None:
    masked = mask_pan(number)
    assert len(masked) == len(number)
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:]
    assert set(masked[6:-4]) == {"*"}


def test_expiry() -> None:
    today = date(2026, 5, 17)
    assert expiry_in_future(5, 2026, today) is True  # good through the end of the month
    assert expiry_in_future(4, 2026, today) is False
    assert expiry_in_future("12", "30", today) is True
    assert expiry_in_future(1, 2027, today) is True
    assert expiry_in_future(13, 2030, today) is False
    assert expiry_in_future(0, 2030, today) is False
    assert expiry_in_future("ab", 2030, today) is False
    assert expiry_in_future(12, date.today().year + 1) is True


def test_cvv_length() -> None:
    assert cvv_length("AMEX") == 4
    assert cvv_length("amex") == 4
    assert cvv_length("VISA") == 3
    assert cvv_length(None) == 3


def test_card_to_wire_and_brand_default() -> None:
    card = Card("4242 4242 4242 4242", 3, 2030, "123", address_zip="94105", name="Ada")
    assert card.brand == "VISA"
    assert card.to_wire() == {
        "number": "4242424242424242",
        "exp_month": "03",
        "exp_year": "2030",
        "cvv": "123",
        "brand": "VISA",
        "name": "Ada",
        "address_zip": "94105",
    }
    assert Card("378282246310005", "12", "2031", "1234").to_wire()["exp_month"] == "12"
    assert Card("4242424242424242", 1, 2030, "1", brand="MC").brand == "MC"


def test_card_repr_never_shows_number_or_cvv() -> None:
    card = Card("4242424242424242", 12, 2030, "987", name="Ada")
    for text in (repr(card), str(card), f"{card}", f"{[card]}"):
        assert "4242424242424242" not in text
        assert "987" not in text
        assert "424242******4242" in text


def test_test_card_helpers() -> None:
    decline = cards.test_card("decline")
    assert decline.number == "4005571702222222"
    amex = cards.test_card("approve", brand="AMEX").card()
    assert len(amex.cvv) == 4
    assert expiry_in_future(amex.exp_month, amex.exp_year)
    with pytest.raises(LookupError):
        cards.test_card("decline", brand="JCB")


def test_test_cards_table_masks_unless_asked() -> None:
    masked = cards.test_cards_table()
    assert list(masked.columns) == ["number", "brand", "outcome", "cvv_digits", "note"]
    assert len(masked) == len(TEST_CARDS)
    text = masked.to_string()
    assert all(card.number not in text for card in TEST_CARDS)
    assert masked.loc[0, "number"] == "424242******4242"
    shown = cards.test_cards_table(show_numbers=True)
    assert shown.loc[0, "number"] == "4242424242424242"
