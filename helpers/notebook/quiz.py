"""A short quiz at the end of each lesson: questions that ask why, checked here.

The questions are data, one file per lesson beside the notebooks
(``notebooks/quizzes/NN_name.toml``); this module reads, shows and checks them, so a lesson
shows only the questions (also on GitHub, in its stored output). A learner answers with the
buttons of the form (in Jupyter) or in code, which also runs headless::

    quiz("06")                                 # the questions, and a form to answer them
    quiz("06").answer(q1="b", q2="a", q3="c")  # checks each letter and says why

Each question is built on a misconception a developer really has. A right answer shows why
it is right, why each other option is wrong, and where that comes from: the Clover page that
says so, or the kit's own choice (docs/choices.md); a wrong one gets the idea to think about,
not the letter, so the learner can try again. ``Quiz.debrief()`` is the same explanation for
a facilitator to read out (docs/facilitator.md, "Quiz debriefs").
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["QUIZZES", "QUIZ_DIR", "Question", "Quiz", "quiz"]

QUIZ_DIR = Path(__file__).resolve().parents[2] / "notebooks" / "quizzes"
"""Where the lessons' quizzes live, one ``NN_name.toml`` per lesson (NN_name.ipynb's stem)."""


@dataclass(frozen=True)
class Question:
    """One multiple-choice question; ``answer`` is a letter of ``choices``."""

    text: str
    choices: tuple[str, ...]
    answer: str
    why: str
    nudge: str
    source: str = ""
    """A Clover page's URL, ``choices.md#heading`` (the kit's choice) or a standard's URL."""
    misconception: str = ""
    """The belief a developer really brings, which the question is built to catch."""
    wrong: Mapping[str, str] | None = None
    """For each wrong letter, why that option is wrong."""
    recalls: str = ""
    """The earlier lesson this question reaches back to ("05"), if it does."""

    def cited(self) -> str:
        """The reason with where it comes from and why the others are wrong, as a learner
        reads it after a right answer."""
        if not self.source:
            reason = self.why
        elif self.source.startswith("choices.md"):
            reason = f"{self.why} (The kit's choice: docs/{self.source}.)"
        else:
            reason = f"{self.why} (Source: {self.source})"
        others = " ".join(f"Not ({letter}): {why}" for letter, why in (self.wrong or {}).items())
        return f"{reason} {others}".strip()

    def letters(self) -> list[str]:
        return [chr(ord("a") + n) for n in range(len(self.choices))]


_ANSWERED: dict[str, dict[str, object]] = {}
"""Each lesson's letters answered so far in this kernel."""


@dataclass(frozen=True)
class Quiz:
    """A lesson's questions; shown without their answers, checked by :meth:`answer`."""

    lesson: str
    title: str
    questions: tuple[Question, ...]

    def names(self) -> list[str]:
        return [f"q{n}" for n in range(1, len(self.questions) + 1)]

    def _call_example(self) -> str:
        letters = ", ".join(f'{name}="…"' for name in self.names())
        return f'quiz("{self.lesson}").answer({letters})'

    def _repr_markdown_(self) -> str:
        lines = [f"**Quiz {self.lesson}: {self.title}** ({len(self.questions)} questions)", ""]
        for name, question in zip(self.names(), self.questions, strict=True):
            lines.append(f"**{name}.** {question.text}")
            lines.append("")
            lines += [
                f"- ({letter}) {choice}"
                for letter, choice in zip(question.letters(), question.choices, strict=True)
            ]
            lines.append("")
        lines.append(f"Answer with the form below, or in code: `{self._call_example()}`")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        def inline(text: str) -> str:
            return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))

        parts = [
            f"<p><b>Quiz {self.lesson}: {inline(self.title)}</b> "
            f"({len(self.questions)} questions)</p>"
        ]
        for name, question in zip(self.names(), self.questions, strict=True):
            choices = "".join(
                f"<li>({letter}) {inline(choice)}</li>"
                for letter, choice in zip(question.letters(), question.choices, strict=True)
            )
            parts.append(f"<p><b>{name}.</b> {inline(question.text)}</p><ul>{choices}</ul>")
        example = html.escape(self._call_example())
        parts.append(f"<p>Answer with the form below, or in code: <code>{example}</code></p>")
        return "\n".join(parts)

    def __repr__(self) -> str:
        lines = [f"Quiz {self.lesson}: {self.title} ({len(self.questions)} questions)", ""]
        for name, question in zip(self.names(), self.questions, strict=True):
            lines.append(f"{name}. {question.text}")
            lines += [
                f"   ({letter}) {choice}"
                for letter, choice in zip(question.letters(), question.choices, strict=True)
            ]
            lines.append("")
        lines.append(f"Answer with the form, or in code: {self._call_example()}")
        return "\n".join(lines)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        shown = {
            "text/html": self._repr_html_(),
            "text/markdown": self._repr_markdown_(),
            "text/plain": repr(self),
        }
        display(shown, raw=True)
        display(quiz_form(self))

    def debrief(self, heading: str = "") -> str:
        """The answers and why, as Markdown, for a facilitator to read out after the quiz
        (docs/facilitator.md holds every lesson's, written by tools/paths.py)."""
        lines = [heading or f"### Quiz {self.lesson}: {self.title}", ""]
        for name, question in zip(self.names(), self.questions, strict=True):
            right = question.choices[question.letters().index(question.answer)]
            recalls = f" (reaches back to lesson {question.recalls})" if question.recalls else ""
            lines += [
                f"**{name}.** {question.text}{recalls}",
                "",
                f"- The misconception: {question.misconception}",
                f"- Right: ({question.answer}) {right}",
                f"- Why: {question.why}",
                *(f"- Not ({letter}): {why}" for letter, why in (question.wrong or {}).items()),
                f"- Source: {question.source}",
                "",
            ]
        return "\n".join(lines)

    def grade(self, given: Mapping[str, object]) -> list[str]:
        """One line per question: ✅ and why, ❌ and what to think about, or not answered."""
        unknown = sorted(set(given) - set(self.names()))
        if unknown:
            raise ValueError(
                f"Quiz {self.lesson} has {', '.join(self.names())}; not {', '.join(unknown)}."
            )
        lines = []
        for name, question in zip(self.names(), self.questions, strict=True):
            raw = given.get(name)
            letter = "" if raw is None else str(raw).strip().strip("()").lower()
            if not letter:
                lines.append(f"… {name}: not answered yet.")
            elif letter not in question.letters():
                lines.append(f"❌ {name}: {raw!r} is not one of {', '.join(question.letters())}.")
            elif letter == question.answer:
                lines.append(f"✅ {name} ({letter}): {question.cited()}")
            else:
                lines.append(f"❌ {name} ({letter}): not this one. {question.nudge}")
        return lines

    def report(self, letters: Mapping[str, object]) -> str:
        """What :meth:`answer` prints for these letters."""
        if not any(value not in (None, "") for value in letters.values()):
            return f"Nothing answered yet: {self._call_example()}\n"
        lines = self.grade(letters)
        right = sum(line.startswith("✅") for line in lines)
        return "\n".join([*lines, f"{right} of {len(self.questions)} right."]) + "\n"

    def answer(self, **letters: object) -> None:
        """Check the letters given (``q1="b"``...) and print, for each, why or a nudge.

        Letters given before in this kernel are kept, so a second try may name only the
        questions it changes (a new user re-answering one question read "1 of 4 right")."""
        self.grade(letters)  # an unknown question is refused before anything is kept
        kept = _ANSWERED.setdefault(self.lesson, {})
        kept.update({name: value for name, value in letters.items() if value not in (None, "")})
        print(self.report(kept), end="")


