"""The whole test suite's wall time at a baseline commit and at this one, back to back.

    .venv/bin/python benchmarks/suite_time.py [--baseline cbdf3f8] [--candidate HEAD]

Each commit is cloned into a temporary folder and set up there as a fresh
clone is (`kit.py`'s install of the test lock, into its own `.venv`), so neither run
touches this checkout or the other's environment. Each keeps the bytecode its own set-up
leaves, as in CI: this branch's compiles it at install (timed in its set-up), the
baseline's does not, so its processes compile what they import (every time, where
PYTHONDONTWRITEBYTECODE is set; the script says whether it is). Then pytest runs in each
with the commit's own options (the baseline one test at a time, this branch on every core),
with CI's variables (`KIT_REQUIRE_BROWSER=1 KIT_BINDER_TEST=1`), baseline first. The
candidate's lint and type step (`kit.py check`, which its `kit.py test` runs before pytest)
is timed apart. Prints each set-up and run, each run's closing line, the ratio, and the
load average before and after: on a shared machine the absolute numbers are noisy, the
ratio less so. It prints; it asserts nothing. Needs the package index (the set-ups install
the locks).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CI_VARIABLES = {"KIT_REQUIRE_BROWSER": "1", "KIT_BINDER_TEST": "1"}


def export(commit: str, folder: Path) -> Path:
    """A clone of this repository in `folder`, at `commit` (no .venv, no caches; a git
    checkout, since tests ask git which files are committed)."""
    sha = subprocess.run(
        ["git", "rev-parse", commit], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", str(ROOT), str(folder)],
                   check=True)  # fmt: skip
    subprocess.run(["git", "checkout", "-q", "--detach", sha], cwd=folder, check=True)
    return folder


def set_up(project: Path) -> float:
    """Seconds for the commit's own kit.py to create `.venv` and install its test lock."""
    began = time.perf_counter()
    code = "import kit; kit.install('test')"
    subprocess.run([sys.executable, "-c", code], cwd=project, check=True)
    return time.perf_counter() - began


def timed(command: list[str], project: Path, label: str = "pytest") -> tuple[float, str]:
    """Seconds for `command` in `project`, and its last line of output."""
    env = {**os.environ, **CI_VARIABLES}
    env.pop("VIRTUAL_ENV", None)
    began = time.perf_counter()
    run = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    took = time.perf_counter() - began
    log = project.parent / f"{project.name}-{label}.log"
    log.write_text(run.stdout + run.stderr)
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    return took, (lines[-1] if lines else f"(no output; exit {run.returncode})")


def load() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="cbdf3f8", help="the commit before (cbdf3f8)")
    parser.add_argument("--candidate", default="HEAD", help="the commit after (HEAD)")
    parser.add_argument("--keep", action="store_true", help="keep the folders and logs")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="suite-time-"))
    projects = {
        "before": export(args.baseline, work / "before"),
        "after": export(args.candidate, work / "after"),
    }
    for name, project in projects.items():
        print(f"set-up {name}: {set_up(project):.0f} s", flush=True)
    writes = "no" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "yes"
    print(f"Python writes the bytecode it compiles (no PYTHONDONTWRITEBYTECODE): {writes}")
    print(f"load average at the start: {load()}", flush=True)
    results: dict[str, tuple[float, str]] = {}
    for name, project in projects.items():
        python = str(project / ".venv" / "bin" / "python")
        results[name] = timed([python, "-m", "pytest", "-p", "no:cacheprovider"], project)
        print(f"pytest {name}: {results[name][0]:.0f} s  {results[name][1]}", flush=True)
    after = projects["after"]
    check = timed([str(after / ".venv" / "bin" / "python"), "kit.py", "check"], after, "check")
    print(f"load average at the end: {load()}")
    before_s, after_s = results["before"][0], results["after"][0]
    print(f"lint and types (kit.py check, after): {check[0]:.0f} s  {check[1]}")
    print(f"pytest after / before: {after_s / before_s:.2f}x")
    print(f"(pytest + check) after / pytest before: {(after_s + check[0]) / before_s:.2f}x")
    if args.keep:
        print(f"folders and logs kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
