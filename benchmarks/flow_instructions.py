"""Instructions per token + charge flow, this tree against a baseline commit: the figure a
busy machine cannot move.

    .venv/bin/python benchmarks/flow_instructions.py [--baseline 2f8a31d] [--flows 300]

CPU time on a shared machine wanders by a third from run to run (flow_cpu.py prints the
spread); the count of instructions the app executes does not. Each tree's app is called
directly, as flow_cpu_asgi.py does, under valgrind's callgrind, which counts only while
the measured flows run (they run inside `sorted()`, the one C function the count is
toggled on; a warm-up runs before it). The two trees run at once, each in its own process,
and it prints instructions per flow and their ratio. It needs valgrind and a libpython
with its symbols (pyenv's and the distributions' have them); it asserts nothing.
Instructions are not time (cache misses and branches are not counted): this is the
steady figure for a change's direction, flow_cpu.py the served one.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from flow_cpu import baseline_tree

ROOT = Path(__file__).resolve().parent.parent
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")
DRIVER = """
import asyncio, sys
sys.path.insert(0, {benchmarks!r})
from flow_cpu_asgi import flow
from helpers.sandbox.app import create_app
loop, app = asyncio.new_event_loop(), create_app(seed=1)
async def flows(count):
    for _ in range(count):
        await flow(app)
loop.run_until_complete(flows(50))  # warm-up: imports, caches, the key pair
sorted([0], key=lambda _: loop.run_until_complete(flows({flows})))
"""


def counting(tree: Path, flows: int) -> subprocess.Popen[str]:
    """callgrind on `tree`'s app, counting the instructions of `flows` flows."""
    code = DRIVER.format(benchmarks=str(ROOT / "benchmarks"), flows=flows)
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        "--toggle-collect=builtin_sorted",
        sys.executable,
        "-c",
        code,
    ]
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    return subprocess.Popen(
        command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def per_flow(run: subprocess.Popen[str], flows: int) -> float:
    _, errors = run.communicate()
    found = COLLECTED.search(errors)
    if run.returncode != 0 or found is None or int(found.group(1)) == 0:
        raise SystemExit(f"callgrind counted nothing:\n{errors[-2000:]}")
    return int(found.group(1)) / flows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="2f8a31d")
    parser.add_argument("--flows", type=int, default=300)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    with baseline_tree(args.baseline) as old:
        runs = {"this tree": counting(ROOT, args.flows), args.baseline: counting(old, args.flows)}
        counts = {name: per_flow(run, args.flows) for name, run in runs.items()}
    now, then = counts["this tree"], counts[args.baseline]
    print(f"instructions per flow ({args.flows} flows, callgrind)")
    for name, count in counts.items():
        print(f"{name:<12} {count:>12,.0f}")
    print(f"this / {args.baseline} = {now / then:.3f}")


if __name__ == "__main__":
    main()
