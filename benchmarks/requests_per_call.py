"""HTTP requests per client call, and a token + charge's p50, against two baselines.

    .venv/bin/python benchmarks/requests_per_call.py [--flows 1000]

Starts `python -m helpers.sandbox --seed 1` as its own process, installs the demo app for
the first demo merchant over OAuth (`oauth_app`, as notebooks 03 and 05 do), and times one
flow, `create_token` then `create_charge`, three ways, one flow of each in turn (the
order rotating), so the machine's load falls on all three alike:

- kit: the OAuth client as it is: the local clock rides on each answer's
  `X-Clover-Sandbox-Clock-Moved-Ms` header (issue 27);
- polled clock: the same client with the previous clock, a `GET /_sandbox/clock` before
  every Bearer request (what `LocalClock` did before issue 27);
- bare httpx: the same two requests written by hand, no kit at all.

Every HTTP request the process sends is counted at httpx's transport, so a request made
by a side client is counted too. Prints requests per client call (the kit's must be 1),
each way's p50 in ms, the ratios, and the load average. Exits 1 when the kit sends more
than one request per call.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers import CloverOAuth, Environment, oauth_app, test_card  # noqa: E402
from helpers.clover.oauth import MerchantClient  # noqa: E402

REDIRECT = "https://shop.example/oauth/callback"
SHOPPER_IP = "203.0.113.7"

sent: list[str] = []
_handle = httpx.HTTPTransport.handle_request


def _counted(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
    sent.append(request.url.path)
    return _handle(transport, request)


httpx.HTTPTransport.handle_request = _counted  # type: ignore[method-assign]


class PolledClock:
    """The clock before issue 27: asks the sandbox before each refresh decision."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._http = httpx.Client(timeout=5.0)

    def __call__(self) -> float:
        moved = int(self._http.get(f"{self.url}/_sandbox/clock").json()["moved_ms"])
        return time.time() + moved / 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_sandbox(port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "helpers.sandbox", "--port", str(port), "--seed", "1"]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/_sandbox/health", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the sandbox did not start")


def merchant_client(oauth: CloverOAuth, merchant_id: str) -> MerchantClient:
    """Installed, its PAKMS key fetched, no rate limiter (it would time the spacing)."""
    authorization = oauth.authorize(merchant_id)
    oauth.exchange(oauth.approve_locally(authorization), authorization)
    client = oauth.client(merchant_id, requests_per_second=None)
    client.get_pakms_key()
    return client


def kit_flow(client: MerchantClient) -> Callable[[], None]:
    card = test_card("approve").card()

    def flow() -> None:
        token = client.create_token(card)
        client.create_charge(100, token.id, customer_ip=SHOPPER_IP)

    return flow


def bare_flow(http: httpx.Client, merchant: dict[str, str]) -> Callable[[], None]:
    card = test_card("approve").card().to_wire()
    tokenize = {"apikey": merchant["api_access_key"]}
    bearer = {"authorization": f"Bearer {merchant['private_key']}", "x-forwarded-for": SHOPPER_IP}

    def flow() -> None:
        token = http.post("/v1/tokens", headers=tokenize, json={"card": card}).json()["id"]
        headers = {**bearer, "idempotency-key": os.urandom(16).hex()}
        body = {"amount": 100, "currency": "usd", "source": token}
        http.post("/v1/charges", headers=headers, json=body).raise_for_status()

    return flow


def p50_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flows", type=int, default=1000, help="flows per way")
    args = parser.parse_args()

    port = free_port()
    sandbox = start_sandbox(port)
    url = f"http://127.0.0.1:{port}"
    try:
        environment = Environment.local(url)
        merchant = httpx.get(f"{url}/_sandbox/merchants").json()[0]
        kit_oauth = oauth_app(environment, redirect_uri=REDIRECT)
        polled_oauth = oauth_app(environment, redirect_uri=REDIRECT)
        polled_oauth.clock = PolledClock(url)
        ways: dict[str, Callable[[], None]] = {
            "kit": kit_flow(merchant_client(kit_oauth, merchant["merchant_id"])),
            "polled clock": kit_flow(merchant_client(polled_oauth, merchant["merchant_id"])),
            "bare httpx": bare_flow(httpx.Client(base_url=url, timeout=10), merchant),
        }
        samples: dict[str, list[float]] = {name: [] for name in ways}
        requests: dict[str, int] = dict.fromkeys(ways, 0)
        for flow in ways.values():  # warm each way's connections
            for _ in range(20):
                flow()
        names = list(ways)
        for i in range(args.flows):  # one flow of each way in turn, the order rotating
            for name in names[i % 3 :] + names[: i % 3]:
                before = len(sent)
                started = time.perf_counter()
                ways[name]()
                samples[name].append(time.perf_counter() - started)
                requests[name] += len(sent) - before
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)

    flows = args.flows
    calls_per_flow = 2
    print(f"{flows} flows per way (token + charge), one of each way in turn")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'way':<14}{'requests/call':>14}{'p50 ms':>9}{'vs kit':>9}")
    kit_p50 = p50_ms(samples["kit"])
    for name in ways:
        per_call = requests[name] / (flows * calls_per_flow)
        p50 = p50_ms(samples[name])
        print(f"{name:<14}{per_call:>14.2f}{p50:>9.3f}{p50 / kit_p50:>8.2f}x")
    kit_per_call = requests["kit"] / (flows * calls_per_flow)
    print(f"HTTP requests per client call: {kit_per_call:g} (must be 1)")
    if kit_per_call != 1:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
