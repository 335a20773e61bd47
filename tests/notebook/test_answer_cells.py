"""Every answer cell names what its check reads, and every lesson points on to the next.

A learner opens the exercise twin and sees only the answer cell's comments: lesson 14's
showed a bare `...` while its check wanted `predicted_attempts` and `predicted_active`, so
the learner had to guess the names. Each name the check is given that the answer cell
itself must make (assigned, or defined with `def`) appears in that cell's comments.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ANSWER = "# Your code here:"


def made_in(source: str) -> set[str]:
    """The names a cell assigns or defines at its top level."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    names.add(name.id)
    return names


def read_by_check(source: str) -> set[str]:
    """The plain names passed to a ``check...(...)`` call of a cell."""
    return {
        argument.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("check")
        for argument in [*node.args, *(keyword.value for keyword in node.keywords)]
        if isinstance(argument, ast.Name)
    }


def exercises(path: Path) -> list[tuple[str, str]]:
    """(answer cell, the check cell after it) of each exercise of a lesson."""
    code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    found = []
    for at, source in enumerate(code):
        if source.startswith(ANSWER):
            check = next((later for later in code[at + 1 :] if read_by_check(later)), "")
            found.append((source, check))
    return found


@pytest.mark.parametrize("path", LESSONS, ids=[p.name[:2] for p in LESSONS])
def test_each_answer_cell_names_what_its_check_reads(path: Path) -> None:
    for answer, check in exercises(path):
        comments = "\n".join(line for line in answer.splitlines() if line.lstrip().startswith("#"))
        wanted = read_by_check(check) & made_in(answer)
        missing = sorted(name for name in wanted if name not in comments)
        assert not missing, f"{path.name}: the answer cell does not name {missing}"


def test_a_bare_placeholder_is_caught() -> None:
    answer = "# Your code here: your predictions.\npredicted = 7\n"
    check = "check_it(predicted, clover)"
    assert read_by_check(check) & made_in(answer) == {"predicted"}
    assert "predicted" not in "# Your code here: your predictions."


@pytest.mark.parametrize("path", LESSONS[:-1], ids=[p.name[:2] for p in LESSONS[:-1]])
def test_whats_next_points_forward(path: Path) -> None:
    """Each lesson's "What's next" links a later lesson (17's pointed back to 07)."""
    cells = nbformat.read(path, as_version=4).cells
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    section = re.search(r"(?ms)^## What's next\n(.*?)(?=^## |\Z)", text)
    assert section, path.name
    linked = [int(n) for n in re.findall(r"\]\((\d\d)_[^)]*\.ipynb", section[1])]
    assert any(n > int(path.name[:2]) for n in linked), f"{path.name}: {linked}"
