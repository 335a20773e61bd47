"""The card form's checks (plain functions) and the widget driven from Python."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from helpers import CardError, CloverClient, test_card
from helpers.clover.cards import TEST_CARDS
from helpers.notebook.widgets import CardForm
from helpers.notebook.widgets.card_form import (
    card_errors,
    cvv_error,
    expiry_error,
    group_digits,
    number_error,
    postal_code_error,
)
from tests.secret_scan import findings

TODAY = date(2026, 5, 15)


@pytest.mark.parametrize(
    ("typed", "live", "required"),
    [
        ("", "", "Enter the card number."),
        ("4242 4242 4242 4242", "", ""),
        ("4242-4242-4242-4242", "", ""),
        ("4242", "Keep typing: VISA numbers have 16 digits.", "Too short for a card number."),
        (
            "3782 822463",
            "Keep typing: AMEX numbers have 15 digits.",
            "Too short for a card number.",
        ),
        ("378282246310005", "", ""),
        (
            "4242 4242 4242 4241",
            "Not a valid card number (the Luhn check fails): check the digits.",
            "Not a valid card number (the Luhn check fails): check the digits.",
        ),
        (
            "1234 5678 9012 3456",
            "Unknown card brand: check the first digits.",
            "Unknown card brand: check the first digits.",
        ),
        (
            "4242 42x2",
            "Digits only (spaces and dashes are fine).",
            "Digits only (spaces and dashes are fine).",
        ),
        (
            "4" * 20,
            "Too long: a card number has at most 19 digits.",
            "Too long: a card number has at most 19 digits.",
        ),
    ],
)
def test_number_messages_while_typing_and_before_tokenizing(typed, live, required):
    assert number_error(typed) == live
    assert number_error(typed, required=True) == required


@pytest.mark.parametrize(
    ("month", "year", "message"),
    [
        ("12", "2034", ""),
        ("5", "26", ""),
        ("05", "2026", ""),
        ("04", "2026", "This card has expired."),
        ("13", "2030", "Month is 1 to 12."),
        ("0", "2030", "Month is 1 to 12."),
        ("ab", "2030", "Month is 1 to 12."),
        ("12", "203", "Year has four digits, e.g. 2030."),
        ("12", "", ""),
    ],
)
def test_expiry_must_be_this_month_or_later(month, year, message):
    assert expiry_error(month, year, today=TODAY) == message


def test_an_empty_expiry_is_an_error_only_when_required():
    assert expiry_error("", "", today=TODAY, required=True) == "Enter the expiry month and year."


@pytest.mark.parametrize(
    ("cvv", "brand", "message"),
    [
        ("123", "VISA", ""),
        ("1234", "AMEX", ""),
        ("123", "AMEX", "4 digits for AMEX."),
        ("1234", "VISA", "3 digits for VISA."),
        ("12a", "MC", "3 digits for MC."),
        ("12", None, "3 digits for this card."),
        ("", "VISA", ""),
    ],
)
def test_cvv_length_follows_the_brand(cvv, brand, message):
    assert cvv_error(cvv, brand) == message


def test_postal_codes_and_grouping():
    assert postal_code_error("") == "" and postal_code_error("94107") == ""
    assert postal_code_error("SW1A 1AA") == "" and postal_code_error("!") != ""
    assert group_digits("4242424242424242") == "4242 4242 4242 4242"
    assert group_digits("378282246310005") == "3782 822463 10005"
    assert group_digits("30569309025904") == "3056 930902 5904"


def test_card_errors_collects_every_field_and_reads_the_brand_from_the_number():
    values = {
        "number": "3782 8224 6310 005",
        "exp_month": "1",
        "exp_year": "2020",
        "cvv": "123",
        "name": "x" * 101,
        "address_zip": "?",
    }
    assert set(card_errors(values, today=TODAY)) == {"exp_month", "cvv", "name", "address_zip"}
    assert card_errors(values, today=TODAY)["cvv"] == "4 digits for AMEX."
    assert card_errors({}, today=TODAY) == {}
    assert set(card_errors({}, today=TODAY, required=True)) == {"number", "exp_month", "cvv"}


# -- the widget ---------------------------------------------------------------------------


def test_the_default_form_holds_an_approving_test_card_ready_to_send():
    form = CardForm(today=TODAY)
    card = form.card
    assert card.number == TEST_CARDS[0].number and card.brand == "VISA"
    assert (card.exp_month, card.exp_year, len(card.cvv)) == ("12", "2034", 3)
    assert form.errors == {} and "VISA" in form.brand.value
    shown = repr(form) + str(form) + form._repr_mimebundle_()["text/plain"]
    assert findings(shown, [card.number]) == [] and card.cvv not in repr(form)


def test_picking_a_test_card_fills_every_field_and_typing_unpicks_it():
    form = CardForm(today=TODAY)
    amex = test_card("approve_avs", brand="AMEX")
    form.picker.value = amex
    assert form.values["number"] == group_digits(amex.number)
    assert len(form.values["cvv"]) == 4 and form.values["address_zip"]
    form.fill(number="4242 4242 4242 4242")
    assert form.picker.value is None
    assert form.errors == {"cvv": "3 digits for VISA."}
    assert "3 digits" in form.messages["cvv"].value


def test_messages_appear_next_to_the_fields_as_they_are_typed():
    form = CardForm(test_card=None, today=TODAY)
    assert form.errors == {} and all(not box.value for box in form.messages.values())
    form.fill(number="4242 4242 4242 4241", exp_month="13", exp_year="2030")
    assert "Luhn" in form.messages["number"].value
    assert "1 to 12" in form.messages["exp_month"].value
    with pytest.raises(ValueError, match="cvv: Enter the security code"):
        _ = form.card
    assert "Enter the security code" in form.messages["cvv"].value
    with pytest.raises(ValueError, match="unknown field"):
        form.fill(pan="4242")


class FakeClient:
    def __init__(self, error: Exception | None = None) -> None:
        self.error, self.cards = error, []

    def create_token(self, card: Any) -> Any:
        self.cards.append(card)
        if self.error:
            raise self.error
        raise AssertionError("not used")


def test_tokenize_refuses_an_incomplete_form_without_sending():
    client = FakeClient()
    form = CardForm(client, test_card=None, today=TODAY)  # type: ignore[arg-type]
    form.fill(number="4242")
    assert form.tokenize() is None and client.cards == []
    assert "fix the fields" in form.result.value
    assert CardForm(today=TODAY).tokenize() is None


def test_clovers_refusal_is_shown_and_kept():
    refusal = CardError("card.cvv must be 3 digits", status=400, code="invalid_cvc")
    form = CardForm(FakeClient(refusal), today=TODAY)  # type: ignore[arg-type]
    assert form.tokenize() is None and form.error is refusal
    assert "invalid_cvc" in form.result.value


def test_the_button_tokenizes_on_the_sandbox_and_shows_the_token_masked(live: CloverClient):
    form = CardForm(live)
    form.picker.value = test_card("decline")
    form.button.click()
    token = form.token
    assert token is not None and token.card.last4 == test_card("decline").number[-4:]
    assert f"clv_••••{token.id[-4:]}" in form.result.value and token.id not in form.result.value
    assert token.id not in repr(form)
    with pytest.raises(CardError) as declined:
        live.create_charge(1500, token)
    assert declined.value.code == "card_declined"
    form.fill(exp_month="11")
    assert form.token is None, "a changed card forgets the token of the old one"
