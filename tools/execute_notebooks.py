"""Restart-and-run-all for the kit's notebooks, saving their outputs in place.

    .venv/bin/python tools/execute_notebooks.py notebooks/01_iframe_and_api_flow.ipynb ...

Each notebook runs in a fresh kernel, so the seeded local sandbox it starts gives the same
ids as under nbval. Cells marked `# NBVAL_RAISES_EXCEPTION` are also tagged `raises-exception`,
which lets execution (and a learner's Run All in JupyterLab) go on past the error they
demonstrate; any other error stops the run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

MARK = "# NBVAL_RAISES_EXCEPTION"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def execute(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        if MARK in cell.source and "raises-exception" not in tags:
            cell.metadata["tags"] = [*tags, "raises-exception"]
    # Stored outputs come from a fresh seeded sandbox in the kernel, whatever `.env` says:
    # variables already set win over it, and an empty URL starts a sandbox per kernel.
    # No page to type into either: lesson 01 may tokenize the test card itself.
    os.environ.update(CLOVER_ENV="local", CLOVER_SANDBOX_URL="", KIT_NO_FRONT_END="1")
    # Widget state is not stored: a form's state would hold what was typed into it.
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    notebook.metadata.pop("widgets", None)
    # Without its state a widget's view can only say "model not found" when the notebook is
    # opened; keep the text it stands for. Running the cell brings the live widget back.
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    nbformat.write(notebook, path)
    print(f"executed {path}")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        execute(Path(name))
