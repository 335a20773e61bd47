"""OAuth's redirect_uri is checked against the app's Site URLs, as Clover checks it (docs:
build/cors), and the consent page is guarded: no framing, a CSRF token, no cross-site post.
"""

from __future__ import annotations

import httpx
import pytest

from tests.support import assert_error

from .test_http import consent_token

SHOP = "https://pinewood-shop.example/oauth/callback"


def authorize(http: httpx.Client, merchant: dict[str, str], redirect_uri: str) -> httpx.Response:
    return http.get(
        "/oauth/v2/authorize",
        params={
            "client_id": merchant["app_id"],
            "redirect_uri": redirect_uri,
            "merchant_id": merchant["merchant_id"],
        },
    )


@pytest.mark.parametrize(
    "redirect_uri",
    [
        SHOP,
        "https://pinewood-shop.example/app/callback",
        "https://PINEWOOD-shop.example:443/oauth/callback?from=clover",
        "https://shop.example/oauth/callback",
    ],
)
def test_a_redirect_uri_under_a_site_url_gets_its_code(
    http: httpx.Client, merchant: dict[str, str], redirect_uri: str
) -> None:
    answer = authorize(http, merchant, redirect_uri)
    assert answer.status_code == 302 and "code=" in answer.headers["location"]


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/oauth/callback",
        "http://pinewood-shop.example/oauth/callback",  # another scheme
        "https://pinewood-shop.example:8443/oauth/callback",  # another port
        "https://pinewood-shop.example.evil.example/oauth/callback",
        "https://pinewood-shop.example@evil.example/oauth/callback",
        "https://www.pinewood-shop.example/oauth/callback",
    ],
)
def test_any_other_redirect_uri_is_refused_before_a_code_is_issued(
    http: httpx.Client, merchant: dict[str, str], redirect_uri: str
) -> None:
    answer = authorize(http, merchant, redirect_uri)
    assert_error(answer, 400, "invalid_request", "redirect_uri")
    assert "location" not in answer.headers
    assert "/_sandbox/oauth/site-urls" in answer.json()["error"]["message"]


@pytest.mark.parametrize("redirect_uri", [SHOP + "/café", SHOP + "/a b", SHOP + "\n"])
def test_a_redirect_uri_that_is_not_ascii_answers_400_not_500(
    http: httpx.Client, merchant: dict[str, str], redirect_uri: str
) -> None:
    assert_error(authorize(http, merchant, redirect_uri), 400, "invalid_request", "redirect_uri")


def test_a_site_url_added_by_the_control_takes_its_subpaths_until_a_reset(
    http: httpx.Client, merchant: dict[str, str]
) -> None:
    app = {"client_id": merchant["app_id"]}
    local = "http://localhost:5000/my-app"
    assert_error(authorize(http, merchant, local + "/callback"), 400, "invalid_request")
    added = http.post("/_sandbox/oauth/site-urls", json={**app, "url": local})
    assert added.status_code == 200 and local in added.json()["site_urls"]
    assert local in http.get("/_sandbox/oauth/site-urls", params=app).json()["site_urls"]
    assert authorize(http, merchant, local + "/callback").status_code == 302
    assert authorize(http, merchant, local).status_code == 302
    refused = authorize(http, merchant, "http://localhost:5000/my-application")
    assert_error(refused, 400, "invalid_request", "redirect_uri")
    http.post("/_sandbox/reset", json={})
    assert_error(authorize(http, merchant, local + "/callback"), 400, "invalid_request")


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"client_id": "NOPE", "url": "https://a.example"}, "client_id"),
        ({"url": "https://a.example"}, "client_id"),
        ({"client_id": "KTAPPDEM0A1B2"}, "url"),
        ({"client_id": "KTAPPDEM0A1B2", "url": "ftp://a.example"}, "url"),
        ({"client_id": "KTAPPDEM0A1B2", "url": "https://a.example/?x=1"}, "url"),
        ({"client_id": "KTAPPDEM0A1B2", "url": "https://a.example", "x": 1}, "x"),
    ],
)
def test_the_site_url_control_names_what_is_wrong(
    http: httpx.Client, body: dict[str, object], param: str
) -> None:
    answer = http.post("/_sandbox/oauth/site-urls", json=body)
    assert answer.status_code == 400 and answer.json()["error"]["param"] == param


def ask(merchant: dict[str, str], state: str = "s-1") -> dict[str, str]:
    return {"client_id": merchant["app_id"], "redirect_uri": SHOP, "state": state}


def test_the_consent_page_cannot_be_framed(http: httpx.Client, merchant: dict[str, str]) -> None:
    page = http.get("/oauth/v2/authorize", params=ask(merchant), headers={"accept": "text/html"})
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_the_consent_form_needs_the_pages_own_token(
    http: httpx.Client, merchant: dict[str, str]
) -> None:
    form = {**ask(merchant), "merchant_id": merchant["merchant_id"], "decision": "allow"}
    assert_error(http.post("/oauth/v2/authorize", data=form), 403, "csrf_token_invalid")
    other = consent_token(http, ask(merchant, state="another"))
    for token in (other, "", "1.00", "x" * 300, f"9999999999.{other.split('.')[1]}"):
        answer = http.post("/oauth/v2/authorize", data={**form, "csrf_token": token})
        assert_error(answer, 403, "csrf_token_invalid", "csrf_token")
    good = http.post(
        "/oauth/v2/authorize", data={**form, "csrf_token": consent_token(http, ask(merchant))}
    )
    assert good.status_code == 302 and good.headers["location"].startswith(SHOP)


def test_a_cross_site_consent_post_is_refused_even_with_a_token(
    http: httpx.Client, merchant: dict[str, str]
) -> None:
    form = {
        **ask(merchant),
        "merchant_id": merchant["merchant_id"],
        "decision": "allow",
        "csrf_token": consent_token(http, ask(merchant)),
    }
    answer = http.post("/oauth/v2/authorize", data=form, headers={"Origin": "https://evil.example"})
    assert_error(answer, 403, "origin_not_allowed", "origin")
