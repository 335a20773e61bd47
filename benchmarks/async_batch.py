"""A batch of charges through the async client, against the same batch one at a time.

    .venv/bin/python benchmarks/async_batch.py [--charges 1000] [--latency-ms 20]

The sandbox runs as its own process. Each charge is a token then a charge, as in the
notebooks. The baseline is the sync client doing the same work in the same run; the ratio
says what bounded concurrency buys. It is measured twice: on bare loopback, where the only
cost is CPU on both sides, and with the sandbox's latency fault holding every answer back
`--latency-ms`, as the distance to Clover's servers would. Clover's per-token rate (16
requests a second) is off here, since it would make every run last charges / 8 seconds
whatever the code does; the last line says what it would cost. It prints; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx

from helpers import CloverClient, test_card
from helpers.clover.async_client import AsyncCloverClient
from helpers.clover.environments import Environment
from helpers.clover.limiter import CLOVER_TOKEN_RATE
from helpers.sandbox.process import start_sandbox_process


def sync_client(url: str) -> CloverClient:
    merchant = httpx.get(f"{url}/_sandbox/merchants").json()[0]
    return CloverClient(
        Environment.local(url),
        merchant["private_key"],
        merchant_id=merchant["merchant_id"],
        api_access_key=merchant["api_access_key"],
        requests_per_second=None,
    )


def one_at_a_time(client: CloverClient, charges: int) -> float:
    card = test_card("approve").card()
    began = time.perf_counter()
    for _ in range(charges):
        client.create_charge(1358, client.create_token(card).id)
    return time.perf_counter() - began


async def batch(client: CloverClient, charges: int, concurrency: int) -> float:
    card = test_card("approve").card()
    async with AsyncCloverClient.from_client(client, concurrency=concurrency) as shop:

        async def pay(_: int) -> str:
            return (await shop.create_charge(1358, (await shop.create_token(card)).id)).status

        began = time.perf_counter()
        results = await shop.map(pay, range(charges), progress=False)
        seconds = time.perf_counter() - began
    failed = [r for r in results if r != "succeeded"]
    assert not failed, f"{len(failed)} charges did not succeed: {failed[:3]}"
    return seconds


def add_latency(url: str, merchant_id: str, latency_ms: int) -> None:
    """Every answer to this merchant held back `latency_ms` (a local-only fault)."""
    httpx.post(
        f"{url}/_sandbox/faults",
        json={
            "merchant": merchant_id,
            "kind": "latency",
            "latency_ms": latency_ms,
            "probability": 1,
        },
    ).raise_for_status()


def measure(client: CloverClient, charges: int, label: str) -> None:
    baseline = one_at_a_time(client, charges)
    print(
        f"{f'{label}: sync, one at a time':<44} {charges:>7} {baseline:>8.2f} "
        f"{charges / baseline:>10.0f} {1:>8.2f}"
    )
    for concurrency in (5, 16, 32):
        seconds = asyncio.run(batch(client, charges, concurrency))
        print(
            f"{f'{label}: async, concurrency {concurrency}':<44} {charges:>7} "
            f"{seconds:>8.2f} {charges / seconds:>10.0f} {baseline / seconds:>8.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charges", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=20)
    args = parser.parse_args()

    process, url = start_sandbox_process(seed=1)
    try:
        client = sync_client(url)
        one_at_a_time(client, 20)  # warm up both sides
        print(f"{'run':<44} {'charges':>7} {'seconds':>8} {'charges/s':>10} {'vs sync':>8}")
        measure(client, args.charges, "loopback")
        if args.latency_ms:
            add_latency(url, str(client.merchant_id), args.latency_ms)
            measure(client, args.charges, f"+{args.latency_ms} ms a request")
        floor = 2 * args.charges / CLOVER_TOKEN_RATE
        print(
            f"with Clover's {CLOVER_TOKEN_RATE:g} requests/s per token, {args.charges} "
            f"token + charge pairs take at least {floor:.0f} s whatever the concurrency"
        )
        client.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
