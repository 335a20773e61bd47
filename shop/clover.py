"""The shop's one connection to Clover, made from the environment.

``CLOVER_ENV`` picks the local sandbox (the default), Clover's sandbox or production; the
credentials come from the variables README.md lists, never from code. The shop reaches
Clover through the client wing, ``helpers.clover``, only: what a merchant deploys has no
notebook aids and no sandbox in it. On the local sandbox (development) it uses one that is
running (``CLOVER_SANDBOX_URL``, else a running ``kit.py lab``'s), else starts
``python -m helpers.sandbox`` beside itself, as a command, and stops it when it exits.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import re
import secrets
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

from helpers.clover.client import CloverClient
from helpers.clover.local_sandbox import LocalSandbox, running_sandbox
from helpers.clover.settings import client_from_env, load_dotenv

from .config import Settings

__all__ = [
    "ClientHolder",
    "connect",
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


DEFAULT_SEED = "2026"
_started: list[str] = []
"""The URL of the sandbox this process started (development), if it started one."""


def _start_sandbox() -> str:
    """``python -m helpers.sandbox`` on a free port beside the shop, stopped when the shop's
    process ends; its URL, from the first line it prints."""
    seed = os.environ.get("CLOVER_SANDBOX_SEED", DEFAULT_SEED)
    command = [sys.executable, "-m", "helpers.sandbox", "--port", "0", "--seed", seed]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    found = re.search(r"http://\S+:\d+", process.stdout.readline())
    if found is None:
        process.kill()
        raise RuntimeError(f"`{' '.join(command[1:])}` did not start; its errors are above")
    threading.Thread(target=process.stdout.read, daemon=True).start()  # never a full pipe
    atexit.register(process.terminate)
    _started.append(found.group())
    return found.group()


def connect() -> CloverClient:
    """The client ``CLOVER_ENV`` names (read ``.env`` first), with README.md's credentials;
    on the local sandbox its first demo merchant, whose pages the shopper's browser loads
    from ``CLOVER_BROWSER_URL`` when set."""
    load_dotenv()
    name = (os.environ.get("CLOVER_ENV") or "local").strip().lower()
    if name != "local":
        return client_from_env(name)
    running = running_sandbox()
    url = running[0] if running else (_started[0] if _started else _start_sandbox())
    # behind Jupyter's proxy the browser reaches the sandbox elsewhere: the proxy entry
    # that starts the shop says where (helpers/sandbox/local/jupyter_proxy.py)
    browser_url = os.environ.get("CLOVER_BROWSER_URL") or None
    return client_from_env("local", sandbox_url=url, browser_url=browser_url)


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


def local_webhooks(client: CloverClient) -> dict[str, Any]:
    """Where the local sandbox sends this merchant's webhooks now (``url`` None: nowhere),
    with the signing secret and retry settings, as its control answers them."""
    return LocalSandbox(client).webhook_settings()


def _point(client: CloverClient, settings: dict[str, Any]) -> None:
    LocalSandbox(client).point_webhooks(
        settings.get("url"),
        secret=settings.get("secret"),
        max_attempts=settings.get("max_attempts"),
        retry_base_ms=settings.get("retry_base_ms"),
    )


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
    """Which Clover the shop talks to and why, for its start-up lines: ``CLOVER_SANDBOX_URL``,
    else a running ``kit.py lab``'s sandbox, else one the shop started."""
    environment = client.environment
    if not environment.is_local:
        return f"Clover's {environment.name} at {environment.ecommerce_url}"
    url = environment.ecommerce_url.rstrip("/")
    running = running_sandbox()
    if running and running[0] == url:
        return f"{url} (local, {running[1]})"
    return f"{url} (local, started by the shop; it stops with the shop)"


def webhook_destination(client: CloverClient, settings: Settings) -> str:
    """Where Hosted Checkout's webhooks go, for the shop's start-up lines."""
    if not settings.webhook_secret:
        return "nowhere: Hosted Checkout is off"
    if client.environment.is_local:
        return f"{settings.webhook_url} (set on the local sandbox, merchant {client.merchant_id})"
    return "the URL set in Clover's developer dashboard"
