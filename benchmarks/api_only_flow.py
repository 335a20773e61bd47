"""What each step of the API-only flow costs on the local sandbox, through the kit's client.

    .venv/bin/python benchmarks/api_only_flow.py [--rounds 200]

Steps: the sandbox's RSA key pair (made on first use of /assets/keys.json), a merchant's
approval (authorize, redirect, code exchange), a refresh, a card token with the number in
clear and with it encrypted (RSA-OAEP on the client included), and a token plus a charge.
The sandbox runs in a thread of this process, on loopback. On the local sandbox the OAuth
client reads the sandbox's clock from each answer's `X-Clover-Sandbox-Clock-Moved-Ms`
header (no request of its own since issue 27; before, a `GET /_sandbox/clock` a Bearer
request); the last row runs the same step on the machine's clock, as against Clover, for
comparison. The
client's limiter, which keeps to Clover's 16 requests a second per token, is off: with it,
the tail of every column is the limiter's wait, not the step. It prints a table of
wall-clock figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx

from helpers import Environment, Journal, fetch_card_key, oauth_app, test_card
from helpers.sandbox import Sandbox


def timed(step: Callable[[], Any], rounds: int) -> list[float]:
    spent = []
    for _ in range(rounds):
        started = time.perf_counter()
        step()
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def row(name: str, spent: list[float]) -> str:
    spent = sorted(spent)
    p95 = spent[min(len(spent) - 1, int(len(spent) * 0.95))]
    return f"{name:<34} {len(spent):>6} {statistics.median(spent):>9.2f} {p95:>9.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds

    with Sandbox(seed=1) as sandbox:
        started = time.perf_counter()
        httpx.get(f"{sandbox.url}/assets/keys.json").raise_for_status()
        keygen_ms = (time.perf_counter() - started) * 1000

        environment = Environment.local(sandbox.url)
        oauth = oauth_app(
            environment,
            redirect_uri="https://shop.example/oauth/callback",
            journal=Journal(max_entries=10 * rounds + 100),
        )
        merchant_id = httpx.get(f"{sandbox.url}/_sandbox/merchants").json()[0]["merchant_id"]

        def approve() -> None:
            authorization = oauth.authorize(merchant_id)
            oauth.exchange(oauth.approve_locally(authorization), authorization)

        rows = [
            row("approval (authorize + exchange)", timed(approve, rounds)),
            row("refresh", timed(lambda: oauth.refresh(merchant_id), rounds)),
        ]
        client = oauth.client(merchant_id)
        client.requests_per_second = None
        card = test_card("approve").card()
        key = fetch_card_key(client)
        rows += [
            row("token, number in clear", timed(lambda: client.create_token(card), rounds)),
            row(
                "token, encrypted_pan",
                timed(lambda: client.create_token({"card": key.encrypted_card(card)}), rounds),
            ),
            row(
                "encrypt only (client, no request)", timed(lambda: key.encrypted_card(card), rounds)
            ),
            row(
                "token + charge",
                timed(lambda: client.create_charge(1358, client.create_token(card)), rounds),
            ),
        ]
        local_clock, oauth.clock = oauth.clock, time.time  # the machine's clock, as on Clover
        rows.append(
            row(
                "token + charge, machine's clock",
                timed(lambda: client.create_charge(1358, client.create_token(card)), rounds),
            )
        )
        oauth.clock = local_clock
        pakms_calls = sum(1 for e in oauth.journal.entries if e.url.endswith("/pakms/apikey"))
        oauth.close()

    print(f"sandbox RSA key pair, first /assets/keys.json: {keygen_ms:.0f} ms")
    print(f"{'step':<34} {'rounds':>6} {'p50 ms':>9} {'p95 ms':>9}")
    print("\n".join(rows))
    print(f"GET /pakms/apikey calls for all of the above: {pakms_calls}")


if __name__ == "__main__":
    main()
