"""Driving one notebook in JupyterLab, through the app JupyterLab exposes to the page.

The notebook is found by its path among the open documents, and its cells by their
source, not by their position, so the notebooks can grow.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from playwright.sync_api import expect

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


# What the token cell says when the kernel's copy of the widget has no token yet.
NO_TOKEN_YET = "No token yet"


def run_until_the_kernel_has_the_token(
    page: Any, path: str, index: int, timeout: float = 30.0
) -> None:
    """Run the token cell and the ones below it, again until the kernel has the token.

    The page says "Python has it now" as soon as the widget's model changes in the browser;
    the change reaches the kernel a moment later (through Jupyter's and, on a hub, the
    hub's proxy), so under load the cell can still see `tokenizing`. It stops at the cell
    that raised, so running it again is what a learner would do."""
    deadline = time.monotonic() + timeout
    while True:
        run_from(page, path, index)
        if NO_TOKEN_YET not in output_text(page, path, index) or time.monotonic() > deadline:
            return


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


def pay_in_the_notebook(
    browsing: Any, lab: Any, path: str, card: tuple[str, ...]
) -> dict[str, Any]:
    """Open, run all, type the card into the iframes, run the rest; return what was seen."""
    number, expiry, cvv, postal, brand, last4 = card
    page = browsing.page
    tokens: list[str] = []

    def remember_token(response: Any) -> None:
        if response.url.endswith("/v1/tokens") and response.status == 200:
            tokens.append(json.loads(response.body())["id"])

    page.on("response", remember_token)
    started = time.perf_counter()
    open_notebook(page, lab, path)
    opened = time.perf_counter()
    run_all(page, path)
    ran = time.perf_counter()

    # Run All reached Step 4 before anyone could type: it stops there and says what to do,
    # and nothing is tokenized in Python nor charged (a trial saw it stand in for the shopper).
    token_cell = cell_index(page, path, "checkout.has_token")
    charge_cell = cell_index(page, path, "clover.create_charge(1358, token_id")
    waiting = output_text(page, path, token_cell)
    assert "No token yet: type a test card" in waiting, waiting
    assert "tokenizing" not in waiting and "Token:" not in waiting, waiting
    assert output_text(page, path, charge_cell) == "", "Run All went on past Step 4"

    widget_cell = cell_index(page, path, "CheckoutWidget(")
    widget = cell(page, widget_cell)
    widget.scroll_into_view_if_needed()
    button = widget.locator(".clover-checkout__button")
    expect(button).to_be_enabled(timeout=60_000)
    fields = {
        name: page.frame_locator(f'iframe[data-clover-element="{name}"]').locator("input")
        for name in ("CARD_NUMBER", "CARD_DATE", "CARD_CVV", "CARD_POSTAL_CODE")
    }
    fields["CARD_NUMBER"].fill(number)
    fields["CARD_DATE"].fill(expiry)
    fields["CARD_CVV"].fill(cvv)
    fields["CARD_POSTAL_CODE"].fill(postal)
    button.click()
    status = widget.locator(".clover-checkout__status")
    expect(status).to_contain_text("Python has it now", timeout=30_000)
    expect(status).to_contain_text(f"{brand} \u2022\u2022\u2022\u2022{last4}")

    run_until_the_kernel_has_the_token(page, path, token_cell)
    table_cell = cell_index(page, path, "charges_table(clover.list_charges(limit=10).data)")
    finished = time.perf_counter()

    token_text = output_text(page, path, token_cell)
    assert re.search(
        rf"Token from the iframe: clv_\u2022{{4}}\w{{4}} {brand} "
        rf"\u2022{{4}}{last4}",
        token_text,
    ), token_text
    charge_text = output_text(page, path, charge_cell)
    assert re.search(rf"succeeded \$13\.58 {brand} {last4} captured: True", charge_text), (
        charge_text
    )
    table = cell(page, table_cell).locator(".jp-OutputArea-output")
    expect(table).to_contain_text(last4)
    expect(table).to_contain_text(brand)

    # Card data stayed in the iframes; the token never shows whole, on screen or on disk.
    assert len(tokens) == 1, tokens
    save(page, path)
    saved = (lab.root / path).read_text()
    shown = page.content()
    for secret in (number, tokens[0]):
        assert secret not in saved
        assert secret not in shown
    widget_frames = [frame.url for frame in page.frames if "/widget.html" in frame.url]
    print(
        f"\n{path}: opened with an idle kernel in {opened - started:.1f} s, run all in "
        f"{ran - opened:.1f} s, typed card to charged table in {finished - ran:.1f} s"
    )
    return {"frames": widget_frames, "token": tokens[0]}
