"""Time from `python -m helpers.sandbox` to its first answered request, and in-thread start.

    .venv/bin/python benchmarks/sandbox_start.py [--runs 10]

Prints the median and the worst of each, beside the time of a bare `python -c pass` as
the floor any command stands on.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import httpx

from helpers.sandbox import Sandbox
from helpers.sandbox.process import start_sandbox_process


def command_start() -> float:
    began = time.perf_counter()
    process, url = start_sandbox_process()
    httpx.get(f"{url}/_sandbox/health").raise_for_status()
    elapsed = time.perf_counter() - began
    process.terminate()
    process.wait()
    return elapsed


def python_floor() -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - began


def thread_start() -> float:
    began = time.perf_counter()
    with Sandbox(seed=1) as sandbox:
        httpx.get(f"{sandbox.url}/_sandbox/health").raise_for_status()
        return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    for name, measure in (
        ("python -c pass", python_floor),
        ("python -m helpers.sandbox", command_start),
        ("Sandbox() in a thread", thread_start),
    ):
        times = [measure() * 1000 for _ in range(runs)]
        print(f"{name:<28} median {statistics.median(times):7.1f} ms   worst {max(times):7.1f} ms")


if __name__ == "__main__":
    main()
