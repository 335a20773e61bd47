"""Regenerate the locks from pyproject.toml: the one command a pin bump needs.

    .venv/bin/python tools/lock.py            # keep today's pins where pyproject allows
    .venv/bin/python tools/lock.py --upgrade  # the newest versions pyproject allows

requirements.txt locks what a learner's lab needs (pyproject's ``dependencies``);
requirements-test.txt adds the ``test`` extra, resolved against requirements.txt so every
package the two share has the same pin (Binder's postBuild installs requirements.txt with uv,
as kit.py does). Each lock records a digest of the dependency tables it came from;
tests/test_locks.py refuses a lock that is out of date.
The locks are universal: one file for Python 3.11 and 3.12, Linux, macOS and Windows.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
LAB_LOCK = ROOT / "requirements.txt"
TEST_LOCK = ROOT / "requirements-test.txt"
DIGEST_PREFIX = "# pyproject dependencies sha256: "


def dependency_digest(pyproject: Path = PYPROJECT) -> str:
    """A digest of what the locks are made from: the dependency tables, nothing else."""
    project = tomllib.loads(pyproject.read_text())["project"]
    tables = {
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
    }
    return hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()


def find_uv() -> str:
    """uv from the kit's virtual environment (kit.py installs it there), else from PATH."""
    for candidate in (ROOT / ".venv" / "bin" / "uv", ROOT / ".venv" / "Scripts" / "uv.exe"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("uv")
    if found is None:
        sys.exit(
            "tools/lock.py needs uv: run `python3 kit.py test` once (it installs uv), "
            "or `pip install uv`"
        )
    return found


def compile_lock(uv: str, output: Path, *extra: str, upgrade: bool) -> None:
    command = [
        uv, "pip", "compile", str(PYPROJECT), "--output-file", str(output), "--universal",
        "--python-version", "3.11", "--quiet",
        "--custom-compile-command", "python tools/lock.py", *extra,
    ]  # fmt: skip
    if upgrade:
        command.append("--upgrade")
    subprocess.run(command, check=True, cwd=ROOT)
    text = output.read_text()
    output.write_text(f"{DIGEST_PREFIX}{dependency_digest()}\n{text}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="take the newest allowed versions")
    args = parser.parse_args(argv)
    uv = find_uv()
    compile_lock(uv, LAB_LOCK, upgrade=args.upgrade)
    compile_lock(uv, TEST_LOCK, "--extra", "test", "--constraint", str(LAB_LOCK),
                 upgrade=args.upgrade)  # fmt: skip
    print(f"wrote {LAB_LOCK.name} and {TEST_LOCK.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
