"""`python3 kit.py ... --help` prints the kit's own help and starts nothing (issue 26: `lab
--help` started the sandbox, then printed JupyterLab's help instead of the kit's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def kit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "kit.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("lab", ["CLOVER_SANDBOX_PORT", "second terminal", "LocalSandbox(clover).reset()"]),
        ("test", ["pytest", "requirements-test.txt"]),
        ("site", ["_build/site", "Binder"]),
    ],
)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_a_command_with_help_prints_the_kits_help_and_starts_nothing(command, says, flag):
    result = kit(command, flag)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"python3 kit.py {command} ")
    for words in says:
        assert words in result.stdout
    # nothing installed, no sandbox started, no JupyterLab or pytest help
    assert "[kit]" not in result.stdout + result.stderr
    assert "jupyter-lab" not in result.stdout and "usage: " not in result.stdout


def test_the_kits_own_help_lists_its_commands():
    result = kit("--help")
    assert result.returncode == 0
    for command in ("kit.py lab", "kit.py test", "kit.py site"):
        assert command in result.stdout
    assert kit().returncode == 2  # no command: the same help, as a usage error
