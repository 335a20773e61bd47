"""The course's paths come from notebooks/paths.toml alone (tools/paths.py): the README, lesson
00, the facilitator's guide and each lesson's top cell show what it says, and fit their time."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import paths  # noqa: E402


def test_every_page_and_lesson_shows_what_paths_toml_says():
    stale = paths.drifted(paths.load())
    assert stale == [], "run: .venv/bin/python tools/paths.py"


def test_a_page_edited_by_hand_is_found(tmp_path, monkeypatch):
    course = paths.load()
    page = tmp_path / "page.md"
    page.write_text("<!-- course:overview -->\n| a hand-kept copy |\n<!-- /course:overview -->\n")
    monkeypatch.setattr(paths, "PAGES", {page: ""})
    monkeypatch.setattr(paths, "_notebook_changes", lambda course: {})
    assert paths.drifted(course) == [page]
    paths.write(course)
    assert paths.drifted(course) == []
    assert "3-hour workshop" in page.read_text()


def test_the_paths_fit_their_time():
    by_id = {path.id: path for path in paths.load().paths}
    assert by_id["workshop"].minutes <= 180
    assert by_id["day"].minutes <= 8 * 60
    full = by_id["full"]
    assert [block.lesson for block in full.blocks] == list(paths.load().lessons)


def test_each_lesson_says_its_time_and_its_paths_in_its_top_cell():
    course = paths.load()
    for lesson in course.lessons:
        top = nbformat.read(ROOT / "notebooks" / lesson.notebook, as_version=4).cells[0].source
        time, on = paths.top_lines(course, lesson)
        assert time in top and on.strip() in top, lesson.notebook
        assert "Full course" in on


def test_a_lesson_missing_from_paths_toml_is_refused(tmp_path):
    data = tmp_path / "paths.toml"
    data.write_text((ROOT / "notebooks" / "paths.toml").read_text())
    (tmp_path / "00_welcome.ipynb").write_text("{}")
    (tmp_path / "99_new_lesson.ipynb").write_text("{}")
    try:
        paths.load(data)
    except ValueError as error:
        assert "99_new_lesson.ipynb" in str(error)
    else:
        raise AssertionError("a lesson on disk but not in paths.toml was accepted")


def test_a_quiz_reaches_back_only_to_a_lesson_taught_earlier_on_each_of_its_paths():
    """The trial of issue 26 met 06's and 07's quizzes asking about "lesson 05" on the
    3-hour workshop, which skips 05: a question that reaches back must reach a lesson the
    learner has had on that path."""
    from helpers.notebook.quiz import QUIZZES

    for path in paths.load().paths:
        taught: list[str] = []
        for block in path.blocks:
            if block.lesson is None:
                continue
            quiz = QUIZZES.get(block.lesson.number)
            recalls = [q.recalls for q in quiz.questions if q.recalls] if quiz else []
            for earlier in recalls:
                assert earlier in taught, (
                    f"{path.title}: quiz {block.lesson.number} reaches back to lesson "
                    f"{earlier}, not taught before it on this path ({', '.join(taught)})"
                )
            taught.append(block.lesson.number)


def test_a_simulated_newcomers_minutes_stand_beside_the_estimate_never_instead():
    course = paths.load()
    by_number = {lesson.number: lesson for lesson in course.lessons}
    time, _ = paths.top_lines(course, by_number["01"])
    assert f"{by_number['01'].minutes} minutes (an estimate until a timed run; a simulated" in time
    untimed, _ = paths.top_lines(course, by_number["00"])
    assert "simulated" not in untimed  # only Steps 1-5 were timed, in the workshop


def test_the_timed_table_counts_an_untimed_lesson_at_its_estimate_and_names_it():
    course = paths.load()
    full = next(path for path in course.paths if path.id == "full")
    rows = {row.split(" | ")[0]: row for row in paths.timed(course, "").splitlines()}
    counted = sum(lesson.simulated or lesson.minutes for lesson in course.lessons)
    assert rows["| Full course"].endswith(f"| {paths.duration(counted)} | 00, 06, 08 |")
    assert paths.duration(full.minutes) in rows["| Full course"]
