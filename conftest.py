"""Loaded by every pytest run from the project root, `pytest notebooks/NN_x.ipynb` included.

The suite, notebooks included, runs against fresh local sandboxes whatever a developer's
`.env` says or whichever lab is running: variables already set win over `.env`, and an
empty sandbox URL makes each kernel start its own seeded sandbox (not the lab's, which
`connect()` would otherwise find). Only tests/real_sandbox talks to Clover, by name.

The suite runs on every core (pyproject's addopts: pytest-xdist, `--dist loadfile`, one
worker more than the cores): a file stays on one worker, so a notebook's cells share one
kernel and a module's lab, hub or Chromium starts once. Every port and folder a test uses
is its own (free_port, tmp_path).
"""

import os
import sys
from pathlib import Path

import pytest

from tests.chromium import close_kept

# Bytecode, written as the run imports: where PYTHONDONTWRITEBYTECODE is set (as on the
# machines CI runs on), every process of a run (xdist workers, kernels, labs, sandboxes)
# compiled all it imported, every time. Now the first import writes it and the rest read it.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

os.environ["CLOVER_ENV"] = "local"
os.environ["CLOVER_SANDBOX_URL"] = ""
# No page to type into in these runs: lesson 01 may tokenize the test card itself (a live lab
# waits for the shopper). tests/workshop keeps it from the labs it starts.
os.environ["KIT_NO_FRONT_END"] = "1"

ROOT = Path(__file__).resolve().parent
# Every Python process the tests start (labs, hubs, Sphinx, kernels, sandboxes) loads
# tests/startup/sitecustomize.py, which defers an import that cost a Jupyter server half
# of its start (its docstring says which).
STARTUP = str(ROOT / "tests" / "startup")
if STARTUP not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(
        part for part in (STARTUP, os.environ.get("PYTHONPATH")) if part
    )
# The long ones, skipped by `pytest -m "not slow"`: whole labs, hubs and Binder starts, the
# soak, and everything that drives Chromium (marked `browser`).
SLOW_FOLDERS = (ROOT / "tests" / "workshop",)
SLOW_FILES = (ROOT / "tests" / "reliability" / "test_soak.py",)
# The fixtures that give a test the Chromium of tests/chromium.py's `kept()`.
BROWSER_FIXTURES = {"browser", "chromium"}


def is_slow(item: pytest.Item) -> bool:
    path = Path(item.path)
    return (
        item.get_closest_marker("browser") is not None
        or path in SLOW_FILES
        or any(folder in path.parents for folder in SLOW_FOLDERS)
    )


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker more than the cores. Many files wait on other processes (a lab
    or Chromium starting, the Binder start's downloads, a kernel), and the extra worker
    uses the core meanwhile: tests/browser, the notebooks and two lab files took 129-135 s
    with three workers on two cores, 136-174 s with two (alternate runs, one command)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Close the Chromium the browser files keep from one file to the next (tests/chromium.py)
    before a test that asks for none: while Playwright's sync API runs, a test calling
    asyncio.run() would fail."""
    if not BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
        close_kept()


def pytest_sessionfinish() -> None:
    close_kept()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tests, and start their files first, so the longest files are not the
    last ones left running on one worker while the others wait. Among them, the files that
    drive Chromium come first, one after another: a worker goes on to the next with the
    Chromium it kept (tests/chromium.py)."""
    slow_files, browser_files = set(), set()
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)
            slow_files.add(item.path)
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            browser_files.add(item.path)
    items.sort(key=lambda item: (item.path not in slow_files, item.path not in browser_files))
