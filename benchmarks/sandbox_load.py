"""Server CPU per token-then-charge flow, against a bare endpoint of the same server.

    .venv/bin/python benchmarks/sandbox_load.py [--flows 2000] [--stored 100000]

The sandbox runs as its own process; its CPU time is read from the operating system
(psutil) before and after each run, so the load generator's own cost does not blur the
figure. The load comes from aiohttp, whose client costs little per request: with httpx's
async client the generator, not the server, set flows/s and latency at concurrency 8 and
up. It prints a table; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import time
import uuid
from dataclasses import dataclass

import aiohttp
import httpx
import psutil

from helpers.sandbox.process import start_sandbox_process

CARD = {
    "number": "4242424242424242",
    "exp_month": "12",
    "exp_year": "2034",
    "cvv": "123",
    "brand": "VISA",
}


@dataclass
class Run:
    name: str
    concurrency: int
    flows: int
    seconds: float
    server_cpu_s: float
    latencies_ms: list[float]

    def row(self) -> str:
        lat = sorted(self.latencies_ms)
        p50 = statistics.median(lat)
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        cpu_ms = self.server_cpu_s / self.flows * 1000
        return (
            f"{self.name:<22} {self.concurrency:>4} {self.flows:>7} "
            f"{self.flows / self.seconds:>9.0f} {p50:>8.2f} {p99:>8.2f} {cpu_ms:>12.3f}"
        )


def start_sandbox() -> tuple[subprocess.Popen[str], str, float]:
    started = time.perf_counter()
    process, url = start_sandbox_process(seed=1)
    httpx.get(f"{url}/_sandbox/health").raise_for_status()
    return process, url, time.perf_counter() - started


async def flow(client: aiohttp.ClientSession, merchant: dict[str, str]) -> None:
    async with client.post(
        "/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={"card": CARD}
    ) as token:
        source = (await token.json())["id"]
    async with client.post(
        "/v1/charges",
        json={"amount": 1358, "currency": "usd", "source": source},
        headers={
            "authorization": f"Bearer {merchant['private_key']}",
            "idempotency-key": str(uuid.uuid4()),
            "x-forwarded-for": "203.0.113.9",
        },
    ) as charge:
        assert charge.status == 200, await charge.text()
        await charge.read()


async def bare(client: aiohttp.ClientSession, merchant: dict[str, str]) -> None:
    """Two requests through the same stack that do no work: the floor a flow stands on."""
    for _ in range(2):
        async with client.get("/_sandbox/health") as health:
            health.raise_for_status()
            await health.read()


def session(url: str, concurrency: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        base_url=url,
        timeout=aiohttp.ClientTimeout(total=60),
        connector=aiohttp.TCPConnector(limit=concurrency),
    )


async def drive(url: str, kind, flows: int, concurrency: int, process: psutil.Process) -> Run:
    async with session(url, concurrency) as client:
        async with client.get("/_sandbox/merchants") as listing:
            merchant = (await listing.json())[0]
        await asyncio.gather(*(kind(client, merchant) for _ in range(concurrency)))  # warm up
        latencies: list[float] = []
        queue = iter(range(flows))

        async def worker() -> None:
            for _ in queue:
                began = time.perf_counter()
                await kind(client, merchant)
                latencies.append((time.perf_counter() - began) * 1000)

        cpu_before = sum(process.cpu_times()[:2])
        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - began
        cpu = sum(process.cpu_times()[:2]) - cpu_before
    return Run(kind.__name__, concurrency, flows, seconds, cpu, latencies)


async def fill(url: str, count: int) -> None:
    """Store `count` charges, 32 at a time."""
    async with session(url, 32) as client:
        async with client.get("/_sandbox/merchants") as listing:
            merchant = (await listing.json())[0]
        remaining = iter(range(count))

        async def worker() -> None:
            for _ in remaining:
                await flow(client, merchant)

        await asyncio.gather(*(worker() for _ in range(32)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=2000)
    parser.add_argument("--stored", type=int, default=100_000)
    args = parser.parse_args()

    process, url, startup = start_sandbox()
    server = psutil.Process(process.pid)
    try:
        print(f"sandbox start to first answer: {startup * 1000:.0f} ms")
        print(
            f"{'run':<22} {'conc':>4} {'flows':>7} {'flows/s':>9} {'p50 ms':>8} "
            f"{'p99 ms':>8} {'server CPU ms':>12}"
        )
        results: dict[tuple[str, int], Run] = {}
        for concurrency in (1, 8, 32):
            for kind in (bare, flow):
                run = asyncio.run(drive(url, kind, args.flows, concurrency, server))
                results[(kind.__name__, concurrency)] = run
                print(run.row(), flush=True)
        for concurrency in (1, 8, 32):
            ratio = (
                results[("flow", concurrency)].server_cpu_s
                / results[("bare", concurrency)].server_cpu_s
            )
            print(f"concurrency {concurrency}: flow CPU / bare CPU = {ratio:.2f}")
        if args.stored:
            began = time.perf_counter()
            asyncio.run(fill(url, args.stored))
            print(f"stored {args.stored} more charges in {time.perf_counter() - began:.0f} s")
            empty = results[("flow", 8)]
            full = asyncio.run(drive(url, flow, args.flows, 8, server))
            full.name = f"flow @ {args.stored} stored"
            print(full.row())
            print(
                f"CPU per flow, full store / near-empty store = "
                f"{(full.server_cpu_s / full.flows) / (empty.server_cpu_s / empty.flows):.2f}"
            )
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
