"""Headless Chromium through Playwright, shared by the browser and workshop tests.

Browser tests need /usr/bin/chromium (or KIT_CHROMIUM). Without it they are skipped with
the reason, except under CI or with KIT_REQUIRE_BROWSER=1, where a missing browser is a
failure: a silently skipped security test is worse than a red build.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def launched() -> Iterator[Any]:
    """A running headless Chromium, closed with its Playwright driver afterwards."""
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
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()
