"""CheckoutWidget on the Python side (no browser): what a notebook prints must be masked."""

from __future__ import annotations

import json

import pytest

from helpers.notebook.widgets import CheckoutWidget, TokenId, mask_token

TOKEN = "clv_1TSTSbQzPmW7ACVxNZ9v9fT"


def _widget(**kwargs: object) -> CheckoutWidget:
    return CheckoutWidget("http://127.0.0.1:8765/sdk.js", "pk_public", "MID123", **kwargs)


def test_token_prints_masked_but_is_the_real_token() -> None:
    widget = _widget(amount=2500)
    assert not widget.has_token
    widget.token = TOKEN
    assert isinstance(widget.token, TokenId)
    assert widget.has_token
    assert widget.token == TOKEN
    assert repr(widget.token) == "'clv_\u2022\u2022\u2022\u2022v9fT'"
    assert widget.token.masked == mask_token(TOKEN) == "clv_\u2022\u2022\u2022\u2022v9fT"
    # What goes over the wire to the browser is the plain token.
    assert json.loads(json.dumps(widget.get_state()["token"])) == TOKEN


def test_widget_repr_and_text_fallback_hide_the_token() -> None:
    widget = _widget(amount=2500)
    widget.token = TOKEN
    widget.card = {"brand": "VISA", "last4": "4242", "exp_month": "12", "exp_year": "2030"}
    widget.status = "tokenized"
    text = repr(widget)
    assert TOKEN not in text
    assert "clv_\u2022\u2022\u2022\u2022v9fT" in text
    assert "VISA \u2022\u2022\u2022\u20224242 12/30" in text
    assert "pk_public" not in text
    bundle = widget._repr_mimebundle_()
    plain = (bundle[0] if isinstance(bundle, tuple) else bundle)["text/plain"]
    assert TOKEN not in plain


def test_card_keeps_only_the_masked_summary() -> None:
    widget = _widget()
    widget.card = {
        "brand": "VISA",
        "last4": "4242",
        "exp_month": "12",
        "exp_year": "2030",
        "first6": "424242",
        "number": "4242424242424242",
        "cvv": "123",
    }
    assert widget.card == {"brand": "VISA", "last4": "4242", "exp_month": "12", "exp_year": "2030"}


def test_clear_forgets_the_token() -> None:
    widget = _widget()
    widget.token = TOKEN
    widget.card = {"brand": "VISA", "last4": "4242"}
    widget.errors = {"CARD_CVV": "Card CVV is invalid."}
    widget.clear()
    assert not widget.has_token
    assert widget.card == {} and widget.errors == {}
    assert widget.status == "ready"
    assert widget.card_summary == ""


@pytest.mark.parametrize("amount", [0, -1, True, 12.5, "2500"])
def test_amount_must_be_positive_cents(amount: object) -> None:
    with pytest.raises(ValueError, match="amount"):
        _widget(amount=amount)


@pytest.mark.parametrize(("sdk_url", "key"), [("", "pk"), ("http://x/sdk.js", "")])
def test_sdk_url_and_key_are_required(sdk_url: str, key: str) -> None:
    with pytest.raises(ValueError):
        CheckoutWidget(sdk_url, key, "MID")
