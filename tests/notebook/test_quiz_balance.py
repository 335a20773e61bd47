"""The quizzes test understanding, not the shape of the options (issue 26).

Measured before this file: the right option was the longest in 31 of 77 questions (36 when
a tie counts), so a learner who always picked the longest scored well; a first rebuild then
made it the shortest in 32 of 61, the same tell reversed, so both are bounded. Each lesson's
questions now live in notebooks/quizzes/NN_name.toml, each built on a misconception, with why
every wrong option is wrong, its source, and one question per quiz that reaches back to an
earlier lesson.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.notebook.quiz import QUIZ_DIR, QUIZZES, Question, load_quiz
from tests.support import choice_anchors

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(QUIZZES)


def right_is(extreme: str, question: Question) -> bool:
    """The right option is at least as long (``longest``) or as short (``shortest``), in
    characters, as every other option of its question: a tie counts."""
    right = question.letters().index(question.answer)
    others = [len(choice) for n, choice in enumerate(question.choices) if n != right]
    mine = len(question.choices[right])
    return mine >= max(others) if extreme == "longest" else mine <= min(others)


@pytest.mark.parametrize("extreme", ["longest", "shortest"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_the_right_option_is_the_longest_or_shortest_in_at_most_a_third(
    lesson: str, extreme: str
) -> None:
    """Picking the longest option (or, once that is fixed, the shortest) must not pay."""
    questions = QUIZZES[lesson].questions
    marked = [f"q{n}" for n, q in enumerate(questions, start=1) if right_is(extreme, q)]
    assert len(marked) * 3 <= len(questions), (
        f"quiz {lesson}: the right option is the {extreme} in {marked} of {len(questions)}"
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_option_set_is_balanced(lesson: str) -> None:
    for n, question in enumerate(QUIZZES[lesson].questions, start=1):
        lengths = [len(choice) for choice in question.choices]
        assert max(lengths) <= 2 * min(lengths), f"quiz {lesson} q{n}: option lengths {lengths}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_quiz_reaches_back_to_one_earlier_lesson(lesson: str) -> None:
    recalls = [q.recalls for q in QUIZZES[lesson].questions if q.recalls]
    assert len(recalls) == 1, f"quiz {lesson}: reaches back in {len(recalls)} questions"
    earlier = recalls[0]
    assert earlier < lesson, f"quiz {lesson} reaches back to {earlier}, not an earlier lesson"
    assert list((ROOT / "notebooks").glob(f"{earlier}_*.ipynb")), f"no lesson {earlier}"
    question = next(q for q in QUIZZES[lesson].questions if q.recalls)
    assert f"lesson {int(earlier):02d}" in question.text.lower(), (
        f"quiz {lesson}: the question that reaches back names lesson {earlier} in its text"
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_question_names_its_misconception_and_why_each_wrong_option_is_wrong(
    lesson: str,
) -> None:
    for n, question in enumerate(QUIZZES[lesson].questions, start=1):
        wrong = set(question.letters()) - {question.answer}
        assert question.misconception, f"quiz {lesson} q{n}: no misconception"
        assert set(question.wrong or {}) == wrong, f"quiz {lesson} q{n}: why not {sorted(wrong)}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_question_has_a_source_that_exists(lesson: str) -> None:
    anchors = choice_anchors()
    for n, question in enumerate(QUIZZES[lesson].questions, start=1):
        where = f"quiz {lesson} q{n}"
        if question.source.startswith("choices.md#"):
            assert question.source.removeprefix("choices.md#") in anchors, where
        else:
            assert question.source.startswith("https://"), f"{where}: {question.source!r}"


def test_each_quiz_file_sits_beside_its_lesson() -> None:
    lessons = {path.stem for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    files = sorted(QUIZ_DIR.glob("*.toml"))
    assert files and all(path.stem in lessons for path in files), [p.name for p in files]
    assert [path.name[:2] for path in files] == LESSONS


def test_a_broken_quiz_file_is_refused_naming_the_file_and_the_fault(tmp_path: Path) -> None:
    good = next(QUIZ_DIR.glob("06_*.toml")).read_text()
    broken = tmp_path / "06_x.toml"
    broken.write_text(good.replace("misconception =", "misconceptoin =", 1))
    with pytest.raises(ValueError, match=r"06_x\.toml q1: missing \['misconception'\], unknown"):
        load_quiz(broken)
    broken.write_text(good.replace('answer = "a"', 'answer = "f"', 1))
    with pytest.raises(ValueError, match=r"06_x\.toml q1: answer 'f'"):
        load_quiz(broken)
    broken.write_text(good.replace("[[questions]]", "[[questions]", 1))
    with pytest.raises(ValueError, match=r"06_x\.toml is not valid TOML"):
        load_quiz(broken)
    broken.write_text('title = "x"')
    with pytest.raises(ValueError, match=r"06_x\.toml: a quiz needs a title and \[\[questions\]\]"):
        load_quiz(broken)


def test_the_facilitators_guide_debriefs_every_question_with_why_and_why_not() -> None:
    """docs/facilitator.md is written from the quiz data by tools/paths.py (its --check is
    tests/test_paths.py); here: what it writes is the whole debrief of every question."""
    guide = (ROOT / "docs" / "facilitator.md").read_text(encoding="utf-8")
    assert QUIZZES["06"].debrief().split("\n", 1)[1] in guide
    for lesson, quiz in QUIZZES.items():
        for n, question in enumerate(quiz.questions, start=1):
            shown = [question.misconception, question.why, question.source]
            missing = [
                text for text in [*shown, *(question.wrong or {}).values()] if text not in guide
            ]
            assert not missing, f"quiz {lesson} q{n}: the guide lacks {missing}"
