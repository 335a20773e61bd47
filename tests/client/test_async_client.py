"""The async client: the same wire format as the sync one, bounded concurrency, batches."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from helpers import CardError, CloverClient, Environment, test_card
from helpers.clover.async_client import AsyncCloverClient
from helpers.clover.retries import NO_RETRIES
from tests.client.conftest import API_ACCESS_KEY, LOCAL, PRIVATE_KEY, default_handler


def test_it_sends_what_the_sync_client_sends() -> None:
    sent: dict[str, list[httpx.Request]] = {"sync": [], "async": []}

    def recorder(name: str) -> Any:
        def handler(request: httpx.Request) -> httpx.Response:
            sent[name].append(request)
            return default_handler(request)

        return handler

    options = {"retries": NO_RETRIES, "requests_per_second": None, "api_access_key": API_ACCESS_KEY}
    sync = CloverClient(
        Environment.local(LOCAL),
        PRIVATE_KEY,
        transport=httpx.MockTransport(recorder("sync")),
        **options,
    )
    calls = [
        ("create_token", (test_card("approve").card(),), {"idempotency_key": "k1"}),
        (
            "create_charge",
            (1358, "clv_x"),
            {"capture": False, "description": "Latte", "idempotency_key": "k2", "tip_amount": 100},
        ),
        ("get_charge", ("CH1",), {}),
        ("list_charges", (5,), {"created_gte": 1}),
        ("capture_charge", ("CH1", 1000), {"idempotency_key": "k3"}),
        ("create_refund", ("CH1", 500), {"idempotency_key": "k4"}),
        ("get_refund", ("RF1",), {}),
        ("list_refunds", ("CH1",), {}),
    ]
    for name, args, kwargs in calls:
        getattr(sync, name)(*args, **kwargs)

    async def run() -> None:
        async with AsyncCloverClient(
            Environment.local(LOCAL),
            PRIVATE_KEY,
            transport=httpx.MockTransport(recorder("async")),
            **options,
        ) as client:
            for name, args, kwargs in calls:
                await getattr(client, name)(*args, **kwargs)

    asyncio.run(run())
    assert len(sent["sync"]) == len(sent["async"]) == len(calls)
    for one, other in zip(sent["sync"], sent["async"], strict=True):
        assert (one.method, str(one.url)) == (other.method, str(other.url))
        assert json.loads(one.content or b"null") == json.loads(other.content or b"null")
        drop = {"user-agent"}
        assert {k: v for k, v in one.headers.items() if k not in drop} == {
            k: v for k, v in other.headers.items() if k not in drop
        }


def test_no_more_requests_in_flight_than_the_concurrency() -> None:
    in_flight, peak = 0, 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return default_handler(request)

    async def run() -> list[Any]:
        async with AsyncCloverClient(
            Environment.local(LOCAL),
            PRIVATE_KEY,
            concurrency=3,
            transport=httpx.MockTransport(handler),
            requests_per_second=None,
        ) as client:
            return await client.map(client.get_charge, [f"C{i}" for i in range(20)], progress=False)

    results = asyncio.run(run())
    assert len(results) == 20 and peak == 3
    with pytest.raises(ValueError):
        AsyncCloverClient(Environment.local(LOCAL), PRIVATE_KEY, concurrency=0)


def test_a_batch_keeps_going_past_a_decline(live: CloverClient) -> None:
    cards = [test_card("approve"), test_card("decline"), test_card("approve", brand="JCB")]

    async def run() -> list[Any]:
        async with AsyncCloverClient.from_client(live) as client:

            async def pay(card: Any) -> Any:
                token = await client.create_token(card.card())
                return await client.create_charge(700, token.id)

            return await client.map(pay, cards, description="charging", progress=False)

    approved, declined, jcb = asyncio.run(run())
    assert approved.status == "succeeded" and jcb.source.brand == "JCB"
    assert isinstance(declined, CardError) and declined.code == "card_declined"
    assert len(live.list_charges(limit=10)) == 3
    assert sum(1 for e in live.journal if e.path == "/v1/charges") == 3  # one journal
