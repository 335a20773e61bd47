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


def test_the_renewal_updates_need_one_payment_per_renewal_and_no_subscription_key() -> None:
    """Clover's app webhooks have no key for a subscription
    (https://docs.clover.com/docs/webhooks): 15's exercise required a `SUB:` CREATE."""
    customer = Update("M", "customer", "C1", "CREATE", 1)
    renewals = [
        Update("M", kind, f"{kind[0]}{n}", "CREATE", n)
        for n in (2, 3)
        for kind in ("order", "payment")
    ]
    check_renewal_updates([customer, *renewals])
    check_renewal_updates(renewals)  # the customer's CREATE is not what is asked
    with pytest.raises(AssertionError, match="Hint 1"):
        check_renewal_updates([customer, *renewals[:3]])
    invented = Update("M", "SUB", "S1", "CREATE", 1)  # the sandbox's old, invented key
    with pytest.raises(AssertionError, match="Hint 1"):
        check_renewal_updates([invented, *renewals])
