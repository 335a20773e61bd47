"""The check of notebook 14: a right prediction passes, a wrong one gets a hint."""

from __future__ import annotations

import pytest

from helpers import check_dunning_prediction

INVOICES = [{"attempts": 1}, {"attempts": 1}, {"attempts": 5}]


def test_the_dunning_prediction_passes_only_when_both_guesses_are_right() -> None:
    check_dunning_prediction(INVOICES, {"active": False}, 7, False)
    with pytest.raises(AssertionError, match="Hint 1"):
        check_dunning_prediction(INVOICES, {"active": False}, 3, False)
    with pytest.raises(AssertionError, match="Hint 1"):
        check_dunning_prediction(INVOICES, {"active": False}, 7, True)
