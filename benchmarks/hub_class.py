"""A class on one JupyterHub: what each learner costs, and how long until their first charge.

    .venv/bin/python benchmarks/hub_class.py [--learners 10]

A real hub (tests/workshop/hub.py: dummy login, local process spawner, npm's
configurable-http-proxy) first serves one learner alone: the baseline. Then ``--learners``
log in at the same moment, each with a headless Chromium of their own, open notebook 01,
type a test card into the card fields and wait for the charge. Printed: per learner, the
memory (RSS) and CPU time of their single-user server and kernel (the kernel runs the
learner's sandbox), and the time from the class's start to their first charge; and the ratio
of the class's median time to the baseline's. The browsers run on the same 2 cores, so the
times are an upper bound for a hub whose learners bring their own machines. It prints; it
asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.workshop.hub import Hub, LearnerRun, run_class, start_hub  # noqa: E402

MIB = 1024 * 1024


def costs(hub: Hub) -> dict[str, tuple[float, float]]:
    """Each learner's (RSS in MiB, CPU seconds) over their server and kernels, now."""
    found: dict[str, tuple[float, float]] = {}
    for name, processes in hub.processes().items():
        rss = cpu = 0.0
        for process in processes:
            try:
                rss += process.memory_info().rss / MIB
                times = process.cpu_times()
                cpu += times.user + times.system
            except psutil.Error:
                continue
        found[name] = (rss, cpu)
    return found


def report(title: str, runs: list[LearnerRun], measured: dict[str, tuple[float, float]]) -> float:
    print(f"\n{title}")
    print(f"{'learner':<14}{'RSS MiB':>10}{'CPU s':>8}{'logged in s':>13}{'1st charge s':>14}")
    for run in runs:
        rss, cpu = measured.get(run.name, (float("nan"), float("nan")))
        outcome = f"{run.first_charge:>14.1f}" if run.error is None else f"  failed: {run.error!r}"
        print(f"{run.name:<14}{rss:>10.0f}{cpu:>8.1f}{run.logged_in:>13.1f}{outcome}")
    done = [run.first_charge for run in runs if run.error is None]
    if measured:
        rss_values = [value[0] for value in measured.values()]
        print(
            f"per learner: {statistics.mean(rss_values):.0f} MiB on average, "
            f"{max(rss_values):.0f} MiB at most"
        )
    print(f"charged: {len(done)} of {len(runs)}")
    return statistics.median(done) if done else float("nan")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hub-class-") as folder:
        hub = start_hub(Path(folder) / "hub")
        try:
            baseline_runs = run_class(hub, 1, prefix="alone")
            baseline = report("one learner alone (baseline)", baseline_runs, costs(hub))
            class_runs = run_class(hub, args.learners, prefix="class")
            measured = {k: v for k, v in costs(hub).items() if k.startswith("class-")}
            median = report(f"{args.learners} learners at once", class_runs, measured)
            hub_rss = psutil.Process(hub.process.pid).memory_info().rss / MIB
            print(f"\nthe hub itself: {hub_rss:.0f} MiB")
            print(
                f"median time to the first charge: {median:.1f} s with {args.learners} "
                f"learners, {baseline:.1f} s alone: {median / baseline:.2f}x the baseline"
            )
        finally:
            hub.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
