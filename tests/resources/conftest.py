"""The client tests' fixtures, for the tests sorted by Clover resource: a scripted fake
Clover (``make_client``; ``wire`` for the sync and the async client alike) and clients on
the real local sandbox (``live``)."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from helpers import ENVIRONMENTS, AsyncCloverClient, CloverClient, Journal
from helpers.clover.retries import NO_RETRIES
from tests.client.conftest import (  # noqa: F401  (fixtures shared with tests/client)
    API_ACCESS_KEY,
    PRIVATE_KEY,
    FakeClover,
    clean_env,
    default_handler,
    fake,
    live,
    make_client,
    other_live,
    sandbox_merchants,
)

SANDBOX = ENVIRONMENTS["sandbox"]
"""Clover's sandbox hosts: each kind of call goes to its own host, so URLs tell them apart."""
ECOMMERCE = "https://scl-sandbox.dev.clover.com"
TOKENIZER = "https://token-sandbox.dev.clover.com"
HOSTED_CHECKOUT = "https://apisandbox.dev.clover.com"
MERCHANT_ID = "MERCHANT1234"
SHOPPER_IP = "203.0.113.7"


class Wire:
    """One client, sync or async, over a fake Clover that records what it was sent.

    ``call("create_order", ...)`` runs the client's method of that name and returns its
    result (awaited for the async client); ``answer`` queues the next responses.
    """

    def __init__(self, mode: str, **options: Any) -> None:
        self.mode = mode
        self.queued: list[httpx.Response] = []
        self.fake = FakeClover(self._answer)
        self.journal = Journal()
        self.options: dict[str, Any] = {
            "merchant_id": MERCHANT_ID,
            "api_access_key": API_ACCESS_KEY,
            "customer_ip": SHOPPER_IP,
            "journal": self.journal,
            "retries": NO_RETRIES,
            "requests_per_second": None,
            **options,
        }

    def _answer(self, request: httpx.Request) -> httpx.Response:
        return self.queued.pop(0) if self.queued else default_handler(request)

    def answer(self, body: Any, status: int = 200, **headers: str) -> None:
        self.queued.append(httpx.Response(status, json=body, headers=headers))

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        transport = httpx.MockTransport(self.fake)
        if self.mode == "sync":
            with CloverClient(SANDBOX, PRIVATE_KEY, transport=transport, **self.options) as c:
                return getattr(c, name)(*args, **kwargs)

        async def run() -> Any:
            async with AsyncCloverClient(
                SANDBOX, PRIVATE_KEY, transport=transport, **self.options
            ) as client:
                result = getattr(client, name)(*args, **kwargs)
                return await result if inspect.isawaitable(result) else result

        return asyncio.run(run())

    @property
    def requests(self) -> list[httpx.Request]:
        return self.fake.requests

    @property
    def last(self) -> httpx.Request:
        return self.fake.last

    def last_json(self) -> Any:
        return json.loads(self.fake.last.content)


@pytest.fixture(params=["sync", "async"])
def wire(request: pytest.FixtureRequest) -> Iterator[Wire]:
    """The same scripted Clover behind a CloverClient, then behind an AsyncCloverClient."""
    yield Wire(request.param)


@pytest.fixture(params=["sync", "async"])
def wire_mode(request: pytest.FixtureRequest) -> str:
    """``sync`` or ``async``, for tests that build their own :class:`Wire`."""
    return str(request.param)
