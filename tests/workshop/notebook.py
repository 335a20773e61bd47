"""Driving one notebook in JupyterLab, through the app JupyterLab exposes to the page.

The notebook is found by its path among the open documents, and its cells by their
source, not by their position, so the notebooks can grow.
"""

from __future__ import annotations

import json
from typing import Any

# Every script below starts from the panel of the notebook at `path`.
_PANEL = """
  const app = window.jupyterapp;
  const panel = app && Array.from(app.shell.widgets("main"))
    .find((w) => w.context && w.context.path === path && w.content && w.content.widgets);
"""

READY = f"""(path) => {{{_PANEL}
  const session = panel && panel.sessionContext.session;
  const kernel = session && session.kernel;
  return Boolean(kernel && kernel.status === "idle" && kernel.connectionStatus === "connected"
                 && panel.content.widgets.length > 0 && panel.context.isReady);
}}"""

COUNTS = f"""(path) => {{{_PANEL}
  return panel.content.widgets.filter((cell) => cell.model.type === "code")
    .map((cell) => cell.model.executionCount);
}}"""

RUN = f"""async ([path, command, index]) => {{{_PANEL}
  app.shell.activateById(panel.id);
  if (index !== null) panel.content.activeCellIndex = index;
  return app.commands.execute(command);
}}"""

SOURCES = f"""(path) => {{{_PANEL}
  return panel.content.widgets.map((cell) => cell.model.sharedModel.getSource());
}}"""

OUTPUTS = f"""([path, index]) => {{{_PANEL}
  return JSON.stringify(panel.content.widgets[index].model.outputs.toJSON());
}}"""

SAVE = f"""async (path) => {{{_PANEL}
  return panel.context.save();
}}"""


def open_notebook(page: Any, lab: Any, path: str, timeout_ms: int = 120_000) -> None:
    """Open ``path`` in a fresh JupyterLab workspace (token in the URL, as Jupyter prints it)
    and wait for its kernel to be idle."""
    page.goto(f"{lab.url}lab/tree/{path}?reset&token={lab.token}")
    page.wait_for_function(READY, arg=path, timeout=timeout_ms)


def wait_idle(page: Any, path: str, timeout_ms: int = 120_000) -> None:
    page.wait_for_function(READY, arg=path, timeout=timeout_ms)


def run_all(page: Any, path: str) -> None:
    """Run > Run All Cells; it stops after a cell that raises, as for a learner."""
    page.evaluate(RUN, [path, "notebook:run-all-cells", None])
    wait_idle(page, path)
    counts = page.evaluate(COUNTS, path)
    assert counts and counts[0] is not None, f"Run All ran nothing in {path}: {counts}"


def run_from(page: Any, path: str, index: int) -> None:
    """Run the cell at ``index`` and every cell below it."""
    page.evaluate(RUN, [path, "notebook:run-all-below", index])
    wait_idle(page, path)


def cell_index(page: Any, path: str, *fragments: str) -> int:
    """The first cell whose source holds every fragment."""
    sources: list[str] = page.evaluate(SOURCES, path)
    for index, source in enumerate(sources):
        if all(fragment in source for fragment in fragments):
            return index
    raise AssertionError(f"no cell of {path} holds {fragments!r}")


def output_text(page: Any, path: str, index: int) -> str:
    """The text and HTML of a cell's outputs, joined."""
    parts: list[str] = []
    for output in json.loads(page.evaluate(OUTPUTS, [path, index])):
        if "text" in output:
            parts.append("".join(output["text"]))
        for kind in ("text/plain", "text/html"):
            value = output.get("data", {}).get(kind)
            if value:
                parts.append("".join(value) if isinstance(value, list) else value)
        if output.get("output_type") == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    return "\n".join(parts)


def cell(page: Any, index: int) -> Any:
    """The cell's node in the page (the notebook in view)."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)


def save(page: Any, path: str) -> None:
    page.evaluate(SAVE, path)
