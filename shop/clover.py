"""The shop's one connection to Clover, made from the environment by the kit's ``connect``.

``CLOVER_ENV`` picks the local sandbox (the default: one is started in this process, or
``CLOVER_SANDBOX_URL`` names a running one), Clover's sandbox or production; the
credentials come from the variables README.md lists, never from code.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import threading
from collections.abc import Callable
from typing import Any

import httpx

from helpers import CloverClient, connect
from helpers.lab import LAB_SANDBOX_FILE, lab_sandbox_url, sandbox_home

from .config import Settings

__all__ = [
    "ClientHolder",
    "ensure_local_webhooks",
    "for_shop",
    "local_webhooks",
    "restore_local_webhooks",
    "sandbox_origin",
    "send_local_webhooks",
    "webhook_destination",
]

MAX_WAIT_FOR_RATE_LIMIT_S = 2.0
"""A shopper's request waits at most this long on a 429 before hearing "try again"."""


def for_shop(client: CloverClient) -> CloverClient:
    """Tune the kit's retries for a web request: resend lost answers with the same key (the
    client does), but do not hold a shopper for a long ``Retry-After``."""
    client.retries = dataclasses.replace(client.retries, max_retry_after=MAX_WAIT_FOR_RATE_LIMIT_S)
    return client


class ClientHolder:
    """Makes the client on first use (starting a local sandbox can take a second)."""

    def __init__(self, factory: Callable[[], CloverClient] | None = None) -> None:
        self._factory = factory or (lambda: for_shop(connect()))
        self._client: CloverClient | None = None
        self._lock = threading.Lock()

    def get(self) -> CloverClient:
        with self._lock:
            if self._client is None:
                self._client = self._factory()
            return self._client


def _controls(client: CloverClient) -> str:
    return f"{client.environment.ecommerce_url}/_sandbox/webhooks"


def local_webhooks(client: CloverClient) -> dict[str, Any]:
    """Where the local sandbox sends this merchant's webhooks now (``url`` None: nowhere),
    with the signing secret and retry settings, as its control answers them."""
    answer = httpx.get(_controls(client), params={"merchant": client.merchant_id}, timeout=10.0)
    answer.raise_for_status()
    found: dict[str, Any] = answer.json()
    return found


_RESTORED = ("url", "secret", "max_attempts", "retry_base_ms")


def _point(client: CloverClient, settings: dict[str, Any]) -> None:
    body = {key: settings[key] for key in _RESTORED if settings.get(key) is not None}
    body["url"] = settings.get("url")
    body["merchant"] = client.merchant_id
    httpx.post(_controls(client), json=body, timeout=10.0).raise_for_status()


def send_local_webhooks(client: CloverClient, settings: Settings, shop_url: str) -> Settings:
    """On the local sandbox, have Hosted Checkout's webhooks sent to this shop.

    On Clover, the webhook URL (public HTTPS) and its secret are set once in the developer
    dashboard (https://docs.clover.com/docs/ecomm-hosted-checkout-webhook); the local
    sandbox has a control for it instead. Returns the settings with the signing secret and
    the URL, which :func:`ensure_local_webhooks` puts back if another shop took it.
    """
    if not settings.webhook_secret:
        settings = dataclasses.replace(settings, webhook_secret=secrets.token_hex(32))
    settings = dataclasses.replace(settings, webhook_url=f"{shop_url}/webhooks/clover")
    _point(client, {"url": settings.webhook_url, "secret": settings.webhook_secret})
    return settings


def ensure_local_webhooks(client: CloverClient, settings: Settings) -> bool:
    """Before a Hosted Checkout session: make sure the local sandbox still sends this
    merchant's webhooks to this shop with its secret (a notebook's shop, stopped or not,
    may have pointed them elsewhere since). True when they had to be pointed back.

    One URL per merchant, as in Clover's dashboard: the last shop to open a session gets
    the webhooks. Nothing to do on Clover's hosts, or when the shop does not know its URL.
    """
    if not (client.environment.is_local and settings.webhook_url):
        return False
    now = local_webhooks(client)
    if now.get("url") == settings.webhook_url and now.get("secret") == settings.webhook_secret:
        return False
    _point(client, {"url": settings.webhook_url, "secret": settings.webhook_secret})
    return True


def restore_local_webhooks(client: CloverClient, previous: dict[str, Any], ours: str) -> bool:
    """When a shop stops: put back the webhook settings it found, unless another shop has
    taken them since (then they are that shop's, and stay). True when restored."""
    if local_webhooks(client).get("url") != ours:
        return False
    _point(client, previous)
    return True


def sandbox_origin(client: CloverClient) -> str:
    """Which Clover the shop talks to and why, for its start-up lines: ``connect()`` takes
    ``CLOVER_SANDBOX_URL``, else a running ``kit.py lab``'s sandbox, else starts one."""
    environment = client.environment
    if not environment.is_local:
        return f"Clover's {environment.name} at {environment.ecommerce_url}"
    url = environment.ecommerce_url.rstrip("/")
    if os.environ.get("CLOVER_SANDBOX_URL"):
        return f"{url} (local, from CLOVER_SANDBOX_URL)"
    if lab_sandbox_url() == url:
        where = sandbox_home() / LAB_SANDBOX_FILE
        return f"{url} (local: the running kit.py lab's, found in {where})"
    return f"{url} (local, started in this process; it stops with the shop)"


def webhook_destination(client: CloverClient, settings: Settings) -> str:
    """Where Hosted Checkout's webhooks go, for the shop's start-up lines."""
    if not settings.webhook_secret:
        return "nowhere: Hosted Checkout is off"
    if client.environment.is_local:
        return f"{settings.webhook_url} (set on the local sandbox, merchant {client.merchant_id})"
    return "the URL set in Clover's developer dashboard"
