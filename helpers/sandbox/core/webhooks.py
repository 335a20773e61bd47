"""Webhook delivery: a body POSTed to a URL, signed, retried. Hosted Checkout's results
(resources/hosted_checkout) and app webhooks' messages (resources/app_webhooks) both go
through it, and the local controls set its URL and secret; so it lives in core.

Clover signs each delivery in the header `Clover-Signature: t=UNIX_SECONDS,v1=HEX`, where
HEX is the HMAC-SHA256 of `"{t}.{raw body}"` under the merchant's signing secret (docs:
ecomm-hosted-checkout-webhook). Delivery is at least once: an answer other than 2xx, or
no whole answer within five seconds (core/outbound.py; its body is never read), is
retried with exponential backoff (1 s, 2 s, 4 s ...; six attempts in all by default, a
local sandbox choice), each attempt signed afresh with the time it is sent. Receivers
therefore deduplicate by the event's `id`.

Where Clover's dashboard holds the URL and the secret, the local sandbox has a control
(`/_sandbox/webhooks`, local-only). Every attempt is recorded as a `webhook_delivery` so
a test or a notebook can watch them; deliveries run as background tasks on the server's
event loop, so a slow receiver never holds up the checkout page.

The retries and the five seconds are the kit's choices (docs/choices.md, "Hosted Checkout
webhooks"): Clover's page documents neither.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import json
import secrets
import ssl
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from typing import Any

import httpx

from helpers.sandbox.core import outbound
from helpers.sandbox.core.store import Kind, Object, Store, public

ENDPOINT = Kind.WEBHOOK_ENDPOINT
DELIVERY = Kind.WEBHOOK_DELIVERY
DEFAULT_ATTEMPTS = 6
MAX_ATTEMPTS = 10
DEFAULT_RETRY_BASE_MS = 1000
MAX_RETRY_BASE_MS = 60_000
TIMEOUT_S = outbound.TOTAL_S

_running: set[asyncio.Task[None]] = set()  # strong references until each task is done
_sending: Counter[str] = Counter()  # deliveries under way (or waiting to retry), by URL


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Clover-Signature` header value of `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def endpoint_of(store: Store, merchant_id: str) -> Object | None:
    found = store.get(ENDPOINT, merchant_id, merchant_id)
    return found if found is not None and found.get("url") else None


def _record(
    store: Store,
    merchant_id: str,
    event: dict[str, Any],
    attempt: int,
    url: str,
    status: int | None,
    error: str | None,
) -> None:
    store.put(
        DELIVERY,
        {
            "id": f"{event['id']}.{attempt}",
            "object": "webhook_delivery",
            "event": event["id"],
            "type": event["type"],
            "event_status": event["status"],
            "attempt": attempt,
            "url": url,
            "response_status": status,
            "error": error,
            "delivered": status is not None and 200 <= status < 300,
            "sent_at": int(time.time() * 1000),
            "_merchant": merchant_id,
        },
    )
    store.commit()


Record = Callable[[int, int | None, str | None], None]
"""Told of each attempt: (attempt number, HTTP status or None, error or None)."""


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every delivery: building one per client cost ~60 ms of CPU on
    the server's loop, and app webhooks now send a message for every charge."""
    return httpx.create_ssl_context()


def in_flight(url: str) -> int:
    """Deliveries to `url` still being sent or waiting to retry: a test waits for 0, so it
    knows everything the sandbox was going to send there has arrived and been logged."""
    return _sending[url]


async def post_with_retries(
    url: str,
    body: bytes,
    headers: Callable[[], dict[str, str]],
    attempts: int,
    retry_base_ms: int,
    record: Record,
    wanted: Callable[[], bool] = lambda: True,
) -> bool:
    """POST `body` until a 2xx answer, `attempts` times at most, waiting `retry_base_ms`
    doubled after each failure; `headers()` is called per attempt (a fresh signature),
    `wanted()` before it (False stops: a reset, a new URL). The one delivery loop of the
    sandbox's webhooks (Hosted Checkout's and the app webhooks'). Counted in
    `in_flight(url)` while it runs."""
    _sending[url] += 1
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_S, verify=_tls()) as http:
            for attempt in range(1, attempts + 1):
                if not wanted():
                    return False
                status: int | None = None
                error: str | None = None
                try:
                    status = await outbound.post_status(http, url, body, headers())
                except outbound.OutboundFailed as failed:
                    error = str(failed)
                record(attempt, status, error)
                if status is not None and 200 <= status < 300:
                    return True
                if attempt < attempts:
                    await asyncio.sleep(retry_base_ms / 1000 * 2 ** (attempt - 1))
        return False
    finally:
        _sending[url] -= 1
        if not _sending[url]:
            del _sending[url]


def start(work: Coroutine[Any, Any, Any]) -> None:
    """Run `work` in the background on the server's loop, kept until it is done."""
    task = asyncio.get_running_loop().create_task(work)
    _running.add(task)
    task.add_done_callback(_running.discard)


async def _deliver(
    store: Store, merchant_id: str, endpoint: Object, event: dict[str, Any], body: bytes
) -> None:
    url, secret = endpoint["url"], endpoint["secret"]

    def headers() -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "Clover-Signature": signature(secret, int(time.time()), body),
            "User-Agent": "Clover-Webhooks (local sandbox)",
        }

    def record(attempt: int, status: int | None, error: str | None) -> None:
        _record(store, merchant_id, event, attempt, url, status, error)

    await post_with_retries(
        url,
        body,
        headers,
        endpoint["max_attempts"],
        endpoint["retry_base_ms"],
        record,
        lambda: endpoint_of(store, merchant_id) is endpoint,
    )


def send(store: Store, merchant_id: str, event: dict[str, Any]) -> None:
    """Start delivering `event` in the background; with no URL set, record that instead.
    Call it from the server's event loop, after the change it reports is committed."""
    endpoint = endpoint_of(store, merchant_id)
    if endpoint is None:
        _record(
            store,
            merchant_id,
            event,
            1,
            "",
            None,
            "no webhook URL is set for this merchant (POST /_sandbox/webhooks)",
        )
        return
    body = json.dumps(event, separators=(",", ":")).encode()
    start(_deliver(store, merchant_id, endpoint, event, body))


def configure(
    store: Store,
    merchant_id: str,
    url: str | None,
    secret: str | None,
    max_attempts: int | None,
    retry_base_ms: int | None,
) -> Object:
    """Where the merchant's webhooks go (a `url` of None stops them) and the signing
    secret, made here unless given (Clover's dashboard does this)."""
    endpoint = {
        "id": merchant_id,
        "object": "webhook_endpoint",
        "merchant": merchant_id,
        "url": url,
        "secret": secret or secrets.token_hex(32),
        "max_attempts": max_attempts or DEFAULT_ATTEMPTS,
        "retry_base_ms": DEFAULT_RETRY_BASE_MS if retry_base_ms is None else retry_base_ms,
        "_merchant": merchant_id,
    }
    store.put(ENDPOINT, endpoint)
    return endpoint


def settings(store: Store, merchant_id: str) -> Object:
    found = store.get(ENDPOINT, merchant_id, merchant_id)
    return public(found) if found else {"merchant": merchant_id, "url": None}


def deliveries(store: Store, merchant_id: str) -> list[Object]:
    """Every delivery attempt for the merchant, oldest first."""
    return [public(d) for d in store.newest_first(DELIVERY, merchant_id)][::-1]
