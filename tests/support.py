"""Small helpers for tests that speak to the sandbox over HTTP."""

from __future__ import annotations

import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from helpers.sandbox.process import start_sandbox_process

SEED = 2026
# Hosted Checkout's shopper, every field Clover requires
# (https://docs.clover.com/docs/creating-a-hosted-checkout-session)
SHOPPER = {
    "firstName": "Ada",
    "lastName": "Lovelace",
    "email": "ada@example.com",
    "phoneNumber": "555-555-0002",
}


def reset(http: httpx.Client, seed: int = SEED) -> None:
    """Put the sandbox back to a fresh, seeded state: the suite's one way to reset it."""
    http.post("/_sandbox/reset", json={"seed": seed}).raise_for_status()


def bearer(merchant: dict[str, str], **extra: str) -> dict[str, str]:
    """Headers of a server-side Ecommerce call; POSTs get a fresh idempotency key."""
    return {
        "authorization": f"Bearer {merchant['private_key']}",
        "idempotency-key": str(uuid.uuid4()),
        "x-forwarded-for": "203.0.113.7",
        **extra,
    }


VISA = {
    "number": "4242424242424242",
    "exp_month": "12",
    "exp_year": "2030",
    "cvv": "123",
    "brand": "VISA",
}


def tokenize(http: httpx.Client, merchant: dict[str, str], **card: Any) -> str:
    response = http.post(
        "/v1/tokens",
        headers={"apikey": merchant["api_access_key"]},
        json={"card": {**VISA, **card}},
    )
    assert response.status_code == 200, response.text
    return response.json()["id"]


def charge(
    http: httpx.Client, merchant: dict[str, str], amount: int = 1358, **body: Any
) -> httpx.Response:
    source = body.pop("source", None) or tokenize(http, merchant, **body.pop("card", {}))
    return http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={"amount": amount, "currency": "usd", "source": source, **body},
    )


def assert_error(
    response: httpx.Response, status: int, code: str | None, param: str | None = None
) -> dict[str, Any]:
    """Clover's envelope, with the code and the field named."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["message"].startswith(str(status))
    error = body["error"]
    assert error["code"] == code, error
    assert error["message"]
    if param is not None:
        assert error.get("param") == param, error
        assert param.split(".")[-1].lower() in error["message"].lower(), error
    return error


@contextmanager
def sandbox_process(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`python -m helpers.sandbox` on a free port; yields the process and its base URL."""
    process, url = start_sandbox_process(extra=args, capture_stderr=True)
    try:
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


CHOICES = Path(__file__).resolve().parents[1] / "docs" / "choices.md"


def choice_anchors() -> set[str]:
    """GitHub's anchors for the headings of docs/choices.md, the one list of the kit's choices."""
    anchors = set()
    for line in CHOICES.read_text().splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^a-z0-9 _-]", "", title).replace(" ", "-"))
    return anchors


def deliveries_done(http: httpx.Client, url: str, timeout: float = 10.0) -> None:
    """Wait until the in-process sandbox is sending nothing more to `url`: then every
    webhook it was going to send there has arrived and is in its delivery log. A test that
    checks a second webhook never came waits for this, not for a fixed time."""
    from helpers.sandbox.core.webhooks import in_flight

    http.get("/_sandbox/clock")  # a request after the last one: its sends have all started
    deadline = time.monotonic() + timeout
    while in_flight(url):
        assert time.monotonic() < deadline, f"deliveries to {url} still running after {timeout} s"
        time.sleep(0.005)
