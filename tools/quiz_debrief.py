"""Prints each lesson quiz's debrief, for a facilitator to read out after the quiz.

    .venv/bin/python tools/quiz_debrief.py          every lesson's debrief, as Markdown
    .venv/bin/python tools/quiz_debrief.py 06 12    only those lessons'

For each question: the misconception it is built on, the right answer and why, why each
other option is wrong, and the Clover page (or the kit's choice) it rests on. The questions
live in notebooks/quizzes/; this prints what helpers/notebook/quiz.py reads from them.
"""

from __future__ import annotations

import sys

from helpers.notebook.quiz import QUIZZES, quiz


def main(lessons: list[str]) -> int:
    chosen = [quiz(lesson) for lesson in lessons] if lessons else list(QUIZZES.values())
    print("\n\n".join(one.debrief() for one in chosen))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
