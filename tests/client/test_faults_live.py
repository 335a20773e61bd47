"""The client's retries against the local sandbox's injected faults, over real HTTP:
no duplicate charge, no lost charge, a bounded number of attempts."""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any

import pytest

from helpers import APIError, CloverClient, test_card
from helpers.clover.retries import RetryPolicy
from helpers.notebook.local_controls import LocalSandbox

QUICK = RetryPolicy(max_retries=4, initial_backoff=0.01, max_backoff=0.05, rng=random.Random(5))


@pytest.fixture
def clover(live: CloverClient) -> CloverClient:
    live.retries = QUICK
    return live


@pytest.fixture
def local(clover: CloverClient) -> LocalSandbox:
    return LocalSandbox(clover)


def fresh_token(client: CloverClient, outcome: str = "approve") -> str:
    return str(client.create_token(test_card(outcome).card()).id)  # type: ignore[arg-type]


def every_charge(client: CloverClient) -> list[dict[str, Any]]:
    return list(client.iter_charges())


@pytest.mark.parametrize("kind", ["status", "drop"])
def test_one_charge_whatever_happens_after_the_commit(
    clover: CloverClient, local: LocalSandbox, kind: str
) -> None:
    local.fault(kind, path="/v1/charges", method="POST", count=2)
    charge = clover.create_charge(2500, fresh_token(clover))
    [stored] = every_charge(clover)
    assert stored["id"] == charge.id and stored["amount"] == 2500
    posts = [e for e in clover.journal if e.method == "POST" and "/v1/charges" in e.url]
    assert len(posts) == 3 and len({e.idempotency_key for e in posts}) == 1
    assert posts[-1].replayed is True
    seen = local.requests(path="/v1/charges")
    assert list(seen[seen["method"] == "POST"]["replayed"]) == [False, True, True]


def test_a_rate_limited_charge_waits_and_goes_through(
    clover: CloverClient, local: LocalSandbox
) -> None:
    local.fault("rate_limit", path="/v1/charges", method="POST", retry_after=0, count=2)
    charge = clover.create_charge(1200, fresh_token(clover))
    assert [e.status for e in clover.journal if "/v1/charges" in e.url] == [429, 429, 200]
    assert [c["id"] for c in every_charge(clover)] == [charge.id]


def test_past_max_retries_the_error_is_raised_and_the_charge_is_not_lost(
    clover: CloverClient, local: LocalSandbox
) -> None:
    local.fault("status", path="/v1/charges", method="POST", count=10)
    token = fresh_token(clover)
    with pytest.raises(APIError) as caught:
        clover.create_charge(3100, token, idempotency_key="order-77")
    assert caught.value.idempotency_key == "order-77"
    assert len(local.requests(path="/v1/charges")) == QUICK.max_retries + 1
    local.clear_faults()
    again = clover.create_charge(3100, token, idempotency_key="order-77")
    assert clover.journal.last is not None and clover.journal.last.replayed
    [stored] = every_charge(clover)
    assert again.id == stored["id"] and stored["amount"] == 3100


def test_a_refund_after_a_503_is_read_back_not_made_twice(
    clover: CloverClient, local: LocalSandbox
) -> None:
    charge = clover.create_charge(5000, fresh_token(clover))
    local.fault("status", path="/v1/refunds", method="POST", count=1)
    refund = clover.create_refund(charge.id, 1500)
    assert refund.amount == 1500 and refund.charge == charge.id
    assert len(clover.list_refunds(charge=charge.id)) == 1
    assert clover.get_charge(charge.id).amount_refunded == 1500
    posts = local.requests(path="/v1/refunds")
    assert list(posts["method"])[:3] == ["POST", "GET", "GET"]  # the re-read, then ours
    assert (posts["method"] == "POST").sum() == 1


def test_the_limiter_keeps_the_client_under_an_enforced_rate(
    live: CloverClient, local: LocalSandbox
) -> None:
    """Six calls in a row break a limit of 4 a second without the limiter (the next
    test); with it, none is refused. The limiter paces when requests start, the sandbox
    counts when they arrive, later by a delay that grows with the machine's load: held to
    half the enforced rate, the client stays under it for any delay short of a second
    (the exact spacing at the limit is tested on a fake clock: tests/client/test_retries.py)."""
    local.enforce_rate_limits(tokenLimit=4)
    live.requests_per_second = 2
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    live._sleep = sleep
    for _ in range(6):
        live.list_charges(limit=1)
    assert set(local.requests()["status"]) == {200}
    assert sum(1 for wait in waits if wait > 0) >= 2  # the limiter held it back, twice


def test_without_the_limiter_429s_come_and_are_retried(
    live: CloverClient, local: LocalSandbox
) -> None:
    local.enforce_rate_limits(tokenLimit=4)
    live.requests_per_second = None
    live.retries = RetryPolicy(max_retries=5, max_retry_after=2)
    for _ in range(6):
        live.list_charges(limit=1)
    statuses = Counter(local.requests()["status"])
    assert statuses[200] == 6 and statuses[429] >= 1
