"""A longer run of the money state machine (tests/reliability/money_machine.py) than the
suite's fixed budget: random sequences of every payment path against a local sandbox in
a thread of this process, the money invariants checked after every step.

    .venv/bin/python benchmarks/money_invariants.py [--sequences 200] [--steps 50]
        [--rounds 1] [--seed N]

Each round is one Hypothesis run (its own seed: `--seed`, then +1 a round) that stops at
its first violation, shrinks it and prints it. It prints, per round and in all, the steps
(invariant checks), the sequences run and the violations found; it asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, seed, settings  # noqa: E402

from helpers.sandbox import Sandbox  # noqa: E402
from tests.reliability.money_machine import MoneyMachine  # noqa: E402


def one_round(url: str, sequences: int, steps: int, round_seed: int) -> str | None:
    """Run one round; the violation it found (shrunk), or None."""
    MoneyMachine.base_url = url
    machine = seed(round_seed)(MoneyMachine)
    run = machine.TestCase
    run.settings = settings(
        max_examples=sequences,
        stateful_step_count=steps,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    try:
        run("runTest").runTest()
    except Exception:  # a violation: Hypothesis's shrunk report
        return traceback.format_exc(limit=3)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", type=int, default=200)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    violations = 0
    started = time.perf_counter()
    with Sandbox(seed=MoneyMachine.seed) as sandbox:
        for n in range(args.rounds):
            before = MoneyMachine.sequences, MoneyMachine.checks
            found = one_round(sandbox.url, args.sequences, args.steps, args.seed + n)
            violations += found is not None
            print(
                f"round {n + 1} (seed {args.seed + n}): "
                f"{MoneyMachine.sequences - before[0]} sequences, "
                f"{MoneyMachine.checks - before[1]} steps checked, "
                f"{0 if found is None else 1} violation"
            )
            if found:
                print(found)
    seconds = time.perf_counter() - started
    print(
        f"in all: {MoneyMachine.sequences} sequences, {MoneyMachine.checks} steps checked, "
        f"{violations} violations, {seconds:.0f} s"
    )


if __name__ == "__main__":
    main()
