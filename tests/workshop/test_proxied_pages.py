"""The sandbox's other browser pages, opened from the links notebooks show, behind a hub.

A notebook on a hub builds its links from the browser address ``connect()`` found; they
must open through the Jupyter server's proxy, and the pages' own forms must work there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from helpers import CloverClient, connect
from helpers.clover.resources.hosted_checkout import checkout_customer, line_item

from .conftest import HUB_BASE, Browsing, Lab, open_browser

pytestmark = pytest.mark.browser

SHOP = "https://pinewood-shop.example"


@pytest.fixture
def hub_clover(
    hub_lab: Lab, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CloverClient]:
    """A notebook's client as on the hub: the sandbox on loopback, the hub's prefix set."""
    for name in ("CLOVER_ENV", "CLOVER_BROWSER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOVER_SANDBOX_URL", sandbox.url)
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", HUB_BASE)
    with connect() as clover:
        yield clover


@pytest.fixture
def hub_only(chromium: Any, request: pytest.FixtureRequest, hub_lab: Lab) -> Iterator[Browsing]:
    """A browser that reaches the Jupyter server and nothing else; logged in to it."""
    browsing = open_browser(chromium, request, lambda url: url.startswith(hub_lab.origin + "/"))
    session = next(browsing)
    session.page.goto(f"{hub_lab.url}api/status?token={hub_lab.token}")
    yield session
    next(browsing, None)


def test_hosted_checkout_link_opens_and_pays_through_the_proxy(
    hub_lab: Lab, hub_clover: CloverClient, hub_only: Browsing
) -> None:
    session = hub_clover.create_checkout_session(
        [line_item("Flat white", 450, 2)],
        customer=checkout_customer("Ada", "Lovelace", "ada@example.com", "555-555-0002"),
        success_url=f"{SHOP}/thanks",
        failure_url=f"{SHOP}/failed",
        cancel_url=f"{SHOP}/cart",
    )
    link = hub_clover.checkout_page_url(session)
    port = hub_clover.environment.ecommerce_url.rsplit(":", 1)[1]
    assert link.startswith(f"{HUB_BASE}proxy/{port}/")
    page = hub_only.page
    page.goto(f"{hub_lab.origin}{link}")
    expect(page.get_by_role("table")).to_contain_text("Flat white")
    page.get_by_label("Name on card").fill("Ada Lovelace")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry (MM/YY)").fill("12/34")
    page.get_by_label("CVV").fill("123")
    page.get_by_label("ZIP / postal code").fill("94085")
    with page.expect_request(f"{SHOP}/thanks"):
        page.get_by_role("button", name="Pay $9.00").click()
    assert all(
        not url.startswith(hub_clover.environment.ecommerce_url) for url in hub_only.requested
    )
    [charge] = hub_clover.list_charges(limit=1).data
    assert charge.amount == 900 and charge.source.last4 == "4242"


def test_demo_checkout_opens_through_the_proxy(
    hub_lab: Lab, hub_clover: CloverClient, hub_only: Browsing
) -> None:
    environment = hub_clover.environment
    link = environment.for_browser(f"{environment.checkout_url}/demo/checkout")
    page = hub_only.page
    page.goto(f"{hub_lab.origin}{link}")
    expect(page.locator('iframe[data-clover-element="CARD_NUMBER"]')).to_be_attached()
    assert hub_only.refused == []
