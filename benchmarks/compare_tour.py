"""Time of `python -m helpers.sandbox compare` against a local "Clover" (an identical local
sandbox in the same process), beside the floor under it: the same tour's requests sent to
the two sandboxes with nothing compared or written.

    .venv/bin/python -m benchmarks.compare_tour [--runs 5]

Measured alternately in one command, so that a busy machine weighs on both; prints the
medians and their ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable

import httpx

from helpers.sandbox import Sandbox
from helpers.sandbox.compare import command
from helpers.sandbox.compare.exchanges import Host, Run
from helpers.sandbox.compare.tour import TOUR, step_count


def the_command(clover: Sandbox) -> float:
    with tempfile.TemporaryDirectory() as out, contextlib.redirect_stdout(io.StringIO()):
        began = time.perf_counter()
        command.main(["--against", clover.url, "--with", "all", "--out", out])
        return time.perf_counter() - began


def one_host(url: str) -> Callable[[str], str]:
    """A route sending every path to one sandbox."""
    return lambda _path: url


def requests_only(clover: Sandbox) -> float:
    began = time.perf_counter()
    with Sandbox() as local, httpx.Client() as http:
        for url in (clover.url, local.url):
            demo = http.get(f"{url}/_sandbox/merchants").json()[0]
            for flow in TOUR:
                run = Run(Host(url, one_host(url), demo, http))
                for exchange in flow.exchanges:
                    run.send(exchange)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with Sandbox() as clover:
        demo = httpx.get(f"{clover.url}/_sandbox/merchants").json()[0]
        os.environ.update(
            CLOVER_MERCHANT_ID=demo["merchant_id"],
            CLOVER_PRIVATE_KEY=demo["private_key"],
            CLOVER_API_ACCESS_KEY=demo["api_access_key"],
            CLOVER_APP_ID=demo["app_id"],
            CLOVER_APP_SECRET=demo["app_secret"],
        )
        tour, floor = [], []
        for _ in range(runs):
            tour.append(the_command(clover))
            floor.append(requests_only(clover))
    load = os.getloadavg()[0]
    print(f"tour: {len(TOUR)} flows, {step_count()} steps; load average {load:.1f}")
    print(f"compare command        median {statistics.median(tour) * 1000:7.0f} ms")
    print(f"its requests only      median {statistics.median(floor) * 1000:7.0f} ms")
    print(f"ratio                  {statistics.median(tour) / statistics.median(floor):.2f}x")


if __name__ == "__main__":
    main()
