"""The sandbox's edges tried as an attacker would, with counts: concurrent submits of one
Hosted Checkout session (half with bodies that arrive late) and the charges they make;
cross-site and foreign-Host requests to every route and how many were refused.

    .venv/bin/python -m benchmarks.edge_attacks [--sessions 10] [--clients 24]

(run as a module from the project root: it reuses the tests' helpers).

Every figure is read back over HTTP from a fresh seeded sandbox on loopback.
"""

from __future__ import annotations

import argparse
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

from helpers.sandbox import Sandbox
from tests.resources.hosted_checkout.test_one_charge import (
    CARD,
    SlowSubmit,
    approved_events,
    counts,
    new_session,
)
from tests.sandbox.test_local_guard import SIMPLE_TYPES, every_route


def race(sandbox: Sandbox, http: httpx.Client, merchant: dict[str, str], clients: int) -> None:
    session = new_session(http, merchant)
    path = f"/checkout/{session['checkoutSessionId']}"
    slow = [SlowSubmit(sandbox.url, path, CARD) for _ in range(clients // 2)]
    start = threading.Barrier(clients)

    def fast() -> None:
        with httpx.Client(base_url=sandbox.url, timeout=10) as own:
            start.wait()
            own.post(path, data=CARD)

    def late(submit: SlowSubmit) -> None:
        start.wait()
        submit.finish()

    with ThreadPoolExecutor(clients) as pool:
        jobs = [pool.submit(fast) for _ in range(clients - len(slow))]
        jobs += [pool.submit(late, s) for s in slow]
        for job in jobs:
            job.result()


def attacks(http: httpx.Client, port: int) -> tuple[int, int, int, int]:
    """(foreign-Host tried, refused, cross-site tried, refused)."""
    host_tried = host_refused = cross_tried = cross_refused = 0
    for method, path in every_route():
        for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example"):
            host_tried += 1
            host_refused += http.request(method, path, headers={"Host": host}).status_code == 403
        if method == "GET":
            continue
        for origin in ("http://evil.example", "null", f"http://127.0.0.1:{port + 1}"):
            for content_type in SIMPLE_TYPES:
                cross_tried += 1
                answer = http.request(
                    method,
                    path,
                    content=b'{"seed": 1}',
                    headers={"Origin": origin, "Content-Type": content_type},
                )
                cross_refused += answer.status_code == 403
    return host_tried, host_refused, cross_tried, cross_refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--clients", type=int, default=24)
    args = parser.parse_args()
    with Sandbox(seed=2026) as sandbox, httpx.Client(base_url=sandbox.url, timeout=10) as http:
        merchant = http.get("/_sandbox/merchants").json()[0]
        for _ in range(args.sessions):
            race(sandbox, http, merchant, args.clients)
        charges, orders = counts(http, merchant)
        approved = len(approved_events(http, merchant))
        print(
            f"checkout: {args.sessions} sessions x {args.clients} concurrent submits "
            f"({args.clients // 2} with late bodies) = {args.sessions * args.clients} submits; "
            f"charges {charges}, orders {orders}, APPROVED webhooks {approved}"
        )
        host_tried, host_refused, cross_tried, cross_refused = attacks(http, sandbox.port)
        print(f"foreign Host: {host_refused} of {host_tried} refused (403)")
        print(f"cross-site state changes: {cross_refused} of {cross_tried} refused (403)")
        refused = sandbox.app.state.guard_refused
        print(
            f"guard's own count: host {refused.host}, origin {refused.origin}, "
            f"content type {refused.content_type}"
        )
        faults = http.get("/_sandbox/faults").json()["data"]
        print(f"state after the attacks: {len(faults)} faults, charges {counts(http, merchant)[0]}")


if __name__ == "__main__":
    main()
