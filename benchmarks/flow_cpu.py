"""Server CPU per token + charge flow: this tree against a baseline commit, in one command.

    .venv/bin/python benchmarks/flow_cpu.py [--baseline 2f8a31d] [--flows 500] [--rounds 5]

The baseline is checked out with `git worktree add` into a temporary folder (removed at
the end) and served by the same Python as this tree, each sandbox as its own process. The
runs alternate (this tree, the baseline, this tree...) at concurrency 1 and 8, so a
neighbour's load on a shared machine falls on both alike; each run is `--flows` flows after
a warm-up. Server CPU is the process's user + system time, read from /proc before and
after (sandbox_load.py's `drive`, whose flow and bare request this reuses). It prints the
median CPU per flow of each, and the ratios the issue sets bars on: this tree / baseline
(at most 1.0), and a flow / two bare requests on this tree's stack (at most 2.0). Last,
the app's own CPU per flow with no server around it (flow_cpu_asgi.py, run in each tree
in turn), the least noisy of the timed figures on a shared machine. It asserts nothing.
flow_instructions.py counts the app's instructions per flow instead: no load moves it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
from sandbox_load import bare, drive, flow

ROOT = Path(__file__).resolve().parent.parent
IN_PROCESS = Path(__file__).with_name("flow_cpu_asgi.py")
URL = re.compile(r"http://\S+:\d+")
CONCURRENCY = (1, 8)


@contextmanager
def baseline_tree(commit: str) -> Iterator[Path]:
    """The baseline commit, checked out beside this one for the length of the run."""
    with tempfile.TemporaryDirectory(prefix="flow-cpu-") as folder:
        tree = Path(folder) / "baseline"
        git = ["git", "-C", str(ROOT)]
        subprocess.run([*git, "worktree", "add", "--detach", "-q", str(tree), commit], check=True)
        try:
            yield tree
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(tree)], check=False)


@contextmanager
def serving(tree: Path) -> Iterator[tuple[str, psutil.Process]]:
    """`python -m helpers.sandbox` from `tree`'s own code, on a free port."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, "-m", "helpers.sandbox", "--port", "0", "--seed", "1"]
    process = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        found = URL.search(process.stdout.readline())
        if found is None:
            raise SystemExit(f"the sandbox of {tree} printed no URL")
        yield found.group(), psutil.Process(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)


def cpu_ms_per_flow(url: str, server: psutil.Process, kind: object, flows: int, conc: int) -> float:
    run = asyncio.run(drive(url, kind, flows, conc, server))
    return run.server_cpu_s / run.flows * 1000


def in_process_ms(tree: Path, flows: int) -> float:
    """flow_cpu_asgi.py on `tree`'s code: the app's CPU per flow, called directly."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, str(IN_PROCESS), str(flows)]
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="2f8a31d")
    parser.add_argument("--flows", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    figures: dict[tuple[str, str, int], list[float]] = {}
    with baseline_tree(args.baseline) as old, serving(ROOT) as this, serving(old) as base:
        sandboxes = {"this tree": this, args.baseline: base}
        for url, server in sandboxes.values():  # warm-up: imports, caches, the key pair
            for conc in CONCURRENCY:
                cpu_ms_per_flow(url, server, flow, 100, conc)
        for _ in range(args.rounds):
            for conc in CONCURRENCY:
                for name, (url, server) in sandboxes.items():
                    kinds = (flow, bare) if name == "this tree" else (flow,)
                    for kind in kinds:
                        spent = cpu_ms_per_flow(url, server, kind, args.flows, conc)
                        figures.setdefault((name, kind.__name__, conc), []).append(spent)

        apps: dict[str, list[float]] = {"this tree": [], args.baseline: []}
        for _ in range(args.rounds):
            apps["this tree"].append(in_process_ms(ROOT, args.flows * 4))
            apps[args.baseline].append(in_process_ms(old, args.flows * 4))

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'server CPU ms per flow (median)':<34} {'conc':>4} {'runs':>5} {'median':>8}")
    for (name, kind, conc), runs in sorted(figures.items()):
        label = f"{name}, {kind}"
        print(f"{label:<34} {conc:>4} {len(runs):>5} {statistics.median(runs):>8.3f}")
    for conc in CONCURRENCY:
        now = statistics.median(figures[("this tree", "flow", conc)])
        then = statistics.median(figures[(args.baseline, "flow", conc)])
        floor = statistics.median(figures[("this tree", "bare", conc)])
        pairs = [
            a / b
            for a, b in zip(
                figures[("this tree", "flow", conc)],
                figures[(args.baseline, "flow", conc)],
                strict=True,
            )
        ]
        print(
            f"concurrency {conc}: this / {args.baseline} = {now / then:.2f} "
            f"(per round {min(pairs):.2f}-{max(pairs):.2f}); "
            f"flow / two bare requests = {now / floor:.2f}"
        )

    now, then = (statistics.median(apps[name]) for name in ("this tree", args.baseline))
    pairs = [a / b for a, b in zip(apps["this tree"], apps[args.baseline], strict=True)]
    print(
        f"the app alone (ASGI, no server): this tree {now:.3f} ms, {args.baseline} {then:.3f} "
        f"ms per flow; this / {args.baseline} = {now / then:.2f} "
        f"(per round {min(pairs):.2f}-{max(pairs):.2f})"
    )


if __name__ == "__main__":
    main()
