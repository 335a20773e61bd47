"""kill -9 in the middle of a stream of charges and refunds loses nothing acknowledged."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from pathlib import Path

import httpx

from tests.support import VISA, sandbox_process


def stream(
    url: str, merchant: dict[str, str], acknowledged: list[tuple[str, dict]], stop: threading.Event
) -> None:
    """Charges, and a partial refund of every third, until the server dies."""
    headers = {
        "authorization": f"Bearer {merchant['private_key']}",
        "x-forwarded-for": "203.0.113.1",
    }
    with httpx.Client(base_url=url, timeout=5) as http:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                token = http.post(
                    "/v1/tokens",
                    headers={"apikey": merchant["api_access_key"]},
                    json={"card": VISA},
                ).json()["id"]
                charge = http.post(
                    "/v1/charges",
                    json={"amount": 100 + n, "currency": "usd", "source": token},
                    headers={**headers, "idempotency-key": str(uuid.uuid4())},
                )
                if charge.status_code == 200:
                    acknowledged.append(("charge", charge.json()))
                if n % 3 == 0:
                    refund = http.post(
                        "/v1/refunds",
                        json={"charge": charge.json()["id"], "amount": 50},
                        headers={**headers, "idempotency-key": str(uuid.uuid4())},
                    )
                    if refund.status_code == 200:
                        acknowledged.append(("refund", refund.json()))
            except (httpx.HTTPError, ValueError, KeyError):
                return


def test_kill_9_mid_stream_keeps_every_acknowledged_object(tmp_path: Path):
    db = tmp_path / "crash.sqlite3"
    acknowledged: list[tuple[str, dict]] = []
    stop = threading.Event()
    with sandbox_process("--db", str(db), "--seed", "8") as (process, url):
        merchant = httpx.get(f"{url}/_sandbox/merchants").json()[0]
        writer = threading.Thread(target=stream, args=(url, merchant, acknowledged, stop))
        writer.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 60 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
        writer.join(timeout=10)
        stop.set()
    assert len(acknowledged) >= 60

    with sandbox_process("--db", str(db)) as (_, url), httpx.Client(base_url=url) as http:
        headers = {"authorization": f"Bearer {merchant['private_key']}"}
        refunded: dict[str, int] = {}
        for kind, obj in acknowledged:
            stored = http.get(f"/v1/{kind}s/{obj['id']}", headers=headers)
            assert stored.status_code == 200, (kind, obj["id"])
            if kind == "refund":
                assert stored.json() == obj
                refunded[obj["charge"]] = refunded.get(obj["charge"], 0) + obj["amount"]
        for kind, obj in acknowledged:
            if kind == "charge":
                stored = http.get(f"/v1/charges/{obj['id']}", headers=headers).json()
                assert stored["amount"] == obj["amount"]
                # whole or nothing: a refund the client never heard of may exist, but never half
                assert stored["amount_refunded"] >= refunded.get(obj["id"], 0)
                listed = http.get(
                    "/v1/refunds", headers=headers, params={"charge": obj["id"], "limit": 100}
                ).json()["data"]
                assert stored["amount_refunded"] == sum(r["amount"] for r in listed)
