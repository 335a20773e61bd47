"""kit.py: `test` fails when the lint and type step fails, even if every test passes; a
fresh set-up makes no pip and installs with one uv command."""

from __future__ import annotations

import subprocess
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


def test_a_fresh_set_up_makes_no_pip_and_installs_with_one_uv_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The set-up's time went to installing pip, then uv, then two uv commands: now a venv
    without pip, uv by the pip wheel Python bundles, and one uv command for lock and helpers."""
    made: list[bool] = []
    commands: list[tuple[list[str], str]] = []
    bin_folder = tmp_path / ".venv" / "bin"

    class Builder:
        def __init__(self, with_pip: bool) -> None:
            made.append(with_pip)

        def create(self, folder: Path) -> None:
            bin_folder.mkdir(parents=True)
            (bin_folder / "python").touch()

    def run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
        env = options.get("env") or {}
        commands.append(([str(part) for part in command], str(env.get("PYTHONPATH", ""))))
        if kit.UV_REQUIREMENT in command:
            (bin_folder / "uv").touch()
        return subprocess.CompletedProcess(command, 0, "", "")

    for name, value in {
        "VENV": tmp_path / ".venv",
        "PYTHON": bin_folder / "python",
        "UV": bin_folder / "uv",
        "STAMP": tmp_path / ".venv" / ".kit-installed",
    }.items():
        monkeypatch.setattr(kit, name, value)
    monkeypatch.setattr(kit, "PIP", [str(bin_folder / "python"), "-m", "pip", "install"])
    monkeypatch.setattr(kit.venv, "EnvBuilder", Builder)
    monkeypatch.setattr(kit.subprocess, "run", run)
    kit.install("test")
    assert made == [False]
    [(bootstrap, pythonpath), (uv, _)] = commands
    assert kit.UV_REQUIREMENT in bootstrap and pythonpath.endswith(".whl")
    assert uv[0] == str(bin_folder / "uv") and uv[-3:] == [
        str(kit.LOCKS["test"]),
        "-e",
        str(kit.ROOT),
    ]
    assert "ensurepip" not in " ".join(" ".join(c) for c, _ in commands)
