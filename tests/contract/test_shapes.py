"""The comparison engine itself: a planted difference of each kind is found, and nothing else."""

from __future__ import annotations

from typing import Any

from helpers.sandbox.compare.engine import compare_answers, string_shape

SAMPLE = {
    "id": "clv_1ABC",
    "object": "token",
    "card": {"exp_month": "12", "last4": "3333", "brand": "VISA"},
    "data": [{"amount": 100, "note": None}],
}


def lines(clover: Any, local: Any, **options: Any) -> list[str]:
    found = compare_answers(
        {"status": 200, "body": clover}, {"status": 200, "body": local}, **options
    )
    return [d.line() + (" (chosen)" if d.choice else "") for d in found]


def test_an_identical_answer_differs_in_nothing() -> None:
    answer = {**SAMPLE, "extra": 1}
    assert lines(SAMPLE, answer, same=["object", "card.brand"]) == []


def test_each_planted_difference_in_a_sample_is_named_once() -> None:
    answer = {
        "id": "clv_X",
        "object": "tokens",  # value of a `same` path
        "card": {"exp_month": 12, "brand": "VISA"},  # a type; last4 missing
        "data": [{"amount": 100, "note": 5}],  # a null in the sample matches any type
    }
    assert lines(SAMPLE, answer, same=["object"]) == [
        "card.exp_month: type: Clover string '12', local number 12",
        "card.last4: missing: Clover '3333', local (absent)",
        "object: value: Clover 'token', local 'tokens'",
    ]


def test_a_chosen_path_and_its_children_are_marked_as_the_kits() -> None:
    answer = {"id": "clv_X", "object": "token", "data": [{"amount": 1, "note": None}]}
    assert lines(SAMPLE, answer, choices={"card": "see docs/choices.md#general"}) == [
        "card.exp_month: missing: Clover '12', local (absent) (chosen)",
        "card.last4: missing: Clover '3333', local (absent) (chosen)",
        "card.brand: missing: Clover 'VISA', local (absent) (chosen)",
    ]


def test_a_body_status_named_in_same_is_compared_too() -> None:
    """`status` in `same` is the body's field; the HTTP status is `HTTP status`."""
    sample = {"object": "refund", "status": "succeeded"}
    found = lines(sample, {"object": "refund", "status": "failed"}, same=["status"])
    assert found == ["status: value: Clover 'succeeded', local 'failed'"]


CHARGE = {
    "id": "V7XEP03K5JJMB",
    "amount": 1800,
    "created": 1796659124644,
    "captured": True,
    "status": "succeeded",
    "ref_num": "803107543498",
    "source": {"id": "clv_••••tU4Q", "brand": "VISA"},
    "error": {"code": "card_declined", "declineCode": "issuer_declined"},
}


def test_a_recording_is_compared_both_ways_ids_and_times_by_shape() -> None:
    local = {**CHARGE, "id": "QQ2R0P5ZT9BWA", "created": 1796659999999, "ref_num": "1"}
    assert lines(CHARGE, local, complete=True) == []


def test_each_kind_of_difference_in_a_recording() -> None:
    local = {
        "id": "not an id",  # format
        "amount": 18.0,  # a number still, but not the same amount
        "created": 1796659124,  # seconds, Clover answered milliseconds
        "captured": False,  # a boolean's value
        "status": "SUCCEEDED",  # an enum's value
        "reference_number": "803107543498",  # renamed
        "source": {"id": "clv_••••tU4Q", "brand": "VISA", "last4": "4242"},  # extra
        "error": {"code": "card_declined", "decline_code": "issuer_declined"},  # renamed
    }
    assert lines(CHARGE, local, complete=True) == [
        "ref_num: renamed: Clover ref_num, local reference_number",
        "id: format: Clover 13-character id 'V7XEP03K5JJMB', local text 'not an id'",
        "amount: value: Clover 1800, local 18.0",
        "created: format: Clover time in milliseconds 1796659124644, "
        "local time in seconds 1796659124",
        "captured: value: Clover True, local False",
        "status: enum: Clover 'succeeded', local 'SUCCEEDED'",
        "source.last4: extra: Clover (absent), local '4242'",
        "error.declineCode: renamed: Clover declineCode, local decline_code",
    ]


def test_amounts_in_cents_and_headers_that_matter() -> None:
    clover = {"status": 429, "body": {"amount": 1358}, "headers": {"retry-after": "2"}}
    local = {"status": 400, "body": {"amount": 13.58}, "headers": {"content-type": "x"}}
    found = [d.line() for d in compare_answers(clover, local, complete=True)]
    assert found == [
        "HTTP status: status: Clover 429, local 400",
        "amount: format: Clover integer 1358, local decimal 13.58",
        "headers.retry-after: header: Clover '2', local (absent)",
    ]


def test_string_shapes() -> None:
    assert [string_shape(s) for s in ("", "clv_1", "•••", "https://x", "2026-12-07T10:00")] == [
        "empty",
        "clv_ token",
        "masked",
        "URL",
        "ISO time",
    ]
    assert [string_shape(s) for s in ("ABCDEFGHJKMNP", "4242", "card_declined", "a b")] == [
        "13-character id",
        "digits",
        "word",
        "text",
    ]
