"""Every claim the kit makes about Clover names its source, or says it is the kit's choice.

Issue "As Clover documents it": a learner leaves this kit to build against Clover, so what a
lesson teaches must be what Clover's pages say. Three kinds of claim are checked (two here):

- each quiz answer's reason has a source (in notebooks/quizzes/, checked by
  tests/notebook/test_quiz_balance.py): a Clover page, a heading of docs/choices.md (the
  kit's choice), or a standard's URL;
- each line of a lesson's "Local sandbox" box names a Clover page or the kit's choice;
- each module docstring that speaks of a choice names Clover's page or docs/choices.md.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from tests.support import choice_anchors

ROOT = Path(__file__).resolve().parents[1]
CLOVER_PAGE = re.compile(r"https://docs\.clover\.com/(docs|dev/docs|reference)/[\w./#-]+")
CHOICE_LINK = re.compile(r"choices\.md#([\w-]+)")


def local_sandbox_box_lines() -> list[tuple[str, str]]:
    lines = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            text = "".join(cell["source"])
            if cell["cell_type"] == "markdown" and text.startswith("> **Local sandbox"):
                lines += [(path.name, item) for item in re.split(r"\n>\s*- ", text)[1:]]
    return lines


BOX_LINES = local_sandbox_box_lines()


@pytest.mark.parametrize(
    ("notebook", "line"),
    BOX_LINES,
    ids=[f"{nb.split('_')[0]}-{n}" for n, (nb, _) in enumerate(BOX_LINES)],
)
def test_each_local_sandbox_line_names_clovers_page_or_the_kits_choice(
    notebook: str, line: str
) -> None:
    anchors = choice_anchors()
    assert CLOVER_PAGE.search(line) or CHOICE_LINK.search(line), (
        f"{notebook}: a Local sandbox line names neither a Clover page nor docs/choices.md: "
        f"{line[:160]}"
    )
    for anchor in CHOICE_LINK.findall(line):
        assert anchor in anchors, f"{notebook}: docs/choices.md has no heading #{anchor}"


def docstrings_of_choices() -> list[Path]:
    files = [*(ROOT / "helpers").rglob("*.py"), *(ROOT / "shop").rglob("*.py")]
    return [
        path
        for path in sorted(files)
        if re.search(r"\bchoices?\b", ast.get_docstring(ast.parse(path.read_text())) or "", re.I)
    ]


@pytest.mark.parametrize("path", docstrings_of_choices(), ids=lambda p: p.stem)
def test_a_module_that_makes_a_choice_names_where_it_is_listed(path: Path) -> None:
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    assert CLOVER_PAGE.search(doc) or "choices.md" in doc, (
        f"{path.relative_to(ROOT)} speaks of a choice; name Clover's page or docs/choices.md"
    )
