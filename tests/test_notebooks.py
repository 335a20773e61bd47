"""The notebooks follow the kit's template, and their exercise twins are up to date."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def markdown(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_follows_the_template(path: Path):
    notebook = nbformat.read(path, as_version=4)
    text = markdown(notebook)
    assert len(re.findall(r"(?m)^# ", text)) == 1, "exactly one H1"
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# ")
    for heading in ("Overview", "Prerequisites", "Summary", "What's next"):
        assert re.search(rf"(?m)^##+ {re.escape(heading)}", text), f"no '{heading}' section"
    assert "Time to learn" in text
    if path.name != "00_welcome.ipynb":
        assert "```mermaid" in text, "each flow notebook draws its sequence diagram"
        assert "## Your turn" in text and any(
            c.cell_type == "code" and c.source.startswith("# Your code here:")
            for c in notebook.cells
        ), "a 'Your turn' exercise with an answer cell"


def test_every_notebook_is_in_the_readme_and_the_welcome_map():
    readme = (ROOT / "README.md").read_text()
    welcome = markdown(nbformat.read(ROOT / "notebooks" / "00_welcome.ipynb", as_version=4))
    for path in NOTEBOOKS:
        assert f"notebooks/{path.name}" in readme, f"{path.name} missing from README.md"
        assert f"({path.name})" in welcome, f"{path.name} missing from the welcome map"


def test_exercise_twins_match_the_notebooks():
    result = subprocess.run(
        [sys.executable, "tools/exercises.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_error_demonstrations_let_run_all_go_on(path: Path):
    """A learner's Run All must not stop at a cell that fails on purpose."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and "# NBVAL_RAISES_EXCEPTION" in cell.source:
            assert "raises-exception" in cell.metadata.get("tags", []), cell.source[:80]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_no_output_is_a_widget_without_its_state(path: Path):
    """Widget state is never stored, so a stored widget view would read "model not found"."""
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {}), (
                cell.source[:80]
            )


# Where a traceback or a log would name this machine's files: a home, the project's folder,
# a kernel's temporary file, an interpreter's packages.
MACHINE_PATH = re.compile(
    r"(?<![\w.~-])/(?:home|root|Users|work|tmp|var|opt|usr|private)/[\w.~-]+"
    r"|[A-Za-z]:\\\\(?:Users|work)|site-packages"
)


@pytest.mark.parametrize(
    "path",
    NOTEBOOKS + sorted((ROOT / "notebooks" / "exercises").glob("*.ipynb")),
    ids=lambda p: p.relative_to(ROOT / "notebooks").as_posix(),
)
def test_no_output_names_a_path_of_the_machine_that_ran_it(path: Path):
    """A reader on GitHub sees the outputs; they must not show where they were made."""
    notebook = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            text = re.sub(r"\\u001b\[[0-9;]*m", " ", json.dumps(output))  # colours out
            found += [f"cell {index}: {hit}" for hit in MACHINE_PATH.findall(text)]
    assert found == [], found


def test_a_learners_saved_work_in_a_twin_is_not_out_of_date():
    """Answers, run outputs and added cells are the learner's; only the lessons are compared."""
    sys.path.insert(0, str(ROOT / "tools"))
    import exercises

    path, wanted = next(iter(exercises.expected().items()))
    notebook = nbformat.reads(wanted, as_version=4)
    for cell in notebook.cells:
        if exercises.is_answer(cell):
            cell.source += "\nanswer = 42"
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    notebook.cells.insert(3, nbformat.v4.new_code_cell("print('trying things')"))
    saved = nbformat.writes(notebook)
    assert not exercises.out_of_date(wanted, saved), path.name
    assert "answer = 42" in exercises.keep_answers(wanted, _written(path, saved))

    lesson = next(c for c in notebook.cells if c.cell_type == "markdown")
    lesson.source += " (changed)"
    assert exercises.out_of_date(wanted, nbformat.writes(notebook))


def test_an_answer_to_an_exercise_that_changed_is_not_kept():
    """16's and 17's twins kept the answers of the exercises they replaced: a new prompt is
    a new exercise, and its answer cell starts blank."""
    sys.path.insert(0, str(ROOT / "tools"))
    import exercises

    path, wanted = next(iter(exercises.expected().items()))
    notebook = nbformat.reads(wanted, as_version=4)
    for cell in notebook.cells:
        if exercises.is_answer(cell):
            cell.source = "# Your code here: an exercise that is gone.\nanswer = 42"
    kept = exercises.keep_answers(wanted, _written(path, nbformat.writes(notebook)))
    assert "answer = 42" not in kept and "an exercise that is gone" not in kept


def _written(path: Path, text: str) -> Path:
    import tempfile

    copy = Path(tempfile.mkdtemp()) / path.name
    copy.write_text(text)
    return copy


def _shown_text(output: nbformat.NotebookNode) -> str:
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    return str(output.get("data", {}).get("text/plain", ""))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_stored_outputs_read_well_on_github(path: Path):
    """No NaN-filled table, no progress bar stopped short, no traceback of many lines."""
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            text = _shown_text(output)
            assert not re.search(r"\bNaN\b", text), f"cell {index}: a NaN in {text[:200]!r}"
            bar = re.search(r"(\d+)%\|", text)
            assert bar is None or bar[1] == "100", f"cell {index}: a progress bar at {bar[0]}"
            if output.get("output_type") == "error":
                lines = "\n".join(output.get("traceback", [])).count("\n") + 1
                assert lines <= 12, f"cell {index}: a traceback of {lines} lines"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_each_notebook_says_where_the_local_sandbox_differs_in_one_callout(path: Path):
    """One "Local sandbox" box, under the overview; no scattered "local-only" asides in prose."""
    notebook = nbformat.read(path, as_version=4)
    boxes = [
        c for c in notebook.cells if c.cell_type == "markdown" and "**Local sandbox:**" in c.source
    ]
    assert len(boxes) == 1 and notebook.cells[1] is boxes[0], "the box follows the first cell"
    assert boxes[0].source.startswith("> **Local sandbox:**")
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell is not boxes[0]:
            assert "*Local sandbox note" not in cell.source and "(*local-only*" not in cell.source


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if p.name != "00_welcome.ipynb"], ids=lambda p: p.name
)
def test_each_lesson_links_clovers_pages_and_ends_with_resources(path: Path):
    text = markdown(nbformat.read(path, as_version=4))
    assert len(set(re.findall(r"https://docs\.clover\.com/[\w/.-]+", text))) >= 4
    assert re.search(r"(?m)^## Resources", text)
    assert text.rstrip().splitlines()[-1].startswith("- "), "Resources is the last section"
