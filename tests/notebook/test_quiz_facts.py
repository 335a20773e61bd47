"""The quizzes say of Clover only what Clover's pages say (issue 26, "quizzes true to Clover").

Each claim below was in a quiz and is not on the Clover page it was put to, read whole in
Clover's page sources: the error codes page (https://docs.clover.com/docs/ecommerce-error-codes)
names `order_already_paid` and `token_already_used` with no status; the iframe page
(https://docs.clover.com/docs/using-the-clover-hosted-iframe) shows `createToken()` giving
`{"token": ...}` only; the app webhook page (https://docs.clover.com/docs/webhooks) never says
whether delivery is guaranteed; and `docs/appendix` is the older copy of the error codes
page. (A checkout session's 15 minutes are Clover's: "Session tokens expire 15 minutes
after creation", https://docs.clover.com/docs/creating-a-hosted-checkout-session.)
A quiz may still teach the kit's own behaviour, as the kit's choice (source
`choices.md#heading`).
"""

from __future__ import annotations

import pytest

from helpers.notebook.quiz import QUIZZES, Question

NOT_CLOVERS = {
    "409 `order_already_paid`": "a status for order_already_paid",
    "masked summary": "a card summary from createToken()",
    "not guarantee": "a word on webhook delivery guarantees",
    "not guaranteed": "a word on webhook delivery guarantees",
    "docs.clover.com/docs/appendix": "the older copy of the error codes page",
    "402 with `card_declined`": "one status for declines (Clover's pages say 400 and 402)",
}


def texts(question: Question) -> list[str]:
    """What one question states as true: its text, the right option, why, and why each
    other option is wrong (the wrong options are false on purpose)."""
    return [
        question.text,
        question.choices[question.letters().index(question.answer)],
        question.why,
        *(question.wrong or {}).values(),
        question.source,
    ]


@pytest.mark.parametrize("lesson", sorted(QUIZZES))
def test_no_quiz_states_as_clovers_what_its_pages_do_not_say(lesson: str) -> None:
    found = [
        f"q{n}: {claim!r} ({what})"
        for n, question in enumerate(QUIZZES[lesson].questions, start=1)
        for claim, what in NOT_CLOVERS.items()
        if any(claim in text for text in texts(question))
    ]
    assert not found, f"lesson {lesson} says what Clover's pages do not: {found}"
