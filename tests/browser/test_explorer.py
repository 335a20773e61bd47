"""The API explorer (`/explorer`): Swagger UI served by the sandbox, with the demo keys filled
in, makes a real token and charge from the browser; behind a path prefix (as the Jupyter
proxy serves it) it loads everything through relative URLs and its requests still work."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.support import bearer


def _open(page: Any, url: str) -> None:
    page.goto(url)
    # Swagger UI's bundle is 1.5 MB of script: give a loaded machine time to parse it
    page.wait_for_selector("body[data-ready='true']", state="attached", timeout=30_000)
    page.wait_for_selector("#operations-Tokens-create_token", timeout=30_000)


def _execute(page: Any, operation: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """Open the operation, (optionally) replace its example body, press Execute."""
    block = page.locator(f"#{operation}")
    block.locator(".opblock-summary").first.click()
    try_out = block.locator("button.try-out__btn")
    if try_out.count() and try_out.inner_text().strip() == "Try it out":
        try_out.click()
    if body is not None:
        block.locator("textarea.body-param__text").fill(json.dumps(body))
    block.locator("button.execute").click()
    status = block.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()
    text = block.locator(".live-responses-table .response-col_description pre").first.inner_text()
    return int(status.inner_text().strip()), json.loads(text)


def test_the_explorer_tokenizes_and_charges_with_the_demo_keys(
    page: Any, sandbox: Any, http: httpx.Client, merchant: dict[str, str]
) -> None:
    _open(page, f"{sandbox.url}/explorer")
    status, token = _execute(page, "operations-Tokens-create_token")
    assert status == 200, token
    assert token["id"].startswith("clv_")
    body = {"amount": 2500, "currency": "usd", "source": token["id"], "capture": True}
    status, charge = _execute(page, "operations-Charges-create_charge", body)
    assert status == 200, charge
    stored = http.get(f"/v1/charges/{charge['id']}", headers=bearer(merchant)).json()
    assert stored["amount"] == 2500 and stored["captured"] and stored["source"]["last4"] == "4242"


def test_the_explorer_works_behind_a_path_prefix(page: Any, merchant_site: Any) -> None:
    """As through the Jupyter proxy: the page, Swagger UI's files, the document and the
    requests all resolve under the prefix; a token is made through it."""
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    _open(page, f"{merchant_site.url}/proxy/sandbox/explorer")
    status, token = _execute(page, "operations-Tokens-create_token")
    assert status == 200, token
    assert failed == []
    outside = [url for url in _requested(page) if "/proxy/sandbox/" not in url]
    assert outside == []


def _requested(page: Any) -> list[str]:
    return page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
