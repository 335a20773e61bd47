"""Makes the exercise twin of each notebook: the same notebook with the answers taken out.

    .venv/bin/python tools/exercises.py          write notebooks/exercises/
    .venv/bin/python tools/exercises.py --check  fail if the twins' lessons are out of date
    .venv/bin/python tools/exercises.py --fresh  write them with every answer blank

A "Your turn" answer is a code cell whose first line is `# Your code here: ...`. In the
twin, that cell keeps its comment lines and loses the answer; its output and the output of
the check cell after it (`check(...)`, `check_...(...)`) are cleared, so the learner sees no
answer. A comment such as `# amex_cents = ...` that names an argument of that check becomes
the line `amex_cents = ...`, so a check run before the answer is written names what is
still missing (checks.py says so) instead of a bare NameError; an answer cell left with no
such line gets a `...`.

A twin is also the learner's workbook. `--check` compares only the lesson cells (markdown,
and code that is not an answer), by their source and in order: a learner's answers, the
outputs of their runs and cells they added never make it fail. Rewriting the twins keeps
what a learner wrote in an answer cell while its prompt (the first line) is the same; a new
prompt is a new exercise, and gets a blank cell (`--fresh` blanks them all again).
A link to another notebook stays in the exercises folder when that notebook has a twin, and
points up to `../` when it has none (00_welcome).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = NOTEBOOKS / "exercises"
ANSWER = "# Your code here:"
NOTEBOOK_LINK = re.compile(r"\]\((\d\d_[^)/#\s]+\.ipynb)")
CHECK_CALL = re.compile(r"\bcheck\w*\(")
PLACEHOLDER = re.compile(r"# (\w+) = (.*\.\.\..*)")


def has_answers(notebook: nbformat.NotebookNode) -> bool:
    return any(c.cell_type == "code" and c.source.startswith(ANSWER) for c in notebook.cells)


def relink(name: str, twinned: set[str]) -> str:
    """A link from a twin: to its sibling twin if there is one, else up to the notebook."""
    return f"]({name}" if name in twinned else f"](../{name}"


def twin(notebook: nbformat.NotebookNode, twinned: set[str]) -> nbformat.NotebookNode:
    """The exercise twin of ``notebook``; ``twinned`` names the notebooks that have one."""
    twin = nbformat.from_dict(notebook)
    code = [cell for cell in twin.cells if cell.cell_type == "code"]
    for at, cell in enumerate(code):
        if not cell.source.startswith(ANSWER):
            continue
        check_cell = next((c for c in code[at + 1 :] if CHECK_CALL.search(c.source)), None)
        given = check_arguments(check_cell.source) if check_cell else set()
        cell.source = blank(cell.source, given)
        cell.outputs = []
        if check_cell is not None:
            check_cell.outputs = []
    for cell in twin.cells:
        if cell.cell_type == "markdown":
            cell.source = NOTEBOOK_LINK.sub(lambda link: relink(link[1], twinned), cell.source)
    return twin


def check_arguments(source: str) -> set[str]:
    """The names a check call of ``source`` is given as they are (``check_x(a, b=c)``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {
        argument.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("check")
        for argument in [*node.args, *(keyword.value for keyword in node.keywords)]
        if isinstance(argument, ast.Name)
    }


def blank(answer: str, given: set[str]) -> str:
    """An answer cell without its answer: its comments, with each `# name = ...` line for a
    name in ``given`` made real; a `...` when no such line is left to run."""
    lines = []
    for line in answer.splitlines():
        if line.startswith("#"):
            placeholder = PLACEHOLDER.fullmatch(line)
            lines.append(line[2:] if placeholder and placeholder[1] in given else line)
    if all(line.startswith("#") for line in lines):
        lines.append("...")
    return "\n".join(lines)


def is_answer(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and cell.source.startswith(ANSWER)


def prompt(cell: nbformat.NotebookNode) -> str:
    """An answer cell's first line, ``# Your code here: ...``: what the exercise asks."""
    return cell.source.partition("\n")[0]


def is_blank(cell: nbformat.NotebookNode, wanted: nbformat.NotebookNode) -> bool:
    """An answer cell as a generator left it: ``wanted``'s blank, or its comments and `...`
    (the blank of earlier twins)."""
    lines = [line for line in cell.source.splitlines() if not line.startswith("#")]
    return cell.source == wanted.source or lines == ["..."]


def lesson(text: str) -> list[tuple[str, str]]:
    """The lesson cells of a twin: (type, source) of every cell that is not an answer."""
    notebook = nbformat.reads(text, as_version=4)
    return [(c.cell_type, c.source) for c in notebook.cells if not is_answer(c)]


def out_of_date(wanted: str, found: str) -> bool:
    """True when a twin on disk lacks a lesson cell of the wanted twin, or has it in another
    order or with another source; a learner's answers, outputs and added cells are theirs."""
    try:
        have = iter(lesson(found))
    except Exception:
        return True
    return not all(cell in have for cell in lesson(wanted))  # in order: a subsequence


def keep_answers(wanted: str, path: Path) -> str:
    """``wanted``, with the answers a learner already wrote in ``path`` put back."""
    if not path.exists():
        return wanted
    try:
        mine = [c for c in nbformat.read(path, as_version=4).cells if is_answer(c)]
    except Exception:
        return wanted
    notebook = nbformat.reads(wanted, as_version=4)
    answers = [c for c in notebook.cells if is_answer(c)]
    if len(mine) != len(answers):
        return wanted
    for cell, written in zip(answers, mine, strict=True):
        same_exercise = prompt(written) == prompt(cell)  # a new prompt is a new exercise
        if same_exercise and not is_blank(written, cell):
            cell.source, cell.outputs = written.source, written.outputs
    return nbformat.writes(notebook) + "\n"


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
        stale = [
            p.name
            for p, text in wanted.items()
            if not p.exists() or out_of_date(text, p.read_text())
        ]
        extra = [p.name for p in EXERCISES.glob("*.ipynb") if p not in wanted]
        if stale or extra:
            print(
                "exercise twins out of date:",
                ", ".join(stale + extra),
                "- run: python tools/exercises.py (it keeps the answers you wrote there)",
            )
            return 1
        return 0
    EXERCISES.mkdir(exist_ok=True)
    fresh = "--fresh" in argv
    for path, text in wanted.items():
        path.write_text(text if fresh else keep_answers(text, path))
    for path in EXERCISES.glob("*.ipynb"):
        if path not in wanted:
            path.unlink()
    print(f"wrote {len(wanted)} exercise notebooks to {EXERCISES.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
