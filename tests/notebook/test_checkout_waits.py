"""Lesson 01's Step 4 waits for the shopper in a live lab, and only a run with no front end
stands in for them (a trial's Run All in JupyterLab tokenized in Python while the card fields
were on screen, because the page had not drawn them yet: `status` still read "new").
tests/workshop/test_lab_checkout.py drives the same in a real JupyterLab."""

from __future__ import annotations

import pytest

from helpers import CheckoutWidget
from helpers.notebook.widgets.checkout import NO_FRONT_END


def widget() -> CheckoutWidget:
    return CheckoutWidget("http://127.0.0.1:9/sdk.js", "public-key", "PNWDC0FFEE001", amount=1358)


def test_a_live_lab_waits_even_before_the_page_has_drawn_the_fields(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(NO_FRONT_END, raising=False)
    fresh = widget()
    assert fresh.status == "new" and fresh.on_screen


def test_only_a_run_with_no_front_end_may_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NO_FRONT_END, "1")
    fresh = widget()
    assert not fresh.on_screen
    fresh.status = "ready"  # a page drew it after all: the shopper pays
    assert fresh.on_screen
