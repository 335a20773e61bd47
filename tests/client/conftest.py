"""Fixtures for the client tests: a scripted fake Clover, and clients on the real sandbox."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from helpers import CloverClient, Environment, Journal
from helpers.clover.retries import NO_RETRIES

LOCAL = "http://clover.test"
PRIVATE_KEY = "sandbox-private-key-unit-a1b2c3d4e5f6"
API_ACCESS_KEY = "publickeyunit0123456789abcdef9f8e"

Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeClover:
    """A MockTransport that records every request and answers from a handler."""

    handler: Handler
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def last_json(self) -> Any:
        return json.loads(self.last.content)


def ok(body: Any, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def charge_body(charge_id: str = "JD4ZEXSSXE1KW", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": charge_id,
        "amount": 1358,
        "amount_refunded": 0,
        "currency": "usd",
        "created": 1_700_000_000_000,
        "captured": True,
        "paid": True,
        "refunded": False,
        "status": "succeeded",
        "ref_num": "308900560139",
        "auth_code": "OK1234",
        "order": "N8NZ2BTNZ7SWM",
        "outcome": {"network_status": "approved_by_network", "type": "authorized"},
        "source": {
            "id": "clv_1TSTSh7k2pQx9mWzAbCd",
            "brand": "VISA",
            "first6": "424242",
            "last4": "4242",
            "exp_month": "12",
            "exp_year": "2030",
        },
        "warning_message": None,
    }
    body.update(overrides)
    return body


def default_handler(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path == "/pakms/apikey":
        return ok({"apiAccessKey": API_ACCESS_KEY, "merchantUuid": "MID1", "active": True})
    if path == "/v1/tokens":
        return ok(
            {
                "id": "clv_1TSTSh7k2pQx9mWzAbCd",
                "object": "token",
                "card": {"first6": "424242", "last4": "4242", "brand": "VISA"},
            }
        )
    if path.startswith("/v1/charges"):
        return ok(charge_body())
    if path.startswith("/v1/refunds"):
        return ok(
            {
                "id": "R1",
                "object": "refund",
                "amount": 1358,
                "charge": "JD4ZEXSSXE1KW",
                "status": "succeeded",
                "metadata": {"refundType": "AUTH"},
            }
        )
    return ok({"message": "404 Not Found"}, 404)


@pytest.fixture
def fake() -> FakeClover:
    return FakeClover(default_handler)


@pytest.fixture
def make_client() -> Iterator[Callable[..., tuple[CloverClient, FakeClover]]]:
    """Build a client over a fake Clover answering with ``handler``."""
    made: list[CloverClient] = []

    def build(handler: Handler = default_handler, **kwargs: Any) -> tuple[CloverClient, FakeClover]:
        fake = FakeClover(handler)
        kwargs.setdefault("api_access_key", API_ACCESS_KEY)
        # one exchange per call: retries and the rate limiter have tests of their own
        kwargs.setdefault("retries", NO_RETRIES)
        kwargs.setdefault("requests_per_second", None)
        client = CloverClient(
            Environment.local(LOCAL), PRIVATE_KEY, transport=httpx.MockTransport(fake), **kwargs
        )
        made.append(client)
        return client, fake

    yield build
    for client in made:
        client.close()


@pytest.fixture
def clean_env(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """No CLOVER_* variables, an empty working folder; os.environ restored afterwards."""
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith("CLOVER_"):
            del os.environ[name]
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    os.environ.clear()
    os.environ.update(saved)


# -- the real local sandbox ------------------------------------------------------------


@pytest.fixture
def sandbox_merchants(sandbox: Any) -> list[dict[str, str]]:
    """Reset the session's sandbox to its seed and return its demo merchants."""
    with httpx.Client(base_url=sandbox.url, timeout=10) as http:
        http.post("/_sandbox/reset").raise_for_status()
        merchants: list[dict[str, str]] = http.get("/_sandbox/merchants").json()
    return merchants


def _client_for(sandbox: Any, merchant: dict[str, str], **kwargs: Any) -> CloverClient:
    return CloverClient(
        Environment.local(sandbox.url),
        merchant["private_key"],
        merchant_id=merchant["merchant_id"],
        **kwargs,
    )


@pytest.fixture
def live(sandbox: Any, sandbox_merchants: list[dict[str, str]]) -> Iterator[CloverClient]:
    """A client of the first demo merchant on a freshly reset local sandbox."""
    with _client_for(sandbox, sandbox_merchants[0], journal=Journal()) as client:
        yield client


@pytest.fixture
def other_live(sandbox: Any, sandbox_merchants: list[dict[str, str]]) -> Iterator[CloverClient]:
    """A client of the second demo merchant, to show merchants never see each other."""
    with _client_for(sandbox, sandbox_merchants[1]) as client:
        yield client
