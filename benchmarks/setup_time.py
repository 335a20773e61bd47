"""A fresh environment's install, with uv and with plain pip, from cold caches, in one run.

    .venv/bin/python benchmarks/setup_time.py

What `kit.py` does on a fresh clone, timed: kit.py's own install (a virtual environment,
uv, the lock and helpers) in a copy of the project's files, for the learner's lock
(`requirements.txt`, what `kit.py lab` installs) and the test lock (`requirements-test.txt`,
what `kit.py test` installs), with uv's and pip's caches empty; then the test lock with
plain pip from no cache (the baseline). Prints each time, the ratio to pip (the bar: at
most 0.2), and each environment's size on disk. It prints; it asserts nothing. Needs the
package index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def size_mib(folder: Path) -> float:
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total / 1024 / 1024


def fresh_venv(folder: Path) -> Path:
    venv.EnvBuilder(with_pip=True).create(folder)
    return folder / "bin" / "python"


def pip(python: Path, *args: str) -> None:
    command = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *args]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def project_copy(target: Path) -> Path:
    """The project's files as a fresh clone has them (tracked and new, nothing ignored)."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, files.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def with_kit(work: Path, purpose: str) -> tuple[float, float]:
    """Seconds for kit.py's own install (`lab` or `test`) in a fresh copy, and MiB."""
    project = project_copy(work / f"kit-{purpose}")
    env = {
        **os.environ,
        "UV_CACHE_DIR": str(work / f"uv-cache-{purpose}"),
        "PIP_NO_CACHE_DIR": "1",
    }
    code = f"import kit; kit.install({purpose!r})"
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=project, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - began, size_mib(project / ".venv")


def with_pip(work: Path, lock: str) -> tuple[float, float]:
    folder = work / f"pip-{lock}"
    began = time.perf_counter()
    python = fresh_venv(folder)
    pip(python, "--no-cache-dir", "-r", str(ROOT / lock))
    pip(python, "--no-cache-dir", "--no-deps", "-e", str(ROOT))
    return time.perf_counter() - began, size_mib(folder)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="setup-time-") as folder:
        work = Path(folder)
        lab_uv = with_kit(work, "lab")
        test_uv = with_kit(work, "test")
        test_pip = with_pip(work, "requirements-test.txt")
    print(f"{'install, cold caches':<44}{'seconds':>9}{'size MiB':>10}")
    for label, (seconds, size) in (
        ("learner's lock, kit.py lab's set-up", lab_uv),
        ("test lock, kit.py test's set-up", test_uv),
        ("test lock with plain pip (the baseline)", test_pip),
    ):
        print(f"{label:<44}{seconds:>9.1f}{size:>10.0f}")
    print(f"load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print(f"kit.py test's set-up against plain pip, same pins: {test_uv[0] / test_pip[0]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
