"""A check run before its exercise is answered names the answer still missing.

Each exercise twin hands out its answers as `name = ...` placeholders; a learner who runs
the check first must read which one to fill in, not a NameError or a traceback.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from helpers.notebook import checks

ROOT = Path(__file__).resolve().parents[2]
TWINS = sorted((ROOT / "notebooks" / "exercises").glob("*.ipynb"))
ANSWER = "# Your code here:"


def _answer_and_check_calls(path: Path) -> list[tuple[str, ast.Call]]:
    """(the twin's blank answer, the check call after it) for each exercise of a twin."""
    code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    found = []
    for at, source in enumerate(code):
        if not source.startswith(ANSWER):
            continue
        for later in code[at + 1 :]:
            calls = [
                node
                for node in ast.walk(ast.parse(later))
                if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("check_")
            ]
            if calls:
                found.append((source, calls[0]))
                break
    return found


@pytest.mark.parametrize("path", TWINS, ids=[p.name[:2] for p in TWINS])
def test_a_check_run_before_the_answer_names_the_placeholder(path: Path) -> None:
    exercises = _answer_and_check_calls(path)
    assert exercises, f"{path.name}: no exercise with a check_ call found"
    for blank, call in exercises:
        placeholders: dict[str, object] = {}
        exec(compile(blank, path.name, "exec"), {}, placeholders)
        check = getattr(checks, call.func.id)  # type: ignore[attr-defined]
        names = [arg.id if isinstance(arg, ast.Name) else "" for arg in call.args]
        # one placeholder at a time, the lesson's own objects stand in for the rest: the
        # check must name that one, by the learner's name, before it reads anything
        for missing in set(names) & set(placeholders):
            args = [placeholders[n] if n == missing else object() for n in names]
            with pytest.raises(checks.CheckFailed, match=f"`{missing}` is still `...`"):
                check(*args)


def test_placeholders_are_found_inside_dicts_lists_and_strings() -> None:
    with pytest.raises(checks.CheckFailed, match="`choices`"):
        checks.check_integration_choices({"food truck": ..., "bookshop": "a"})
    with pytest.raises(checks.CheckFailed, match="`first`"):
        checks.check_going_live({"checkout.js"}, {"sdk.js"}, "...")
    with pytest.raises(checks.CheckFailed, match="`predicted_total`"):
        checks.check_order_prediction(object(), [1, ...])
