"""Other requests' latency while the clock crosses 50 years of renewals (issue 23).

    .venv/bin/python benchmarks/clock_latency.py [--subscriptions 100] [--interval Month]

Starts `python -m helpers.sandbox --seed 1` as its own process (so its memory is its
own), subscribes N customers to one plan, then times `GET /v1/customers/{id}` (a read
whose cost does not grow with the charges the move makes) from a second client: first
with the sandbox idle (the baseline), then while one `POST /_sandbox/clock {"advance":
"P50Y"}` runs. Prints each p50 and p99, the ratio of the p99s, the renewals the move
made and how long it took, and the sandbox's resident memory before the move, at its
peak (VmHWM, Linux) and after.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

VISA = {"number": "4242424242424242", "exp_month": "12", "exp_year": "2030", "cvv": "123"}
ROOT = Path(__file__).resolve().parent.parent
ADJECTIVE = {"Day": "daily", "Week": "weekly", "Month": "monthly", "Year": "yearly"}


def memory_mb(pid: int, field: str) -> float:
    """VmRSS (now) or VmHWM (the peak so far) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_sandbox(port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "helpers.sandbox", "--port", str(port), "--seed", "1"]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/_sandbox/health", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the sandbox did not start")


def subscribe(http: httpx.Client, count: int, interval: str) -> tuple[dict[str, str], str]:
    merchant: dict[str, Any] = http.get("/_sandbox/merchants").json()[0]
    key = {"authorization": f"Bearer {merchant['private_key']}"}
    headers = {**key, "x-clover-merchant-id": merchant["merchant_id"]}
    plan = http.post(
        "/recurring/v1/plans",
        headers=headers,
        json={"name": "Coffee club", "amount": 1500, "interval": interval, "intervalCount": 1},
    ).json()
    for _ in range(count):
        token = http.post(
            "/v1/tokens",
            headers={"apikey": merchant["api_access_key"]},
            json={"card": {**VISA, "brand": "VISA"}},
        ).json()["id"]
        customer = http.post(
            "/v1/customers", headers=key, json={"source": token, "email": "ada@example.com"}
        ).json()
        body = {"customerId": customer["id"], "collectionMethod": "CHARGE_AUTOMATICALLY"}
        http.post(f"/recurring/v1/plans/{plan['id']}/subscriptions", headers=headers, json=body)
    return key, f"/v1/customers/{customer['id']}"


def timings(
    http: httpx.Client, key: dict[str, str], path: str, until: threading.Event | int
) -> list[float]:
    """Milliseconds per `GET path`: a fixed count, or until the event is set."""
    out: list[float] = []
    while (len(out) < until) if isinstance(until, int) else not until.is_set():
        began = time.perf_counter()
        http.get(path, headers=key).raise_for_status()
        out.append((time.perf_counter() - began) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
        if len(values) > 1
        else values[0]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100)
    parser.add_argument("--interval", default="Month", choices=["Day", "Week", "Month", "Year"])
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    sandbox = start_sandbox(args.port)
    try:
        url = f"http://127.0.0.1:{args.port}"
        with httpx.Client(base_url=url, timeout=600) as http:
            key, path = subscribe(http, args.subscriptions, args.interval)
            idle = timings(http, key, path, 1000)
            before = memory_mb(sandbox.pid, "VmRSS")
            done, answer = threading.Event(), {}

            def move() -> None:
                with httpx.Client(base_url=url, timeout=600) as mover:
                    began = time.perf_counter()
                    answer["body"] = mover.post("/_sandbox/clock", json={"advance": "P50Y"}).json()
                    answer["s"] = time.perf_counter() - began
                done.set()

            mover = threading.Thread(target=move)
            mover.start()
            busy = timings(http, key, path, done)
            mover.join()
            peak, after = memory_mb(sandbox.pid, "VmHWM"), memory_mb(sandbox.pid, "VmRSS")
    finally:
        sandbox.terminate()
        sandbox.wait(10)
    print(
        f"{args.subscriptions} {ADJECTIVE[args.interval]} subscriptions, one P50Y move: "
        f"{answer['body']['renewal_attempts']} renewals in {answer['s']:.1f} s"
    )
    print(f"idle      n={len(idle):5d}  p50 {p(idle, 50):7.2f} ms  p99 {p(idle, 99):7.2f} ms")
    print(f"advancing n={len(busy):5d}  p50 {p(busy, 50):7.2f} ms  p99 {p(busy, 99):7.2f} ms")
    print(f"p99 while advancing / idle p99: {p(busy, 99) / p(idle, 99):.1f}x")
    print(
        f"sandbox memory: {before:.0f} MB before the move, {peak:.0f} MB at its peak, "
        f"{after:.0f} MB after (the invoices and charges it made are kept)"
    )


if __name__ == "__main__":
    main()
