"""Makes the exercise twin of each notebook: the same notebook with the answers taken out.

    .venv/bin/python tools/exercises.py          write notebooks/exercises/
    .venv/bin/python tools/exercises.py --check  fail if the twins are out of date

A "Your turn" answer is a code cell whose first line is `# Your code here: ...`. In the
twin, that cell keeps its comment lines and gets `...` in place of the answer; its output
and the output of the `check(...)` cell after it are cleared, so the learner sees no answer.
A link to another notebook stays in the exercises folder when that notebook has a twin, and
points up to `../` when it has none (00_welcome).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = NOTEBOOKS / "exercises"
ANSWER = "# Your code here:"
NOTEBOOK_LINK = re.compile(r"\]\((\d\d_[^)/#\s]+\.ipynb)")


def has_answers(notebook: nbformat.NotebookNode) -> bool:
    return any(c.cell_type == "code" and c.source.startswith(ANSWER) for c in notebook.cells)


def relink(name: str, twinned: set[str]) -> str:
    """A link from a twin: to its sibling twin if there is one, else up to the notebook."""
    return f"]({name}" if name in twinned else f"](../{name}"


def twin(notebook: nbformat.NotebookNode, twinned: set[str]) -> nbformat.NotebookNode:
    """The exercise twin of ``notebook``; ``twinned`` names the notebooks that have one."""
    twin = nbformat.from_dict(notebook)
    blank_next_check = False
    for cell in twin.cells:
        if cell.cell_type != "code":
            continue
        if cell.source.startswith(ANSWER):
            comments = [line for line in cell.source.splitlines() if line.startswith("#")]
            cell.source = "\n".join([*comments, "..."])
            cell.outputs = []
            blank_next_check = True
        elif blank_next_check and "check(" in cell.source:
            cell.outputs = []
            blank_next_check = False
    for cell in twin.cells:
        if cell.cell_type == "markdown":
            cell.source = NOTEBOOK_LINK.sub(lambda link: relink(link[1], twinned), cell.source)
    return twin


def expected() -> dict[Path, str]:
    notebooks = {
        path.name: nbformat.read(path, as_version=4)
        for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    }
    twinned = {name for name, notebook in notebooks.items() if has_answers(notebook)}
    return {
        EXERCISES / name: nbformat.writes(twin(notebooks[name], twinned)) + "\n"
        for name in sorted(twinned)
    }


def main(argv: list[str]) -> int:
    wanted = expected()
    if "--check" in argv:
        stale = [p.name for p, text in wanted.items() if not p.exists() or p.read_text() != text]
        extra = [p.name for p in EXERCISES.glob("*.ipynb") if p not in wanted]
        if stale or extra:
            print(
                "exercise twins out of date:",
                ", ".join(stale + extra),
                "- run: python tools/exercises.py",
            )
            return 1
        return 0
    EXERCISES.mkdir(exist_ok=True)
    for path, text in wanted.items():
        path.write_text(text)
    for path in EXERCISES.glob("*.ipynb"):
        if path not in wanted:
            path.unlink()
    print(f"wrote {len(wanted)} exercise notebooks to {EXERCISES.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
