"""A thousand charges with a fifth of the attempts faulted: no duplicate, no loss.

The suite's one soak under faults (tests/client/test_faults_live.py had a smaller copy; its
checks are here: a decline names its stored charge, no key is tried past the retries).

Faults are the local sandbox's: a 503 after the charge was committed, a connection dropped
after the commit, a 429 before any work, and a slow answer. The client retries with the
same idempotency key; what the merchant ends up with must be one charge per order.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any

import httpx

from helpers import CloverClient, Environment, test_card
from helpers.clover.async_client import AsyncCloverClient
from helpers.clover.retries import RetryPolicy
from helpers.notebook.local_controls import LocalSandbox

ORDERS = 1000
FAULTS = (
    ("status", {"status": 503}, 0.06),
    ("drop", {}, 0.06),
    ("rate_limit", {"retry_after": 0}, 0.05),
    ("latency", {"latency_ms": 20}, 0.05),
)


def test_a_thousand_charges_under_faults(
    http: httpx.Client, sandbox: Any, merchant: dict[str, str]
) -> None:
    clover = CloverClient(
        Environment.local(sandbox.url),
        merchant["private_key"],
        merchant_id=merchant["merchant_id"],
        api_access_key=merchant["api_access_key"],
    )
    local = LocalSandbox(clover)
    for kind, options, probability in FAULTS:
        local.fault(kind, path="/v1/charges", method="POST", probability=probability, **options)
    cards = [test_card("approve"), test_card("approve", brand="DISCOVER"), test_card("decline")]
    orders = [(f"order{n}", 100 + n, cards[n % 3]) for n in range(ORDERS)]
    policy = RetryPolicy(
        max_retries=12, initial_backoff=0.005, max_backoff=0.02, rng=random.Random(7)
    )

    async def soak() -> list[Any]:
        async with AsyncCloverClient.from_client(
            clover, requests_per_second=None, retries=policy
        ) as client:

            async def pay(order: tuple[str, int, Any]) -> Any:
                key, amount, card = order
                token = await client.create_token(card.card())
                return await client.create_charge(
                    amount, token.id, idempotency_key=key, external_reference_id=key
                )

            return await client.map(pay, orders, progress=False)

    results = asyncio.run(soak())
    charges = list(clover.iter_charges())
    by_order = Counter(c["external_reference_id"] for c in charges)
    duplicates = sum(n - 1 for n in by_order.values())
    lost = [key for key, _, _ in orders if key not in by_order]
    fired = {f["kind"]: f["fired"] for f in local.faults()}
    attempts = Counter(local.requests(path="/v1/charges", limit=5000)["idempotency_key"])
    print(
        f"\nsoak: {ORDERS} orders, {sum(attempts.values())} charge requests, faults fired "
        f"{fired}, duplicates {duplicates}, lost {len(lost)}"
    )
    assert duplicates == 0 and lost == []
    assert sum(fired.values()) >= ORDERS * 0.12, "the faults must really have fired"
    for (key, amount, card), result in zip(orders, results, strict=True):
        stored = next(c for c in charges if c["external_reference_id"] == key)
        assert stored["amount"] == amount
        if card.outcome == "decline":
            assert result.code == "card_declined" and stored["status"] == "failed"
            assert result.charge == stored["id"]
        else:
            assert result.id == stored["id"] and stored["status"] == "succeeded"
    assert max(attempts.values()) <= policy.max_retries + 1
    clover.close()
