"""Which shop the local sandbox tells about a Hosted Checkout payment (issue 13): a shop
run in a notebook's kernel and stopped must not leave the merchant's webhooks on its dead
port, and a shop opening a session takes them back."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpers import CloverClient
from helpers.sandbox import Sandbox
from shop import Settings, background
from shop.clover import restore_local_webhooks

from .shopper import Shopper
from .test_hosted import _open, _pay_on_clover, _wait_for


def _hooks(sandbox: Sandbox, merchant: dict[str, str]) -> dict[str, Any]:
    answer = httpx.get(
        f"{sandbox.url}/_sandbox/webhooks", params={"merchant": merchant["merchant_id"]}
    )
    answer.raise_for_status()
    found: dict[str, Any] = answer.json()
    return found


@pytest.fixture
def before(sandbox: Sandbox, merchant: dict[str, str]) -> Iterator[dict[str, Any]]:
    """The merchant's webhook settings before the test, put back after it."""
    found = _hooks(sandbox, merchant)
    yield found
    httpx.post(
        f"{sandbox.url}/_sandbox/webhooks",
        json={"merchant": merchant["merchant_id"], "url": found.get("url")},
    ).raise_for_status()


def _settings(tmp_path: Path, name: str) -> Settings:
    return Settings(database=str(tmp_path / f"{name}.sqlite3"), secret_key=name * 16)


def _dead_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/webhooks/clover"


def test_two_shops_the_first_stopped_the_second_still_paid_by_webhook(
    tmp_path: Path,
    shop_client: CloverClient,
    sandbox: Sandbox,
    merchant: dict[str, str],
    before: dict[str, Any],
) -> None:
    first = background.start(_settings(tmp_path, "a"), shop_client)
    try:
        with background.start(_settings(tmp_path, "b"), shop_client) as second:
            first.stop()  # the notebook's shop stops after the second one started
            assert _hooks(sandbox, merchant)["url"] == second.settings.webhook_url
            shopper = Shopper(second.app)
            order_id = shopper.buy("TEE-01", 1)
            assert _pay_on_clover(_open(shopper, order_id)).status_code == 303
            _wait_for(second.settings.database, order_id, "paid")
    finally:
        first.stop()
    # Both stopped: the sandbox is back where the first found it, not on a dead port.
    assert _hooks(sandbox, merchant).get("url") == before.get("url")


def test_a_stopped_shop_puts_the_previous_webhook_settings_back(
    tmp_path: Path,
    shop_client: CloverClient,
    sandbox: Sandbox,
    merchant: dict[str, str],
    before: dict[str, Any],
) -> None:
    elsewhere = _dead_port()
    httpx.post(
        f"{sandbox.url}/_sandbox/webhooks",
        json={"merchant": merchant["merchant_id"], "url": elsewhere, "secret": "s" * 32},
    ).raise_for_status()
    with background.start(_settings(tmp_path, "a"), shop_client) as running:
        assert _hooks(sandbox, merchant)["url"] == running.settings.webhook_url
    restored = _hooks(sandbox, merchant)
    assert (restored["url"], restored["secret"]) == (elsewhere, "s" * 32)


def test_a_shop_opening_a_session_takes_the_webhooks_back(
    tmp_path: Path,
    shop_client: CloverClient,
    sandbox: Sandbox,
    merchant: dict[str, str],
    before: dict[str, Any],
) -> None:
    """Another shop (killed, so never restored) left the webhooks on a dead port."""
    with background.start(_settings(tmp_path, "b"), shop_client) as running:
        httpx.post(
            f"{sandbox.url}/_sandbox/webhooks",
            json={"merchant": merchant["merchant_id"], "url": _dead_port()},
        ).raise_for_status()
        shopper = Shopper(running.app)
        order_id = shopper.buy("MUG-01", 3)
        link = _open(shopper, order_id)
        hooks = _hooks(sandbox, merchant)
        assert hooks["url"] == running.settings.webhook_url
        assert hooks["secret"] == running.settings.webhook_secret
        assert _pay_on_clover(link).status_code == 303
        _wait_for(running.settings.database, order_id, "paid")


def test_a_stopping_shop_leaves_another_shops_webhooks_alone(
    shop_client: CloverClient, sandbox: Sandbox, merchant: dict[str, str], before: dict[str, Any]
) -> None:
    other = _dead_port()
    httpx.post(
        f"{sandbox.url}/_sandbox/webhooks",
        json={"merchant": merchant["merchant_id"], "url": other},
    ).raise_for_status()
    assert not restore_local_webhooks(shop_client, {"url": None}, "http://127.0.0.1:1/webhooks")
    assert _hooks(sandbox, merchant)["url"] == other
