"""The notebook suite under nbval, against as many kernels that only import `helpers`.

    .venv/bin/python benchmarks/notebook_suite.py

The floor is what any notebook costs before it does anything: a kernel start and the
import. The ratio says how much the notebooks' own work adds. It prints; it asserts nothing.
"""

from __future__ import annotations

import subprocess
import sys
import time
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


def nbval_suite(notebooks: list[Path]) -> float:
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *map(str, notebooks)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - began


def main() -> None:
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    suite = nbval_suite(notebooks)
    floor = import_only_floor(len(notebooks))
    print(f"{len(notebooks)} notebooks under nbval: {suite:6.1f} s")
    print(f"{len(notebooks)} kernels that only import helpers: {floor:6.1f} s")
    print(f"ratio: {suite / floor:.2f}")


if __name__ == "__main__":
    main()
