"""Server CPU per token + charge flow with no server around the app: the ASGI app called
directly, in this process, on the code of the current directory (flow_cpu.py runs it in
each tree). Less noisy than a served run: no HTTP parsing, no sockets, no load generator.

    python benchmarks/flow_cpu_asgi.py [FLOWS]   (prints one number: CPU ms per flow)
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from typing import Any

from helpers.sandbox.app import create_app

try:
    from helpers.sandbox.core.merchants import DEMO_MERCHANTS
except ImportError:  # the trees before the redesign (2f8a31d)
    from helpers.sandbox.merchants import DEMO_MERCHANTS  # type: ignore[no-redef]

CARD = {
    "number": "4242424242424242",
    "exp_month": "12",
    "exp_year": "2034",
    "cvv": "123",
    "brand": "VISA",
}


async def call(app: Any, path: str, headers: dict[str, str], body: dict[str, Any]) -> Any:
    raw = json.dumps(body).encode()
    sent = [(b"host", b"127.0.0.1:8765"), (b"content-type", b"application/json")]
    sent += [(b"content-length", str(len(raw)).encode())]
    sent += [(k.encode(), v.encode()) for k, v in headers.items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": sent,
        "client": ("127.0.0.1", 5555),
        "server": ("127.0.0.1", 8765),
    }
    messages = [{"type": "http.request", "body": raw, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return messages.pop() if messages else {"type": "http.disconnect"}

    answer: list[bytes] = []

    async def send(message: dict[str, Any]) -> None:
        answer.append(message.get("body", b""))

    await app(scope, receive, send)
    return json.loads(b"".join(answer))


async def flow(app: Any) -> None:
    merchant = DEMO_MERCHANTS[0]
    token = await call(app, "/v1/tokens", {"apikey": merchant.api_access_key}, {"card": CARD})
    headers = {
        "authorization": f"Bearer {merchant.private_key}",
        "idempotency-key": str(uuid.uuid4()),
        "x-forwarded-for": "203.0.113.9",
    }
    body = {"amount": 1358, "currency": "usd", "source": token["id"]}
    charge = await call(app, "/v1/charges", headers, body)
    assert charge.get("status") == "succeeded", charge


async def main(flows: int) -> None:
    app = create_app(seed=1)
    for _ in range(200):  # warm-up: imports, caches
        await flow(app)
    began = time.process_time()
    for _ in range(flows):
        await flow(app)
    print(f"{(time.process_time() - began) / flows * 1000:.4f}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
