"""The shop wired to the kit's local sandbox (a real Clover stand-in over HTTP)."""

from __future__ import annotations

from typing import Any

import httpx

from helpers import CloverClient, Environment
from helpers.sandbox import Sandbox
from shop.clover import for_shop


def client_for(sandbox: Sandbox, merchant: dict[str, str], **options: Any) -> CloverClient:
    """The client ``connect()`` would make for this merchant, tuned as the shop tunes it."""
    return for_shop(
        CloverClient(
            Environment.local(sandbox.url),
            merchant["private_key"],
            merchant_id=merchant["merchant_id"],
            api_access_key=merchant["api_access_key"],
            **options,
        )
    )


def charges_of(sandbox: Sandbox, merchant: dict[str, str], order_id: str) -> list[dict[str, Any]]:
    """Every charge the sandbox holds for one shop order (the shop describes them so)."""
    answer = httpx.get(
        f"{sandbox.url}/v1/charges",
        params={"limit": 100},
        headers={"authorization": f"Bearer {merchant['private_key']}"},
    )
    answer.raise_for_status()
    return [c for c in answer.json()["data"] if c.get("description") == f"Order {order_id}"]


def add_fault(sandbox: Sandbox, merchant: dict[str, str], **fault: Any) -> None:
    body = {"merchant": merchant["merchant_id"], "path": "/v1/charges", "method": "POST", **fault}
    httpx.post(f"{sandbox.url}/_sandbox/faults", json=body).raise_for_status()
