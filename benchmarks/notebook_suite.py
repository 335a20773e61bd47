"""The notebook suite under nbval, against as many kernels that only import `helpers`.

    .venv/bin/python benchmarks/notebook_suite.py [--runs 3]

The floor is what any notebook costs before it does anything: a kernel start and the
import. The ratio says how much the notebooks' own work adds. The two alternate, run after
run, and the medians are compared, so that a noisy neighbour weighs on both alike. It also
prints the notebooks that take longest (the sum of their cells, from the last run). It
prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def import_only_floor(kernels: int) -> float:
    began = time.perf_counter()
    for _ in range(kernels):
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import helpers")])
        NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    return time.perf_counter() - began


DURATION = re.compile(r"^([0-9.]+)s \w+ +(notebooks/[^:]+)::", re.MULTILINE)


def nbval_suite(notebooks: list[Path]) -> tuple[float, Counter[str]]:
    """Seconds for the whole suite, and each notebook's seconds (setup, cells, teardown)."""
    began = time.perf_counter()
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    run = subprocess.run(
        [*pytest, "--durations=0", "--durations-min=0", *map(str, notebooks)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - began
    per_notebook: Counter[str] = Counter()
    for seconds, notebook in DURATION.findall(run.stdout):
        per_notebook[notebook] += float(seconds)
    return took, per_notebook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="alternating runs of each (1)")
    runs = parser.parse_args().runs
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    suites, floors = [], []
    for _ in range(runs):
        took, per_notebook = nbval_suite(notebooks)
        suites.append(took)
        floors.append(import_only_floor(len(notebooks)))
    suite, floor = statistics.median(suites), statistics.median(floors)
    each = " ".join(f"{t:.1f}" for t in suites)
    print(f"{len(notebooks)} notebooks under nbval: {suite:6.1f} s median ({each})")
    each = " ".join(f"{t:.1f}" for t in floors)
    print(f"{len(notebooks)} kernels that only import helpers: {floor:6.1f} s median ({each})")
    print(f"ratio: {suite / floor:.2f}")
    print("longest notebooks (s):")
    for notebook, seconds in per_notebook.most_common(5):
        print(f"  {seconds:5.1f}  {Path(notebook).name}")


if __name__ == "__main__":
    main()
