"""A lesson run twice on one lasting sandbox (the lab's `python3 kit.py lab` keeps one for the
whole course) passes the second time too.

A trial found lesson 17's second run failing: its test gift cards were spent by the first,
and the hints blamed the learner's code. A lesson that needs test objects makes its own on
each run, or says how to reset the sandbox.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.sandbox import Sandbox
from tests.support import SEED

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("lesson", ["17_gift_cards_and_ach.ipynb"])
def test_a_second_run_on_the_same_sandbox_passes(
    lesson: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Sandbox(seed=SEED) as lasting:
        monkeypatch.setenv("CLOVER_ENV", "local")
        monkeypatch.setenv("CLOVER_SANDBOX_URL", lasting.url)
        for _run in (1, 2):
            notebook = nbformat.read(ROOT / "notebooks" / lesson, as_version=4)
            NotebookClient(
                notebook,
                kernel_name="python3",
                timeout=300,
                resources={"metadata": {"path": str(ROOT / "notebooks")}},
            ).execute()  # raises CellExecutionError at the first cell that fails
            check = next(
                c for c in notebook.cells if c.source.startswith("# NBVAL_CHECK_OUTPUT\ncheck_")
            )
            assert "✅" in "".join(o.get("text", "") for o in check.outputs)
