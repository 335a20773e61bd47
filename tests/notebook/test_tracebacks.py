"""A Clover error in a notebook shows the learner's line and Clover's answer, not the
client's frames; other errors keep IPython's full traceback."""

from __future__ import annotations

import os
import re

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.clover.spec import cents
from helpers.notebook.tracebacks import HIDDEN_NOTE, learner_frames


def frames(tb) -> list[str]:
    names = []
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    return names


def test_the_frames_inside_helpers_are_cut_and_the_error_keeps_them_all() -> None:
    def learners_function() -> None:
        cents("amount", "12.50")

    with pytest.raises(TypeError) as caught:
        learners_function()
    whole = caught.value.__traceback__
    assert frames(learner_frames(whole)) == [
        "test_the_frames_inside_helpers_are_cut_and_the_error_keeps_them_all",
        "learners_function",
    ]
    assert frames(whole)[-1] == "cents"  # the error's own traceback is untouched


def test_a_notebook_shows_the_learners_line_and_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOVER_ENV", "local")
    monkeypatch.setenv("CLOVER_SANDBOX_URL", "")
    code = nbformat.v4.new_code_cell
    notebook = nbformat.v4.new_notebook(
        cells=[
            code("from helpers import connect, test_card\nclover = connect()"),
            code(
                "def pay():\n"
                "    token = clover.create_token(test_card('decline').card())\n"
                "    return clover.create_charge(2500, token.id)\n"
                "pay()"
            ),
            code("1 / 0"),
        ]
    )
    NotebookClient(notebook, kernel_name="python3", allow_errors=True, timeout=120).execute()
    (declined,) = notebook.cells[1].outputs
    assert (declined.output_type, declined.ename) == ("error", "CardError")
    assert "card_declined" in declined.evalue
    shown = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(declined.traceback))  # no colours
    assert "pay()" in shown and "create_charge(2500" in shown
    assert shown.endswith(HIDDEN_NOTE)
    assert "helpers" + os.sep not in shown and "httpx" not in shown and "site-packages" not in shown
    (division,) = notebook.cells[2].outputs
    assert division.ename == "ZeroDivisionError"
    assert HIDDEN_NOTE not in "\n".join(division.traceback)


def test_a_failed_check_shows_its_hint_and_none_of_the_hints_to_come(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A check's own lines hold its later hints: the notebook shows the first hint and the
    learner's line only (the trial of notebook 19 read hint 2 in hint 1's traceback)."""
    monkeypatch.setenv("CLOVER_ENV", "local")
    monkeypatch.setenv("CLOVER_SANDBOX_URL", "")
    code = nbformat.v4.new_code_cell
    notebook = nbformat.v4.new_notebook(
        cells=[
            code("from helpers import connect, check_authorization\nclover = connect()"),
            code("check_authorization(None, capture_at_checkout=True)"),
        ]
    )
    NotebookClient(notebook, kernel_name="python3", allow_errors=True, timeout=120).execute()
    (failed,) = notebook.cells[1].outputs
    assert failed.ename == "CheckFailed" and "Hint 1 of 2" in failed.evalue
    shown = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(failed.traceback))
    assert "check_authorization(None" in shown
    assert "capture_at_checkout = False" not in shown  # hint 2, still to come
    assert "checks.py" not in shown and HIDDEN_NOTE not in shown
