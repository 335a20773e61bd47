"""Lessons 12 and 19 and quiz 12 never state webhook retries or re-signing as Clover's.

Clover's Hosted Checkout webhook page (https://docs.clover.com/docs/ecomm-hosted-checkout-webhook)
documents no retries, and its app webhook page (https://docs.clover.com/docs/webhooks) says
nothing of retries or of guaranteed delivery: the sandbox's retries are the kit's choice
(docs/choices.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import quiz

ROOT = Path(__file__).resolve().parents[2]

# Sentences that present the sandbox's retries as Clover's behaviour.
CLAIMS = re.compile(
    r"Clover (tries again|retries|delivers (it )?(again|at least once))"
    r"|delivery is \*{0,2}at least once"
    r"|as Clover signs each retry"
    r"|longer than Clover retries"
    r"|No 2xx means a retry",
    re.IGNORECASE,
)


def _markdown(lesson: str) -> str:
    notebook = next((ROOT / "notebooks").glob(f"{lesson}_*.ipynb"))
    cells = json.loads(notebook.read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


@pytest.mark.parametrize("lesson", ["12", "19"])
def test_lesson_states_no_webhook_retry_as_clovers(lesson: str) -> None:
    text = _markdown(lesson)
    assert not CLAIMS.findall(text), CLAIMS.search(text)
    assert "docs/choices.md#hosted-checkout-webhooks" in text
    assert "design as if" in text.lower()


def test_quiz_12_webhook_question_says_design_as_if() -> None:
    # Wrong choices may state a misconception; the question, right answer and why may not.
    text = " ".join(
        " ".join([q.text, q.choices[q.letters().index(q.answer)], q.why, q.nudge])
        for q in quiz("12").questions
    )
    assert not CLAIMS.search(text), CLAIMS.search(text)
    assert "https://docs.clover.com/docs/webhooks" in text