def quiz_form(quiz: Quiz) -> Any:
    """Buttons for each question's letters and a Check button; the questions are above it.

    Widget state is not stored in the committed notebooks, so its text form says how to use
    it when the notebook is read without a kernel.
    """
    import ipywidgets as widgets

    class _Form(widgets.VBox):
        def __repr__(self) -> str:
            return (
                f"(Quiz {quiz.lesson}'s buttons show when this cell runs in Jupyter; without "
                f"them, answer in code: {quiz._call_example()})"
            )

    rows = {
        name: widgets.ToggleButtons(
            options=question.letters(),
            value=None,
            description=name,
            style={"button_width": "3em"},
        )
        for name, question in zip(quiz.names(), quiz.questions, strict=True)
    }
    button = widgets.Button(description="Check my answers", button_style="primary")
    out = widgets.Output()

    def on_click(_: object) -> None:
        out.outputs = ()
        out.append_stdout(quiz.report({name: row.value for name, row in rows.items()}))

    button.on_click(on_click)
    return _Form([*rows.values(), button, out])


def quiz(lesson: str | int) -> Quiz:
    """The quiz of a lesson: ``quiz("06")`` or ``quiz(6)``."""
    key = f"{int(lesson):02d}" if str(lesson).strip().isdigit() else str(lesson)
    if key not in QUIZZES:
        raise KeyError(f"No quiz for lesson {lesson!r}: there are {', '.join(QUIZZES)}.")
    return QUIZZES[key]


FIELDS = {"text", "choices", "answer", "why", "wrong", "nudge", "source", "misconception"}
"""What every question of a quiz file gives; ``recalls`` is the one optional field."""


def load_quiz(path: Path) -> Quiz:
    """One lesson's quiz from its data file; a missing or unknown field is named, with the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path.name} is not valid TOML: {error}") from None
    questions = []
    for number, raw in enumerate(data.get("questions", []), start=1):
        where = f"{path.name} q{number}"
        missing, unknown = FIELDS - set(raw), set(raw) - FIELDS - {"recalls"}
        if missing or unknown:
            raise ValueError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")
        question = Question(**{**raw, "choices": tuple(raw["choices"])})
        if question.answer not in question.letters():
            raise ValueError(f"{where}: answer {question.answer!r} is not one of its letters")
        questions.append(question)
    if not data.get("title") or not questions:
        raise ValueError(f"{path.name}: a quiz needs a title and [[questions]]")
    return Quiz(path.name[:2], data["title"], tuple(questions))


QUIZZES: dict[str, Quiz] = {
    quiz.lesson: quiz for quiz in map(load_quiz, sorted(QUIZ_DIR.glob("[0-9][0-9]_*.toml")))
}
