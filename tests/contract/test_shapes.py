"""The comparison itself: a planted difference of each kind is found, and nothing else."""

from __future__ import annotations

from tests.contract.shapes import differences

SAMPLE = {
    "id": "clv_1ABC",
    "object": "token",
    "card": {"exp_month": "12", "last4": "3333", "brand": "VISA"},
    "data": [{"amount": 100, "note": None}],
}


def test_an_identical_answer_differs_in_nothing() -> None:
    answer = {**SAMPLE, "extra": 1}
    assert differences(SAMPLE, answer, ["object", "card.brand"]) == []


def test_each_planted_difference_is_named_once() -> None:
    answer = {
        "id": "clv_X",
        "object": "tokens",  # value of a `same` path
        "card": {"exp_month": 12, "brand": "VISA"},  # a type; last4 missing
        "data": [{"amount": 100, "note": 5}],  # a null in the sample matches any type
    }
    found = differences(SAMPLE, answer, ["object"])
    assert found == [
        "card.exp_month: number 12, Clover's sample has string '12'",
        "card.last4: missing (Clover's sample has '3333')",
        "object: 'tokens', Clover's sample has 'token'",
    ]


def test_an_exempt_path_and_its_children_are_not_compared() -> None:
    answer = {"id": "clv_X", "object": "token", "data": [{"amount": 1, "note": None}]}
    assert differences(SAMPLE, answer, exempt={"card"}) == []


def test_a_body_status_named_in_same_is_compared_too() -> None:
    """`status` in `same` is the HTTP status (always compared) and also the body's field."""
    sample = {"object": "refund", "status": "succeeded"}
    found = differences(sample, {"object": "refund", "status": "failed"}, ["status"])
    assert found == ["status: 'failed', Clover's sample has 'succeeded'"]
