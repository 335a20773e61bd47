"""The money state machine (money_machine.py) in the suite: a fixed, derandomized budget
against a live local sandbox on loopback, so every run drives the same sequences. A
longer run is `benchmarks/money_invariants.py`."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, settings

from helpers.sandbox import Sandbox
from tests.reliability.money_machine import MoneyMachine
from tests.support import reset

SEQUENCES = 12
STEPS = 25


def test_money_holds_over_every_payment_path(sandbox: Sandbox) -> None:
    MoneyMachine.base_url = sandbox.url
    run = MoneyMachine.TestCase
    run.settings = settings(
        max_examples=SEQUENCES,
        stateful_step_count=STEPS,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    try:
        run("runTest").runTest()
    finally:  # the next test finds the session's sandbox as a fresh one
        with httpx.Client(base_url=sandbox.url) as http:
            reset(http)
