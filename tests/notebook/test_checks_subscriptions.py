"""The checks of notebooks 14 and 15: a right prediction passes, a wrong one gets a hint."""

from __future__ import annotations

import pytest

from helpers import check_dunning_prediction, check_renewal_updates
from helpers.clover.app_webhooks import Update

INVOICES = [{"attempts": 1}, {"attempts": 1}, {"attempts": 5}]


def test_the_dunning_prediction_passes_only_when_both_guesses_are_right() -> None:
    check_dunning_prediction(INVOICES, {"active": False}, 7, False)
    with pytest.raises(AssertionError, match="Hint 1"):
        check_dunning_prediction(INVOICES, {"active": False}, 3, False)
    with pytest.raises(AssertionError, match="Hint 1"):
        check_dunning_prediction(INVOICES, {"active": False}, 7, True)


def test_the_renewal_updates_need_the_subscription_and_one_payment_per_renewal() -> None:
    created = Update("M", "subscription", "S1", "CREATE", 1)
    paid = [Update("M", "payment", f"P{n}", "CREATE", n) for n in (2, 3)]
    check_renewal_updates([created, *paid])
    with pytest.raises(AssertionError, match="Hint 1"):
        check_renewal_updates(paid)
    with pytest.raises(AssertionError, match="Hint 1"):
        check_renewal_updates([created, paid[0]])
