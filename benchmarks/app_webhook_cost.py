"""What app webhooks add to a token plus a charge on the local sandbox: the commit listener
off (the baseline), on for an app with no URL, and on with a verified URL (each charge
then sends a message to a receiver in this process).

    .venv/bin/python benchmarks/app_webhook_cost.py [--rounds 3] [--charges 150]

The sandbox runs in a thread of this process, on loopback. It prints medians and their
ratio to the baseline; it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

import httpx

from helpers import AppWebhookReceiver
from helpers.sandbox import Sandbox
from helpers.sandbox.core import store
from helpers.sandbox.resources.app_webhooks import model

VISA = {"number": "4242424242424242", "exp_month": "12", "exp_year": "2030", "cvv": "123"}
APP = "KTAPPDEM0A1B2"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--charges", type=int, default=150)
    args = parser.parse_args()
    with (
        Sandbox(seed=1) as sandbox,
        httpx.Client(base_url=sandbox.url) as http,
        AppWebhookReceiver() as receiver,
    ):
        merchant = http.get("/_sandbox/merchants").json()[0]

        def per_charge_ms() -> float:
            start = time.perf_counter()
            for _ in range(args.charges):
                token = http.post(
                    "/v1/tokens",
                    headers={"apikey": merchant["api_access_key"]},
                    json={"card": {**VISA, "brand": "VISA"}},
                ).json()["id"]
                made = http.post(
                    "/v1/charges",
                    headers={
                        "authorization": f"Bearer {merchant['private_key']}",
                        "idempotency-key": str(uuid.uuid4()),
                        "x-forwarded-for": "203.0.113.7",
                    },
                    json={"amount": 100, "currency": "usd", "source": token},
                )
                assert made.status_code == 200, made.text
            return (time.perf_counter() - start) / args.charges * 1000

        figures: dict[str, list[float]] = {"listener off": [], "no URL": [], "verified URL": []}
        for _ in range(args.rounds):
            store._commit_listeners.remove(model.committed)
            figures["listener off"].append(per_charge_ms())
            store.on_commit(model.committed)
            figures["no URL"].append(per_charge_ms())
            http.post("/_sandbox/app-webhooks", json={"app_id": APP, "url": receiver.url})
            code = {"app_id": APP, "verification_code": receiver.verification_code}
            verified = http.post("/_sandbox/app-webhooks/verify", json=code).json()
            receiver.auth_code = verified["authCode"]
            figures["verified URL"].append(per_charge_ms())
            http.post("/_sandbox/app-webhooks", json={"app_id": APP, "url": None})
        base = statistics.median(figures["listener off"])
        print(f"token + charge, median of {args.rounds} rounds of {args.charges}:")
        for name, values in figures.items():
            median = statistics.median(values)
            print(f"  {name:13s} {median:7.2f} ms   x{median / base:.2f}")
        print(f"updates the receiver handled: {len(receiver.updates)}")


if __name__ == "__main__":
    main()
