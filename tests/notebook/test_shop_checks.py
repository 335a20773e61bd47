"""The check of notebook 19: the right answer passes, each wrong one names its fix (20's is
in test_transfer_checks.py)."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import check_lost_answer

WHY = "b"
ONE_KEY = [{"idempotency_key": "k1", "status": "succeeded"}]
ONE_CHARGE = [{"id": "ch_1"}]
CHARGE = {"method": "POST", "path": "/v1/charges", "idempotency_key": "k1"}
LOST = [{**CHARGE, "result": "connection dropped"}, {**CHARGE, "replayed": True}]
NOT_LOST = [{**CHARGE, "result": "succeeded"}]  # three presses, no fault: one charge, one key


def test_the_lost_answer_prediction_passes(capsys: pytest.CaptureFixture[str]) -> None:
    check_lost_answer(1, True, WHY, ONE_KEY, ONE_CHARGE, LOST)
    assert capsys.readouterr().out.startswith("✅ One charge on Clover")


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("one", True, WHY, ONE_KEY, ONE_CHARGE, LOST), "as a number"),
        ((1, "yes", WHY, ONE_KEY, ONE_CHARGE, LOST), "True or False"),
        # a sentence that holds a keyword ("again") passed before: a letter is asked now
        ((1, True, "They just pay again with a new key.", ONE_KEY, ONE_CHARGE, LOST), "one letter"),
        ((1, True, "B", ONE_KEY, ONE_CHARGE, LOST), "one letter"),
        ((1, True, WHY, [], [], LOST), "no paid attempt"),
        # three plain presses passed before: one charge under one key, no answer ever lost
        ((1, True, WHY, ONE_KEY, ONE_CHARGE, NOT_LOST), "no lost answer"),
        ((2, True, WHY, ONE_KEY, ONE_CHARGE, LOST), "Clover holds 1"),
        ((1, False, WHY, ONE_KEY, ONE_CHARGE, LOST), "1 different key"),
        ((1, True, "a", ONE_KEY, ONE_CHARGE, LOST), "same one as before"),
        ((1, True, "c", ONE_KEY, ONE_CHARGE, LOST), "A key holds no money"),
        ((1, True, "d", ONE_KEY, ONE_CHARGE, LOST), "24 hours"),
    ],
)
def test_each_wrong_lost_answer_gets_its_hint(args: tuple[Any, ...], hint: str) -> None:
    with pytest.raises(AssertionError, match=hint):
        check_lost_answer(*args)
