"""`kit.py test` fails when the lint and type step fails, even if every test passes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import kit  # beside the root conftest.py, on pytest's path


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kit, "install", lambda purpose: None)
    monkeypatch.setattr(kit, "PYTHON", Path(sys.executable))


def test_the_check_runs_ruff_format_mypy_and_the_import_contracts() -> None:
    assert set(kit.CHECKS) == {"ruff", "ruff format", "mypy", "import contracts"}


def test_a_failing_check_fails_the_test_command(
    installed: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(kit, "CHECKS", {"ruff": ["-c", "raise SystemExit(1)"]})
    assert kit.check([]) == 1
    assert kit.test(["--version"]) == 1  # pytest --version passes; the check did not
    assert "the check failed: ruff" in capsys.readouterr().out


def test_a_passing_check_leaves_the_tests_to_decide(
    installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kit, "CHECKS", {"ruff": ["-c", "pass"]})
    assert kit.test(["--version"]) == 0
    assert kit.test(["--no-such-option"]) != 0
