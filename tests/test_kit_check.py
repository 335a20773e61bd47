"""kit.py: `test` fails when the lint and type step fails, even if every test passes; a
fresh set-up makes no pip and installs with one uv command."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from importlib.util import cache_from_source
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


@dataclass
class SetUp:
    """What a fresh set-up ran, with the installers faked: each command (and the
    PYTHONPATH it ran with) and each virtual environment made (whether with pip)."""

    root: Path
    bin_folder: Path
    commands: list[tuple[list[str], str]] = field(default_factory=list)
    made: list[bool] = field(default_factory=list)


@pytest.fixture
def fresh_set_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SetUp:
    """kit.install on a fresh copy of the project's metadata and helpers, in tmp_path."""
    root = tmp_path / "project"
    for name in (
        "pyproject.toml",
        *(str(lock.relative_to(kit.ROOT)) for lock in kit.LOCKS.values()),
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes((kit.ROOT / name).read_bytes())
    for package in kit.OWN_PACKAGES:
        (root / package).mkdir()
        (root / package / "__init__.py").write_text('"""A package of the kit."""\n')
    set_up = SetUp(root, root / ".venv" / "bin")

    class Builder:
        def __init__(self, with_pip: bool) -> None:
            set_up.made.append(with_pip)

        def create(self, folder: Path) -> None:
            set_up.bin_folder.mkdir(parents=True)
            (set_up.bin_folder / "python").touch()

    def run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
        env = options.get("env") or {}
        set_up.commands.append(([str(part) for part in command], str(env.get("PYTHONPATH", ""))))
        if kit.UV_REQUIREMENT in command:
            (set_up.bin_folder / "uv").touch()
        return subprocess.CompletedProcess(command, 0, "", "")

    for name, value in {
        "ROOT": root,
        "LOCKS": {purpose: root / lock.name for purpose, lock in kit.LOCKS.items()},
        "VENV": root / ".venv",
        "PYTHON": set_up.bin_folder / "python",
        "UV": set_up.bin_folder / "uv",
        "STAMP": root / ".venv" / ".kit-installed",
    }.items():
        monkeypatch.setattr(kit, name, value)
    monkeypatch.setattr(kit, "PIP", [str(set_up.bin_folder / "python"), "-m", "pip", "install"])
    monkeypatch.setattr(kit.venv, "EnvBuilder", Builder)
    monkeypatch.setattr(kit.subprocess, "run", run)
    return set_up


def test_a_fresh_set_up_makes_no_pip_and_installs_with_one_uv_command(
    fresh_set_up: SetUp,
) -> None:
    """The set-up's time went to installing pip, then uv, then two uv commands: now a venv
    without pip, uv by the pip wheel Python bundles, and one uv command for lock and helpers."""
    kit.install("test")
    assert fresh_set_up.made == [False]
    [(bootstrap, pythonpath), (uv, _)] = fresh_set_up.commands
    assert kit.UV_REQUIREMENT in bootstrap and pythonpath.endswith(".whl")
    assert uv[0] == str(fresh_set_up.bin_folder / "uv") and uv[-3:] == [
        str(kit.LOCKS["test"]),
        "-e",
        str(kit.ROOT),
    ]
    assert "ensurepip" not in " ".join(" ".join(c) for c, _ in fresh_set_up.commands)


def test_a_labs_set_up_leaves_bytecode_for_every_kernel_to_come(fresh_set_up: SetUp) -> None:
    """Without it, each kernel and server of a lab compiled what it imported (every time,
    where PYTHONDONTWRITEBYTECODE is set): the lock's packages are compiled by uv, the kit's
    own packages, installed editable, by kit.py."""
    kit.install("lab")
    [_, (uv, _)] = fresh_set_up.commands
    assert "--compile-bytecode" in uv
    for package in kit.OWN_PACKAGES:
        # where this Python looks for it (sys.pycache_prefix, if one is set)
        assert Path(cache_from_source(str(fresh_set_up.root / package / "__init__.py"))).is_file()


def test_the_own_packages_are_the_editable_installs() -> None:
    found = tomllib.loads((kit.ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert found["packages"]["find"]["include"] == [f"{name}*" for name in kit.OWN_PACKAGES]


def test_the_test_set_up_leaves_bytecode_to_the_run(fresh_set_up: SetUp) -> None:
    """The set-up bar (issue 27: at most 0.2 of plain pip): compiling the whole test lock
    took the set-up from 0.15x to 0.28x of pip; the suite writes what it imports instead."""
    kit.install("test")
    [_, (uv, _)] = fresh_set_up.commands
    assert "--compile-bytecode" not in uv


def test_the_suite_writes_the_bytecode_it_imports() -> None:
    """conftest.py lets every process of a run write bytecode, and its children inherit it."""
    assert not sys.dont_write_bytecode
    assert "PYTHONDONTWRITEBYTECODE" not in os.environ
