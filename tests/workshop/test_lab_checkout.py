"""The iframe notebook in a real JupyterLab: a card typed into the card fields inside the
notebook becomes a token in Python, and the charge shows in the table.

On a laptop the card fields come straight from the sandbox (another origin than Jupyter);
on a hub, and on a laptop whose browser cannot reach the sandbox, through Jupyter's proxy.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import Browsing, Lab, loopback, open_browser
from .notebook import pay_in_the_notebook

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/01_iframe_and_api_flow.ipynb"
# Not the card the notebook tokenizes by itself (4242...), so the table tells them apart.
DISCOVER = ("6011361000006668", "12/30", "123", "10001", "DISCOVER", "6668")
JCB = ("3566002020360505", "11/31", "321", "94105", "JCB", "0505")


@pytest.fixture
def laptop_browser(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Browsing]:
    """A browser on the laptop itself: it may reach anything on loopback."""
    yield from open_browser(chromium, request, loopback)


def only(lab_fixture: str) -> Any:
    @pytest.fixture
    def browsing(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Browsing]:
        lab: Lab = request.getfixturevalue(lab_fixture)
        yield from open_browser(
            chromium,
            request,
            lambda url: url.startswith(("blob:", "data:")) or url.startswith(lab.origin + "/"),
        )

    return browsing


# A browser that reaches the Jupyter server and nothing else, as on a hub.
hub_browser = only("hub_lab")
# The laptop's browser when only Jupyter's port is forwarded to it (ssh -L, a container).
tunnelled_browser = only("laptop_lab")


def notebook_copy(lab: Lab, name: str) -> str:
    """A copy of the iframe notebook with a kernel of its own."""
    target = lab.root / "notebooks" / name
    shutil.copyfile(lab.root / NOTEBOOK, target)
    return f"notebooks/{name}"


def test_laptop_card_fields_come_straight_from_the_sandbox(
    laptop_lab: Lab, laptop_browser: Browsing
) -> None:
    seen = pay_in_the_notebook(laptop_browser, laptop_lab, NOTEBOOK, DISCOVER)
    origins = {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in seen["frames"]}
    assert len(seen["frames"]) == 4 and len(origins) == 1, seen["frames"]
    assert origins != {laptop_lab.origin}, "on a laptop the fields are another origin"
    assert laptop_browser.refused == []


def test_laptop_lab_offers_the_sandbox_as_a_launcher_tile(
    laptop_lab: Lab, laptop_browser: Browsing
) -> None:
    status, body = laptop_lab.get("clover-sandbox/_sandbox/health")
    assert status == 200, body
    status, body = laptop_lab.get("server-proxy/servers-info")
    assert status == 200, body
    entries = {server["name"]: server for server in json.loads(body)["server_processes"]}
    assert entries["clover-sandbox"]["launcher_entry"]["title"] == "Clover sandbox"
    page = laptop_browser.page
    page.goto(f"{laptop_lab.url}lab?reset&token={laptop_lab.token}")
    page.wait_for_function(
        "() => Boolean(window.jupyterapp"
        " && window.jupyterapp.commands.hasCommand('launcher:create'))",
        timeout=60_000,
    )
    page.evaluate("async () => window.jupyterapp.commands.execute('launcher:create')")
    tile = page.locator(".jp-LauncherCard", has_text="Clover sandbox")
    expect(tile).to_be_visible(timeout=30_000)


def test_hub_card_fields_come_through_the_jupyter_proxy_only(
    hub_lab: Lab, hub_browser: Browsing
) -> None:
    seen = pay_in_the_notebook(hub_browser, hub_lab, NOTEBOOK, JCB)
    proxy = f"{hub_lab.url}proxy/"
    assert len(seen["frames"]) == 4, seen["frames"]
    assert all(url.startswith(proxy) for url in seen["frames"]), seen["frames"]
    assert hub_browser.refused == [], "the page must not even try the sandbox's own address"
    assert any(
        url.startswith(proxy) and url.endswith("/v1/tokens") for url in hub_browser.requested
    )


def test_laptop_browser_that_reaches_only_jupyter_falls_back_to_the_proxy(
    laptop_lab: Lab, tunnelled_browser: Browsing
) -> None:
    path = notebook_copy(laptop_lab, "01_through_a_tunnel.ipynb")
    seen = pay_in_the_notebook(tunnelled_browser, laptop_lab, path, JCB)
    assert any(url.endswith("/sdk.js") for url in tunnelled_browser.refused), (
        "the direct address is tried first"
    )
    proxy = f"{laptop_lab.url}proxy/"
    assert len(seen["frames"]) == 4, seen["frames"]
    assert all(url.startswith(proxy) for url in seen["frames"]), seen["frames"]
