"""Fixtures shared by the whole suite: one local sandbox over real HTTP on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from helpers.sandbox import Sandbox
from tests.support import SEED, reset


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
