"""Issue 23's low findings, each a regression test named after it: a garbled IPv6 URL is a
400 naming the field wherever a URL is taken; registering a merchant under the demo app
keeps the demo app's Site URLs; a new merchant's key may not equal any credential the
sandbox holds; the explorer (and the other pages holding or spending the demo keys) cannot
be framed by another site."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support import SHOPPER, assert_error, bearer

GARBLED = "http://[::1/"
DEMO_APP = "KTAPPDEM0A1B2"
DEMO_SECRET = "sandbox-app-secret-pinewood-7f3a9c1e"


def _mine(**change: Any) -> dict[str, Any]:
    return {
        "name": "Maple Tea House",
        "merchant_id": "MAPLETEA00001",
        "private_key": "2f0c7f4e-8a51-4d8a-9d1f-3c0b8d6a1e27",
        "api_access_key": "0123456789abcdef0123456789abcdef",
        "app_id": "MAPLEAPP00001",
        "app_secret": "8d2e6a1c-0b7f-4c3e-a9d5-61f0e2b4c7a8",
        **change,
    }


@pytest.mark.parametrize(
    ("path", "body", "param"),
    [
        ("/_sandbox/app-webhooks", {"app_id": DEMO_APP, "url": GARBLED}, "url"),
        ("/_sandbox/webhooks", {"merchant": "PNWDC0FFEE001", "url": GARBLED}, "url"),
        ("/_sandbox/oauth/site-urls", {"client_id": DEMO_APP, "url": GARBLED}, "url"),
        ("/_sandbox/merchants", _mine(site_urls=[GARBLED]), "site_urls[0]"),
    ],
)
def test_a_garbled_ipv6_webhook_url_is_a_400_naming_the_field(
    http: httpx.Client, path: str, body: dict[str, Any], param: str
) -> None:
    error = assert_error(http.post(path, json=body), 400, "invalid_request", param)
    assert "not a valid URL" in error["message"]


def test_a_garbled_ipv6_redirect_url_is_a_400_naming_the_field(
    http: httpx.Client, merchant: dict[str, str]
) -> None:
    session = http.post(
        "/invoicingcheckoutservice/v1/checkouts",
        headers={**bearer(merchant), "x-clover-merchant-id": merchant["merchant_id"]},
        json={
            "customer": SHOPPER,
            "shoppingCart": {"lineItems": [{"name": "Tea", "price": 450, "unitQty": 1}]},
            "redirectUrls": {"success": GARBLED},
        },
    )
    assert_error(session, 400, "invalid_request", "redirectUrls.success")
    authorize = http.get(
        "/oauth/v2/authorize", params={"client_id": DEMO_APP, "redirect_uri": GARBLED}
    )
    assert_error(authorize, 400, "invalid_request", "redirect_uri")


def test_registering_a_merchant_under_the_demo_app_keeps_its_site_urls(
    http: httpx.Client,
) -> None:
    before = http.get("/_sandbox/oauth/site-urls", params={"client_id": DEMO_APP}).json()
    body = _mine(app_id=DEMO_APP, app_secret=DEMO_SECRET, site_urls=["https://evil.example/"])
    assert http.post("/_sandbox/merchants", json=body).status_code == 200
    after = http.get("/_sandbox/oauth/site-urls", params={"client_id": DEMO_APP}).json()
    assert set(before["site_urls"]) <= set(after["site_urls"]), after
    # the demo merchant's OAuth still reaches its own redirect
    demo_redirect = before["site_urls"][0].rstrip("/") + "/callback"
    ok = http.get(
        "/oauth/v2/authorize",
        params={
            "client_id": DEMO_APP,
            "merchant_id": "PNWDC0FFEE001",
            "redirect_uri": demo_redirect,
        },
    )
    assert ok.status_code == 302, ok.text


@pytest.mark.parametrize(
    ("field", "taken_from"),
    [
        ("private_key", "api_access_key"),
        ("private_key", "app_secret"),
        ("api_access_key", "private_key"),
        ("app_secret", "private_key"),
    ],
)
def test_a_new_merchant_key_may_not_equal_another_merchant_credential(
    http: httpx.Client, merchant: dict[str, str], field: str, taken_from: str
) -> None:
    # the demo app's own secret is fine for a merchant of the demo app; here, another app
    answer = http.post("/_sandbox/merchants", json=_mine(**{field: merchant[taken_from]}))
    assert_error(answer, 400, "invalid_request", field)
    # and the other merchant's credential still authenticates only as itself
    if taken_from != "app_secret":
        listed = http.get("/_sandbox/merchants").json()
        assert [m["merchant_id"] for m in listed if m[taken_from] == merchant[taken_from]] == [
            merchant["merchant_id"]
        ]


def test_a_new_merchant_public_key_may_not_be_its_own_private_key(http: httpx.Client) -> None:
    key = "0123456789abcdef0123456789abcdef"
    answer = http.post("/_sandbox/merchants", json=_mine(private_key=key, api_access_key=key))
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["param"] in ("private_key", "api_access_key")


@pytest.mark.parametrize("path", ["/explorer", "/", "/demo/checkout"])
def test_the_explorer_cannot_be_framed_by_another_site(http: httpx.Client, path: str) -> None:
    page = http.get(path)
    assert page.status_code == 200
    assert "frame-ancestors 'none'" in page.headers.get("content-security-policy", "")
    assert page.headers.get("x-frame-options") == "DENY"


@pytest.mark.parametrize("path", ["/widget.html?element=CARD_NUMBER", "/ach.html"])
def test_the_iframe_fields_stay_frameable(http: httpx.Client, path: str) -> None:
    page = http.get(path)
    assert page.status_code == 200, page.text
    assert "x-frame-options" not in page.headers
