"""The lesson quizzes: every lesson has one, it checks and explains, and no notebook shows an
answer (not in its cells, not in its stored outputs)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from helpers import quiz
from helpers.notebook.quiz import QUIZZES, quiz_form

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(
    path.name[:2]
    for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
    if path.name[:2] != "00"
)


def lesson_notebooks(lesson: str) -> list[Path]:
    return sorted((ROOT / "notebooks").glob(f"{lesson}_*.ipynb")) + sorted(
        (ROOT / "notebooks" / "exercises").glob(f"{lesson}_*.ipynb")
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_lesson_has_three_or_four_well_formed_questions(lesson: str) -> None:
    questions = quiz(lesson).questions
    assert 3 <= len(questions) <= 4
    for question in questions:
        assert question.answer in question.letters()
        assert len(set(question.choices)) == len(question.choices) >= 3
        assert question.why and question.nudge and question.why != question.nudge


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_right_letter_is_not_always_the_same(lesson: str) -> None:
    """A learner who spots that every answer is (b) learns nothing from the quiz."""
    assert len({question.answer for question in quiz(lesson).questions}) >= 2


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_shown_quiz_has_every_question_and_no_answer(lesson: str) -> None:
    shown = quiz(lesson)
    for text in (repr(shown), shown._repr_markdown_()):
        for question in shown.questions:
            assert question.text in text
            assert question.why not in text and question.nudge not in text


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_lesson_and_its_workbook_ask_the_quiz_and_store_no_answer(lesson: str) -> None:
    paths = lesson_notebooks(lesson)
    assert len(paths) == 2, paths
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        sources = "\n".join(c.source for c in notebook.cells)
        assert f'quiz("{lesson}")' in sources, path.name
        stored = json.dumps([c.get("outputs", []) for c in notebook.cells], ensure_ascii=False)
        for question in quiz(lesson).questions:
            assert json.dumps(question.why, ensure_ascii=False)[1:-1] not in stored, path.name
            assert "✅ q" not in stored and "❌ q" not in stored, path.name


@pytest.fixture(autouse=True)
def fresh_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no quiz answered (answers are kept per kernel)."""
    from helpers.notebook import quiz as quiz_module

    monkeypatch.setattr(quiz_module, "_ANSWERED", {})


def test_right_wrong_and_missing_answers(capsys: pytest.CaptureFixture[str]) -> None:
    six = quiz("06")
    right = {f"q{n}": q.answer for n, q in enumerate(six.questions, start=1)}
    wrong_letter = next(letter for letter in six.questions[1].letters() if letter != right["q2"])
    six.answer(q1=right["q1"], q2=wrong_letter)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"✅ q1 ({right['q1']}): {six.questions[0].why}")
    assert out[1].startswith(f"❌ q2 ({wrong_letter}): not this one.")
    assert six.questions[1].why not in out[1] and six.questions[1].nudge in out[1]
    assert out[2] == "… q3: not answered yet."
    assert out[-1] == f"1 of {len(six.questions)} right."


def test_letters_are_read_forgivingly(capsys: pytest.CaptureFixture[str]) -> None:
    one = quiz(1)
    spelled = f" ({one.questions[0].answer.upper()}) "
    assert one.grade({"q1": spelled})[0].startswith("✅ q1")
    assert one.grade({"q1": "z"})[0] == "❌ q1: 'z' is not one of a, b, c."


def test_nothing_answered_says_how_and_grades_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    quiz("12").answer()
    assert capsys.readouterr().out.startswith('Nothing answered yet: quiz("12").answer(q1=')


def test_an_unknown_question_or_lesson_is_named() -> None:
    with pytest.raises(ValueError, match="not q9"):
        quiz("06").grade({"q9": "a"})
    with pytest.raises(KeyError, match="No quiz for lesson '42'"):
        quiz("42")


def test_the_form_grades_what_was_pressed() -> None:
    eleven = quiz("11")
    form = quiz_form(eleven)
    *rows, button, out = form.children
    assert [row.description for row in rows] == eleven.names()
    assert "answer in code" in repr(form) and eleven.questions[0].why not in repr(form)
    rows[0].value = eleven.questions[0].answer
    button.click()
    printed = "".join(o.get("text", "") for o in out.outputs)
    assert printed.startswith("✅ q1") and "… q2: not answered yet." in printed


def test_every_quiz_is_registered_under_its_own_lesson() -> None:
    assert list(QUIZZES) == LESSONS
    assert all(key == value.lesson for key, value in QUIZZES.items())


def test_a_second_try_keeps_the_answers_already_given(capsys: pytest.CaptureFixture[str]) -> None:
    """Re-answering one question grades the whole quiz with the earlier letters kept."""
    six = quiz("06")
    right = [q.answer for q in six.questions]
    wrong = next(letter for letter in six.questions[1].letters() if letter != right[1])
    six.answer(q1=right[0], q2=wrong, q3=right[2])
    capsys.readouterr()
    six.answer(q2=right[1])
    assert capsys.readouterr().out.splitlines()[-1] == f"3 of {len(six.questions)} right."
    with pytest.raises(ValueError, match="not q9"):
        six.answer(q9="a")
