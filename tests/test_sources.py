"""Every claim the kit makes about Clover names its source, or says it is the kit's choice.

Issue "As Clover documents it": a learner leaves this kit to build against Clover, so what a
lesson teaches must be what Clover's pages say. Three kinds of claim are checked here:

- each quiz answer's reason has a source (helpers/notebook/quiz_sources.toml): a Clover page,
  a heading of docs/choices.md (the kit's choice), or a standard's URL;
- each line of a lesson's "Local sandbox" box names a Clover page or the kit's choice;
- each module docstring that speaks of a choice names Clover's page or docs/choices.md.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from helpers.notebook.quiz import QUIZZES, SOURCES_FILE

ROOT = Path(__file__).resolve().parents[1]
CHOICES = ROOT / "docs" / "choices.md"
CLOVER_PAGE = re.compile(r"https://docs\.clover\.com/(docs|dev/docs|reference)/[\w./#-]+")
CHOICE_LINK = re.compile(r"choices\.md#([\w-]+)")


def choice_anchors() -> set[str]:
    """GitHub's anchors for docs/choices.md's headings."""
    anchors = set()
    for line in CHOICES.read_text().splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^a-z0-9 _-]", "", title).replace(" ", "-"))
    return anchors


def test_every_quiz_source_names_a_page_or_a_choice_that_exists() -> None:
    sources = tomllib.loads(SOURCES_FILE.read_text())
    anchors = choice_anchors()
    for lesson, table in sources.items():
        assert lesson in QUIZZES, f"quiz_sources.toml: no quiz {lesson}"
        names = QUIZZES[lesson].names()
        for name, source in table.items():
            where = f"quiz_sources.toml [{lesson}] {name}"
            assert name in names, f"{where}: quiz {lesson} has {', '.join(names)}"
            if source.startswith("choices.md#"):
                assert source.removeprefix("choices.md#") in anchors, f"{where}: {source}"
            else:
                assert source.startswith("https://"), f"{where}: {source!r} is not a URL"
