"""Fixtures shared by the whole suite: one local sandbox over real HTTP on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from helpers.clover.limiter import forget_shared_limiters
from helpers.sandbox import Sandbox
from tests.support import SEED, reset


@pytest.fixture(autouse=True)
def own_rate_limit() -> None:
    """Each test waits only for its own requests. The client's limiter is shared per
    credential per process, and every test of a worker uses the same demo credentials:
    shared across tests, it made a test wait for the requests of the tests before it
    (about 10 s a run, 7 of them in tests/notebook/test_transfer_checks.py). Within a
    test it spaces requests as in an app; the tests about it (tests/client/test_retries.py,
    the rate-limit tests of test_faults_live.py, notebook 08 in its own kernel) build and
    fill their limiters inside the test."""
    forget_shared_limiters()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=SEED) as running:
        yield running


@pytest.fixture
def http(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """A plain HTTP client on a freshly reset sandbox: tests start from the same state."""
    with httpx.Client(base_url=sandbox.url, timeout=10) as client:
        reset(client)
        yield client


@pytest.fixture
def merchants(http: httpx.Client) -> list[dict[str, str]]:
    return http.get("/_sandbox/merchants").json()


@pytest.fixture
def merchant(merchants: list[dict[str, str]]) -> dict[str, str]:
    return merchants[0]


@pytest.fixture
def other_merchant(merchants: list[dict[str, str]]) -> dict[str, str]:
    return merchants[1]
