"""A card form drawn by the app itself: the API-only flow, where card data is yours to guard.

Unlike :class:`~helpers.notebook.widgets.CheckoutWidget` (Clover's iframes), this form is plain
ipywidgets, so the card number and the CVV pass through the kernel: exactly the position
of a server that tokenizes cards itself, with the PCI burden that comes with it. The
form checks each field as it is typed (brand, Luhn, expiry, CVV length by brand) and
shows the message next to the field; the checks are plain functions, usable without a
browser. ``form.card`` is the ``card`` of the ``/v1/tokens`` request; the Tokenize button
sends it and shows the masked token. A test card is filled in from the start, so the
notebook also runs unattended.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ...clover.cards import (
    TEST_CARDS,
    TEST_EXPIRY_YEAR,
    Card,
    TestCard,
    brand_of,
    cvv_length,
    digits_of,
    expiry_in_future,
    luhn_valid,
    mask_last4,
    mask_pan,
)
from ...clover.errors import CloverError

if TYPE_CHECKING:
    from ...clover.client import CloverClient
    from ...clover.resources.tokens import Token

__all__ = [
    "FIELDS",
    "CardForm",
    "card_errors",
    "cvv_error",
    "expiry_error",
    "group_digits",
    "number_error",
    "postal_code_error",
]

FIELDS = ("number", "exp_month", "exp_year", "cvv", "name", "address_zip")
PICKABLE = ("approve", "decline", "approve_avs")
POSTAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{1,9}")
TYPED = re.compile(r"[\d -]*")
USUAL_LENGTH = {"AMEX": 15, "DINERS_CLUB": 14}  # others: 16 (some reach 19)


# -- the checks behind the form (plain functions: nothing to click) ---------------------


def number_error(text: str, *, required: bool = False) -> str:
    """What is wrong with a typed card number, or "" when it is a valid number of a brand."""
    if not text.strip():
        return "Enter the card number." if required else ""
    if not TYPED.fullmatch(text):
        return "Digits only (spaces and dashes are fine)."
    digits = digits_of(text)
    if brand_of(digits) is None:
        return "Unknown card brand: check the first digits."
    brand = brand_of(digits)
    usual = USUAL_LENGTH.get(brand or "", 16)
    if len(digits) < usual and not required:
        return f"Keep typing: {brand} numbers have {usual} digits."
    if len(digits) < 12:
        return "Too short for a card number."
    if len(digits) > 19:
        return "Too long: a card number has at most 19 digits."
    if not luhn_valid(digits):
        return "Not a valid card number (the Luhn check fails): check the digits."
    return ""


def expiry_error(
    month: str, year: str, *, today: date | None = None, required: bool = False
) -> str:
    """What is wrong with an expiry, or "" when it is this month or later."""
    month, year = month.strip(), year.strip()
    if not month or not year:
        return "Enter the expiry month and year." if required else ""
    if not month.isdigit() or not 1 <= int(month) <= 12:
        return "Month is 1 to 12."
    if not year.isdigit() or len(year) not in (2, 4):
        return "Year has four digits, e.g. 2030."
    if not expiry_in_future(month, year, today):
        return "This card has expired."
    return ""


def cvv_error(cvv: str, brand: str | None, *, required: bool = False) -> str:
    """What is wrong with a security code for this brand (4 digits on AMEX, else 3)."""
    if not cvv.strip():
        return "Enter the security code (CVV)." if required else ""
    expected = cvv_length(brand)
    if not cvv.strip().isdigit() or len(cvv.strip()) != expected:
        return f"{expected} digits for {brand or 'this card'}."
    return ""


def postal_code_error(text: str) -> str:
    """Optional; when given, 2 to 10 letters, digits, spaces or dashes (US ZIP or other)."""
    if text.strip() and not POSTAL.fullmatch(text.strip()):
        return "A postal code is 2 to 10 letters or digits."
    return ""


def name_error(text: str) -> str:
    return "At most 100 characters." if len(text.strip()) > 100 else ""


def card_errors(
    values: Mapping[str, str], *, today: date | None = None, required: bool = False
) -> dict[str, str]:
    """Every field's message for the form's ``values`` (keys of :data:`FIELDS`).

    ``required=False`` is the live check while typing (empty fields are not errors yet);
    ``required=True`` is the check before tokenizing.
    """
    number = values.get("number", "")
    brand = brand_of(digits_of(number)) if number.strip() else None
    found = {
        "number": number_error(number, required=required),
        "exp_month": expiry_error(
            values.get("exp_month", ""), values.get("exp_year", ""), today=today, required=required
        ),
        "cvv": cvv_error(values.get("cvv", ""), brand, required=required),
        "name": name_error(values.get("name", "")),
        "address_zip": postal_code_error(values.get("address_zip", "")),
    }
    return {field: message for field, message in found.items() if message}


def group_digits(number: str) -> str:
    """``4242 4242 4242 4242``; Amex and Diners as 4-6-5 and 4-6-4, as printed on cards."""
    digits = digits_of(number)
    if brand_of(digits) in ("AMEX", "DINERS_CLUB"):
        groups = [digits[:4], digits[4:10], digits[10:]]
    else:
        groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    return " ".join(g for g in groups if g)


def _label(card: TestCard) -> str:
    what = {
        "approve": "approves",
        "decline": "declines at the charge",
        "approve_avs": "approves, AVS match",
    }[card.outcome]
    return f"{card.brand} {mask_last4(card.number)} · {what}"


# -- the widget --------------------------------------------------------------------------


class CardForm(widgets.VBox):
    """Card number, expiry, CVV, name and postal code, checked as they are typed.

    ``client`` is the :class:`~helpers.CloverClient` the Tokenize button uses. Read
    ``form.card`` (a :class:`~helpers.Card`) in the next cell, or press Tokenize and read
    ``form.token``. Printing the form shows the card masked.
    """

    def __init__(
        self,
        client: CloverClient | None = None,
        *,
        test_card: TestCard | None = TEST_CARDS[0],
        today: date | None = None,
    ) -> None:
        self.client = client
        self.today = today
        self.token: Token | None = None
        self.error: CloverError | None = None
        layout = widgets.Layout(width="210px")
        self.picker = widgets.Dropdown(
            description="Test card",
            options=[("(type your own)", None)]
            + [(_label(c), c) for c in TEST_CARDS if c.outcome in PICKABLE],
            value=None,
            style={"description_width": "90px"},
            layout=widgets.Layout(width="430px"),
        )
        self.inputs: dict[str, widgets.Text] = {
            "number": widgets.Text(placeholder="4242 4242 4242 4242", layout=layout),
            "exp_month": widgets.Text(placeholder="MM", layout=widgets.Layout(width="50px")),
            "exp_year": widgets.Text(placeholder="YYYY", layout=widgets.Layout(width="70px")),
            "cvv": widgets.Password(placeholder="CVV", layout=widgets.Layout(width="70px")),
            "name": widgets.Text(placeholder="Name on card", layout=layout),
            "address_zip": widgets.Text(
                placeholder="Postal code", layout=widgets.Layout(width="110px")
            ),
        }
        self.brand = widgets.HTML(layout=widgets.Layout(width="110px"))
        self.messages = {
            field: widgets.HTML() for field in ("number", "exp_month", "cvv", "name", "address_zip")
        }
        self.button = widgets.Button(description="Tokenize", button_style="success", icon="lock")
        self.result = widgets.HTML()
        self.button.on_click(lambda _: self.tokenize())
        for field in FIELDS:
            self.inputs[field].observe(self._on_typing, names="value")
        self.picker.observe(self._on_pick, names="value")

        def row(label: str, *items: widgets.Widget) -> widgets.HBox:
            caption = widgets.Label(label, layout=widgets.Layout(width="90px"))
            return widgets.HBox([caption, *items])

        i, m = self.inputs, self.messages
        super().__init__(
            [
                self.picker,
                row("Card number", i["number"], self.brand, m["number"]),
                row("Expiry", i["exp_month"], widgets.Label("/"), i["exp_year"], m["exp_month"]),
                row("CVV", i["cvv"], m["cvv"]),
                row("Name", i["name"], m["name"]),
                row("Postal code", i["address_zip"], m["address_zip"]),
                widgets.HBox([self.button, self.result]),
            ]
        )
        if test_card is not None:
            self.picker.value = test_card
        self._show()

    # -- values and checks ---------------------------------------------------------------

    @property
    def values(self) -> dict[str, str]:
        """What is typed in each field, as text."""
        return {field: self.inputs[field].value for field in FIELDS}

    def fill(self, **values: str) -> None:
        """Type into fields by name (``number=``, ``exp_month=``...), as a person would."""
        unknown = set(values) - set(FIELDS)
        if unknown:
            raise ValueError(f"unknown field {sorted(unknown)[0]!r}; fields: {FIELDS}")
        for field, value in values.items():
            self.inputs[field].value = str(value)

    @property
    def errors(self) -> dict[str, str]:
        """The messages shown now, field by field (empty fields are not errors yet)."""
        return card_errors(self.values, today=self.today)

    @property
    def card(self) -> Card:
        """The card as the ``card`` of ``POST /v1/tokens``; ValueError lists what is wrong."""
        values = self.values
        problems = card_errors(values, today=self.today, required=True)
        if problems:
            self._show(required=True)
            listed = "; ".join(f"{field}: {message}" for field, message in problems.items())
            raise ValueError(f"the card form is not complete: {listed}")
        return Card(
            values["number"],
            values["exp_month"].strip().zfill(2),
            values["exp_year"].strip(),
            values["cvv"].strip(),
            name=values["name"].strip() or None,
            address_zip=values["address_zip"].strip() or None,
        )

    # -- tokenizing ----------------------------------------------------------------------

    def tokenize(self) -> Token | None:
        """What the Tokenize button does: ``POST /v1/tokens`` with this card, shown masked.

        Returns the token, or None when the form or Clover refused (the reason is shown
        next to the button and kept in ``form.error``).
        """
        self.token, self.error = None, None
        if self.client is None:
            self._result("No client: create the form as CardForm(client).", ok=False)
            return None
        try:
            card = self.card
        except ValueError:
            self._result("Please fix the fields marked in red.", ok=False)
            return None
        try:
            self.token = self.client.create_token(card)
        except CloverError as err:
            self.error = err
            self._result(f"{err.code or err.status}: {err.message}", ok=False)
            return None
        summary = f"{self.token.card.brand} ••••{self.token.card.last4}"
        self._result(f"Token {self.token.masked()['id']} for {summary}", ok=True)
        return self.token

    # -- display -------------------------------------------------------------------------

    def _on_pick(self, change: dict[str, Any]) -> None:
        picked: TestCard | None = change["new"]
        if picked is None:
            return
        self.fill(
            number=group_digits(picked.number),
            exp_month="12",
            exp_year=str(TEST_EXPIRY_YEAR),
            cvv="1234"[: cvv_length(picked.brand)],
            name="Ada Lovelace",
            address_zip="94107",
        )

    def _on_typing(self, change: dict[str, Any]) -> None:
        picked = self.picker.value
        if picked is not None and digits_of(self.inputs["number"].value) != picked.number:
            self.picker.value = None
        self.token = None
        self._show()

    def _show(self, required: bool = False) -> None:
        problems = card_errors(self.values, today=self.today, required=required)
        for field, box in self.messages.items():
            text = problems.get(field, "")
            box.value = f"<span style='color:#c62828'>{html.escape(text)}</span>" if text else ""
        number = digits_of(self.inputs["number"].value)
        brand = brand_of(number) if number else None
        mark = " ✓" if brand and "number" not in problems and len(number) >= 12 else ""
        self.brand.value = f"<b>{brand}</b>{mark}" if brand else ""

    def _result(self, text: str, ok: bool) -> None:
        color = "#1f7a4d" if ok else "#c62828"
        self.result.value = f"<span style='color:{color}'>{html.escape(text)}</span>"

    def __repr__(self) -> str:
        number = digits_of(self.inputs["number"].value)
        values = self.values
        parts = [
            f"number={mask_pan(number) if number else ''!r}",
            f"brand={brand_of(number) if number else None!r}",
            f"exp={values['exp_month']}/{values['exp_year']}",
            f"cvv={'•' * len(values['cvv'])!r}",
        ]
        if self.errors:
            parts.append(f"errors={self.errors!r}")
        if self.token is not None:
            parts.append(f"token={self.token.masked()['id']!r}")
        return f"CardForm({', '.join(parts)})"

    __str__ = __repr__
