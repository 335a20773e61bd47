"""The code base stays ruff clean, as the README promises contributors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_changes_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_sandbox_loads_no_client_module():
    """The sandbox knows the client only by URL: importing it loads nothing of the client
    (only the shared leaves of card rules and masking, which import nothing else of it)."""
    code = (
        "import sys, helpers.sandbox.app, helpers.sandbox.server\n"
        "print(' '.join(sorted(m for m in sys.modules\n"
        "      if m.startswith('helpers.') and not m.startswith('helpers.sandbox')\n"
        "      and m not in ('helpers.card_rules', 'helpers.masking'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []


def test_mypy_finds_nothing_in_helpers():
    """pyproject's [tool.mypy] checks the whole helpers package."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_contracts_hold():
    """pyproject's [tool.importlinter]: the sandbox never imports the client or notebook
    wings, the client wing never imports the notebook wing or the sandbox, card rules are a
    leaf. A broken contract names the import chain."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
