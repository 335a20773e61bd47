"""A fresh environment's install, with uv and with plain pip, from cold caches, in one run.

    .venv/bin/python benchmarks/setup_time.py

What `kit.py` does on a fresh clone, timed: a new virtual environment, then the learner's
lock (`requirements.txt`, what `kit.py lab` installs) and the test lock
(`requirements-test.txt`, what `kit.py test` installs) with uv from an empty cache, then the
test lock with pip from no cache (pip's baseline). Prints each time, the ratio to pip, and
each environment's size on disk. It prints; it asserts nothing. Needs the package index.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UV_WHEEL = "uv>=0.13,<0.14"


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


def with_uv(work: Path, lock: str) -> tuple[float, float]:
    """Seconds for kit.py's way (uv as a wheel into the venv, then the lock), and MiB."""
    folder = work / f"uv-{lock}"
    began = time.perf_counter()
    python = fresh_venv(folder)
    pip(python, "--no-cache-dir", UV_WHEEL)
    env = {**os.environ, "UV_CACHE_DIR": str(work / f"uv-cache-{lock}")}
    uv = folder / "bin" / "uv"
    target = ["--python", str(python)]
    subprocess.run([str(uv), "pip", "install", "-q", *target, "-r", str(ROOT / lock)],
                   check=True, env=env)  # fmt: skip
    subprocess.run([str(uv), "pip", "install", "-q", *target, "--no-deps", "-e", str(ROOT)],
                   check=True, env=env)  # fmt: skip
    return time.perf_counter() - began, size_mib(folder)


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
        lab_uv = with_uv(work, "requirements.txt")
        test_uv = with_uv(work, "requirements-test.txt")
        test_pip = with_pip(work, "requirements-test.txt")
    print(f"{'install, cold caches':<44}{'seconds':>9}{'size MiB':>10}")
    for label, (seconds, size) in (
        ("learner's lock with uv (kit.py lab)", lab_uv),
        ("test lock with uv (kit.py test)", test_uv),
        ("test lock with plain pip (the baseline)", test_pip),
    ):
        print(f"{label:<44}{seconds:>9.1f}{size:>10.0f}")
    print(f"uv against pip for the same pins: {test_uv[0] / test_pip[0]:.2f}x the time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
