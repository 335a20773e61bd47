"""The locks are made from pyproject.toml by tools/lock.py and nothing else.

A pin bump is one command; these tests refuse a lock that a pyproject edit left behind, a
direct dependency the lock does not satisfy, and two locks that disagree on a shared pin.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import lock  # noqa: E402  (tools/ is not a package)

LOCKS = [lock.LAB_LOCK, lock.TEST_LOCK]


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, set[str]]:
    """``name -> versions`` of a lock (a universal lock may pin two, under markers)."""
    found: dict[str, set[str]] = {}
    for line in path.read_text().splitlines():
        requirement = line.split("#", 1)[0].split(";", 1)[0].strip()
        if not requirement:
            continue
        name, sep, version = requirement.partition("==")
        assert sep, f"{path.name}: {line!r} is not an exact pin"
        found.setdefault(normalize(name), set()).add(version.strip())
    return found


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize("path", LOCKS, ids=lambda p: p.name)
def test_each_lock_was_made_from_todays_pyproject(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    assert first == f"{lock.DIGEST_PREFIX}{lock.dependency_digest()}", (
        f"{path.name} is older than pyproject.toml's dependencies: run "
        "`.venv/bin/python tools/lock.py` and commit the locks"
    )


def test_a_changed_dependency_changes_the_digest(tmp_path: Path) -> None:
    edited = tmp_path / "pyproject.toml"
    text = (ROOT / "pyproject.toml").read_text()
    edited.write_text(text.replace('"httpx>=0.28,<0.29"', '"httpx>=0.28,<0.30"'))
    assert edited.read_text() != text
    assert lock.dependency_digest(edited) != lock.dependency_digest()


@pytest.mark.parametrize(
    ("path", "extras"), [(lock.LAB_LOCK, ()), (lock.TEST_LOCK, ("test",))], ids=["lab", "test"]
)
def test_every_direct_dependency_is_locked_within_its_range(path: Path, extras: tuple) -> None:
    declared = list(project()["dependencies"])
    for extra in extras:
        declared += project()["optional-dependencies"][extra]
    locked = pins(path)
    for text in declared:
        requirement = Requirement(text)
        versions = locked.get(normalize(requirement.name))
        assert versions, f"{requirement.name} is declared in pyproject but not in {path.name}"
        for version in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{path.name} pins {requirement.name}=={version}, outside {requirement.specifier}"
            )


def test_the_test_lock_is_the_lab_lock_plus_the_test_tools() -> None:
    lab, test = pins(lock.LAB_LOCK), pins(lock.TEST_LOCK)
    assert lab.keys() <= test.keys(), sorted(lab.keys() - test.keys())
    assert {name: lab[name] for name in lab if lab[name] != test[name]} == {}


def test_the_learners_lock_holds_no_test_tool() -> None:
    """aiohttp and nbformat are in both (JupyterLab and its proxy need them); these not."""
    lab = pins(lock.LAB_LOCK)
    tools = ["pytest", "nbval", "hypothesis", "playwright", "ruff", "mypy", "import-linter"]
    assert [name for name in tools if name in lab] == []
