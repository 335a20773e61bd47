"""Headless Chromium through Playwright, shared by the browser and workshop tests.

Browser tests need /usr/bin/chromium (or KIT_CHROMIUM). Without it they are skipped with
the reason, except under CI or with KIT_REQUIRE_BROWSER=1, where a missing browser is a
failure: a silently skipped security test is worse than a red build.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("KIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def unavailable(reason: str) -> None:
    """Skip, or fail when the environment says browser tests must run."""
    if os.environ.get("KIT_REQUIRE_BROWSER") == "1" or os.environ.get("CI"):
        pytest.fail(
            f"browser tests must run here (CI or KIT_REQUIRE_BROWSER=1) but {reason}", pytrace=False
        )
    pytest.skip(reason)


def _launch() -> tuple[Any, Any]:
    """Playwright's driver and a headless Chromium it launched."""
    if not Path(CHROMIUM).exists():
        unavailable(f"no Chromium at {CHROMIUM} (set KIT_CHROMIUM to another path)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
    return playwright, browser


def _close(playwright: Any, browser: Any) -> None:
    try:
        browser.close()
    finally:
        playwright.stop()


@contextmanager
def launched() -> Iterator[Any]:
    """A running headless Chromium, closed with its Playwright driver afterwards."""
    playwright, browser = _launch()
    try:
        yield browser
    finally:
        _close(playwright, browser)


# The Chromium a test module used, kept for the next module that asks for one (this
# process's main thread only: Playwright's sync API belongs to the thread that started it).
_kept: list[tuple[Any, Any]] = []


@contextmanager
def kept() -> Iterator[Any]:
    """Chromium for a test module, as `launched()` gives, but left running when the module
    ends: the files that drive a browser run one after another on a worker (conftest.py
    starts them first), and each launch of Playwright's driver and Chromium cost about
    0.8 s of CPU. Every test gets a fresh context of its own, as before.

    While it runs, Playwright's sync API keeps an event loop running in this thread, and a
    later test that calls asyncio.run() would fail ("cannot be called from a running event
    loop"): conftest.py calls `close_kept()` before any test that asks for no browser."""
    if _kept and not _kept[0][1].is_connected():
        close_kept()  # it crashed, or a test closed it
    if not _kept:
        _kept.append(_launch())
    yield _kept[0][1]


def close_kept() -> None:
    """Close the kept Chromium and its driver, if one is running."""
    while _kept:
        with suppress(Exception):  # a browser that crashed has nothing left to close
            _close(*_kept.pop())
