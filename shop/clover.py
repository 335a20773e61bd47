"""The shop's one connection to Clover, made from the environment by the kit's ``connect``.

``CLOVER_ENV`` picks the local sandbox (the default: one is started in this process, or
``CLOVER_SANDBOX_URL`` names a running one), Clover's sandbox or production; the
credentials come from the variables README.md lists, never from code.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
from collections.abc import Callable

import httpx

from helpers import CloverClient, connect

from .config import Settings

__all__ = ["ClientHolder", "for_shop", "send_local_webhooks"]

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


def send_local_webhooks(client: CloverClient, settings: Settings, shop_url: str) -> Settings:
    """On the local sandbox, have Hosted Checkout's webhooks sent to this shop.

    On Clover, the webhook URL (public HTTPS) and its secret are set in the developer
    dashboard (https://docs.clover.com/docs/ecomm-hosted-checkout-webhook); the local
    sandbox has a control for it instead. Returns the settings with the signing secret.
    """
    if not settings.webhook_secret:
        settings = dataclasses.replace(settings, webhook_secret=secrets.token_hex(32))
    httpx.post(
        f"{client.environment.ecommerce_url}/_sandbox/webhooks",
        json={
            "merchant": client.merchant_id,
            "url": f"{shop_url}/webhooks/clover",
            "secret": settings.webhook_secret,
        },
        timeout=10.0,
    ).raise_for_status()
    return settings
