"""Ten years of a monthly subscription in one clock call, against one month.

    .venv/bin/python benchmarks/recurring_clock.py [--runs 5] [--db]

Each run starts a fresh seeded sandbox (in a thread; `--db` writes through to SQLite in
a temporary folder, as `kit.py lab` does), subscribes one customer to a monthly plan,
and times `POST /_sandbox/clock` alone: `{"advance": "P1M"}` (the baseline: one renewal)
and `{"advance": "P10Y"}` (120 renewals: invoices, charges, orders). Prints the median
and the worst of each, and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from helpers.sandbox import Sandbox

VISA = {"number": "4242424242424242", "exp_month": "12", "exp_year": "2030", "cvv": "123"}


def subscribed(http: httpx.Client) -> dict[str, Any]:
    merchant: dict[str, Any] = http.get("/_sandbox/merchants").json()[0]
    key = {"authorization": f"Bearer {merchant['private_key']}"}
    headers = {**key, "x-clover-merchant-id": merchant["merchant_id"]}
    card = {**VISA, "brand": "VISA"}
    token = http.post(
        "/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={"card": card}
    )
    customer = http.post(
        "/v1/customers",
        headers=key,
        json={"source": token.json()["id"], "email": "ada@example.com"},
    ).json()
    plan = http.post(
        "/recurring/v1/plans",
        headers=headers,
        json={"name": "Monthly box", "amount": 1500, "interval": "MONTH", "intervalCount": 1},
    ).json()
    body = {"customerId": customer["id"], "collectionMethod": "CHARGE_AUTOMATICALLY"}
    http.post(f"/recurring/v1/plans/{plan['id']}/subscriptions", headers=headers, json=body)
    return merchant


def one_run(advance: str, db: Path | None) -> tuple[float, int]:
    with Sandbox(seed=1, db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        subscribed(http)
        began = time.perf_counter()
        answer = http.post("/_sandbox/clock", json={"advance": advance}, timeout=120)
        elapsed = time.perf_counter() - began
        answer.raise_for_status()
        return elapsed, int(answer.json()["renewal_attempts"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", action="store_true", help="write through to SQLite")
    args = parser.parse_args()
    medians = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, advance in (("one month (P1M)", "P1M"), ("ten years (P10Y)", "P10Y")):
            times, renewals = [], 0
            for run in range(args.runs):
                db = Path(folder) / f"{advance}-{run}.sqlite3" if args.db else None
                elapsed, renewals = one_run(advance, db)
                times.append(elapsed * 1000)
            medians[advance] = statistics.median(times)
            print(
                f"{name:<18} {renewals:4d} renewals   median {medians[advance]:8.1f} ms   "
                f"worst {max(times):8.1f} ms"
            )
    ratio = medians["P10Y"] / medians["P1M"]
    print(f"ten years take {ratio:.1f}x one month ({medians['P10Y'] / 120:.2f} ms a renewal)")


if __name__ == "__main__":
    main()
