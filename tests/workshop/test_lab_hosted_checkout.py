"""Hosted Checkout in a JupyterLab under a hub's base URL: the notebook's link opens Clover's
page through Jupyter's proxy, a card typed there pays, the browser lands on the success URL,
and the signed webhook reaches the kernel's receiver. The browser reaches only Jupyter.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from . import notebook
from .conftest import Browsing, Lab, open_browser

pytestmark = pytest.mark.browser

PATH = "notebooks/hosted_checkout_through_the_proxy.ipynb"
SETUP = """
from IPython.display import HTML

from helpers import connect
from helpers.clover.resources.hosted_checkout import checkout_customer, line_item
from helpers.notebook.local_controls import LocalSandbox
from helpers.clover.webhooks import WebhookReceiver

clover = connect()
receiver = WebhookReceiver().start()
receiver.secret = LocalSandbox(clover).set_webhook(receiver.url, retry_base_ms=100)
shopper = checkout_customer("Ada", "Lovelace", "ada@example.com", "555-555-0002")
session = clover.create_checkout_session([line_item("Flat white", 450, 2)], customer=shopper,
                                         success_url=SUCCESS, cancel_url=SUCCESS)
HTML(f'<a class="pay-link" href="{clover.checkout_page_url(session)}" target="_blank">Pay</a>')
"""
RESULT = """
print("EVENTS", [(e.status, e.data == session.checkoutSessionId, receiver.deliveries[-1].accepted)
                 for e in receiver.events])
"""


@pytest.fixture
def hub_only_browser(
    chromium: Any, hub_lab: Lab, request: pytest.FixtureRequest
) -> Iterator[Browsing]:
    yield from open_browser(
        chromium,
        request,
        lambda url: url.startswith(("blob:", "data:")) or url.startswith(hub_lab.origin + "/"),
    )


def test_the_checkout_page_pays_through_the_jupyter_proxy(
    hub_lab: Lab, hub_only_browser: Browsing
) -> None:
    success = f"{hub_lab.url}api/status?paid=1"
    cells = [
        new_code_cell(f"SUCCESS = {success!r}\n" + SETUP.strip()),
        new_code_cell(RESULT.strip()),
    ]
    nbformat.write(
        new_notebook(
            cells=cells,
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
        ),
        hub_lab.root / PATH,
    )
    page = hub_only_browser.page
    notebook.open_notebook(page, hub_lab, PATH)
    notebook.run_all(page, PATH)
    assert "EVENTS []" in notebook.output_text(page, PATH, 1)

    link = notebook.cell(page, 0).locator("a.pay-link")
    with page.expect_popup() as opened:
        link.click()
    shop = opened.value
    shop.wait_for_load_state()
    assert shop.url.startswith(f"{hub_lab.url}proxy/"), shop.url
    shop.get_by_label("Card number").fill("4242 4242 4242 4242")
    shop.get_by_label("Expiry (MM/YY)").fill("12/34")
    shop.get_by_label("CVV").fill("123")
    shop.get_by_role("button", name="Pay $9.00").click()
    shop.wait_for_url(success)

    deadline = time.monotonic() + 30
    while True:
        notebook.run_from(page, PATH, 1)
        seen = notebook.output_text(page, PATH, 1)
        if "APPROVED" in seen or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert "EVENTS [('APPROVED', True, True)]" in seen, seen
    assert hub_only_browser.refused == [], "the browser must reach nothing but Jupyter"
    assert any(
        url.startswith(f"{hub_lab.url}proxy/") and "/checkout/" in url
        for url in hub_only_browser.requested
    )
