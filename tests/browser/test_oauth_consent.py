"""The sandbox's OAuth consent page in a real browser: choose a merchant, Allow or Deny."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from helpers import CloverOAuth, Environment

pytestmark = pytest.mark.browser

REDIRECT = "https://shop.example/oauth/callback"


@pytest.fixture
def shop(page: Any) -> list[str]:
    """The app's callback page, answered inside the browser (nothing leaves the machine)."""
    landed: list[str] = []

    def answer(route: Any) -> None:
        landed.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p>connected</p>")

    page.route("https://shop.example/**", answer)
    return landed


def test_the_merchant_chooses_allows_and_the_app_gets_a_working_token(
    page: Any,
    sandbox: Any,
    http: httpx.Client,
    merchants: list[dict[str, str]],
    shop: list[str],
) -> None:
    app = merchants[0]
    oauth = CloverOAuth(
        Environment.local(sandbox.url), app["app_id"], app["app_secret"], redirect_uri=REDIRECT
    )
    authorization = oauth.authorize()  # no merchant_id: the page asks
    page.goto(authorization.url)
    assert "Connect app" in page.inner_text("h1")
    page.check(f"input[value='{merchants[1]['merchant_id']}']")
    page.click("button[value=allow]")
    page.wait_for_url("https://shop.example/**")

    query = parse_qs(urlsplit(shop[-1]).query)
    assert query["merchant_id"] == [merchants[1]["merchant_id"]]
    assert query["state"] == [authorization.state]
    token = oauth.exchange(shop[-1], authorization)
    assert (
        oauth.client(token.merchant_id).get_pakms_key().merchantUuid == merchants[1]["merchant_id"]
    )
    oauth.close()


def test_deny_sends_the_merchant_back_with_access_denied(
    page: Any,
    sandbox: Any,
    http: httpx.Client,
    merchants: list[dict[str, str]],
    shop: list[str],
) -> None:
    app = merchants[0]
    page.goto(
        f"{sandbox.url}/oauth/v2/authorize?client_id={app['app_id']}"
        f"&redirect_uri={REDIRECT}&merchant_id={app['merchant_id']}&state=s1"
    )
    assert page.locator("input[name=merchant_id]").count() == 1
    page.click("button[value=deny]")
    page.wait_for_url("https://shop.example/**")
    assert parse_qs(urlsplit(shop[-1]).query) == {"error": ["access_denied"], "state": ["s1"]}
