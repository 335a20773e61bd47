"""The sandbox's import boundary, seen from a fresh interpreter.

Ruff, ruff format, mypy and the import contracts are not tests: `python3 kit.py check` runs
them as a step of their own, and `kit.py test` runs that step before pytest
(tests/test_kit_check.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _printed_by(code: str) -> list[str]:
    """The words `code` prints, run in a fresh interpreter from the project's root."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_sandbox_loads_no_client_module():
    """The sandbox knows the client only by URL: importing it loads nothing of the client
    (only the shared leaves of card rules and masking, which import nothing else of it)."""
    code = (
        "import sys, helpers.sandbox.app, helpers.sandbox.server\n"
        "print(' '.join(sorted(m for m in sys.modules\n"
        "      if m.startswith('helpers.') and not m.startswith('helpers.sandbox')\n"
        "      and m not in ('helpers.card_rules', 'helpers.masking'))))"
    )
    assert _printed_by(code) == []


def test_the_sandbox_core_loads_nothing_above_it():
    """The core is the sandbox's floor: importing every core module loads no resource, local
    feature, page, OpenAPI code nor the app (the state it needs is a Protocol, core/state.py)."""
    code = (
        "import importlib, pkgutil, sys, helpers.sandbox.core as core\n"
        "for found in pkgutil.iter_modules(core.__path__):\n"
        "    importlib.import_module('helpers.sandbox.core.' + found.name)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('helpers.sandbox.')\n"
        "      and not m.startswith('helpers.sandbox.core'))))"
    )
    assert _printed_by(code) == []
