"""OAuth v2 in the sandbox: authorize, code exchange, PKCE, refresh rotation, expiry."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.support import assert_error

REDIRECT = "https://shop.example/oauth/callback?from=clover"
VERIFIER = "v" * 20 + "-._~" + "0123456789abcdefghijk"  # 45 characters


def challenge_of(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


def authorize(http: httpx.Client, merchant: dict[str, str], **params: str) -> httpx.Response:
    query = {
        "client_id": merchant["app_id"],
        "redirect_uri": REDIRECT,
        "merchant_id": merchant["merchant_id"],
        "state": "s-123",
        **params,
    }
    return http.get("/oauth/v2/authorize", params={k: v for k, v in query.items() if v})


def code_for(http: httpx.Client, merchant: dict[str, str], **params: str) -> str:
    response = authorize(http, merchant, **params)
    assert response.status_code == 302, response.text
    return parse_qs(urlsplit(response.headers["location"]).query)["code"][0]


def exchange(
    http: httpx.Client, merchant: dict[str, str], code: str, **body: str
) -> httpx.Response:
    payload = {
        "client_id": merchant["app_id"],
        "client_secret": merchant["app_secret"],
        "code": code,
        **body,
    }
    return http.post("/oauth/v2/token", json={k: v for k, v in payload.items() if v})


def token_pair(http: httpx.Client, merchant: dict[str, str]) -> dict[str, object]:
    response = exchange(http, merchant, code_for(http, merchant))
    assert response.status_code == 200, response.text
    return response.json()


def bearer_of(token: object, **extra: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}", **extra}


def set_lifetimes(http: httpx.Client, **seconds: int) -> None:
    http.post("/_sandbox/oauth/lifetimes", json=seconds).raise_for_status()


# -- authorize ---------------------------------------------------------------------------


def test_authorize_redirects_with_code_and_state_for_a_client_without_html(http, merchant):
    response = authorize(http, merchant)
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert (
        f"{location.scheme}://{location.netloc}{location.path}"
        == "https://shop.example/oauth/callback"
    )
    query = parse_qs(location.query)
    assert query["from"] == ["clover"], "the redirect_uri's own query is kept"
    assert query["merchant_id"] == [merchant["merchant_id"]]
    assert query["client_id"] == [merchant["app_id"]]
    assert query["state"] == ["s-123"]
    assert query["code"][0].isalnum()
    assert response.json() == {"redirect": response.headers["location"]}


def test_a_browser_gets_a_consent_page_listing_the_apps_merchants(http, merchant, other_merchant):
    page = http.get(
        "/oauth/v2/authorize",
        headers={"accept": "text/html"},
        params={"client_id": merchant["app_id"], "redirect_uri": REDIRECT, "state": "<script>"},
    )
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert merchant["merchant_id"] in page.text and other_merchant["merchant_id"] in page.text
    assert "<script>" not in page.text and "&lt;script&gt;" in page.text
    named = http.get(
        "/oauth/v2/authorize",
        headers={"accept": "text/html"},
        params={
            "client_id": merchant["app_id"],
            "redirect_uri": REDIRECT,
            "merchant_id": other_merchant["merchant_id"],
        },
    )
    assert other_merchant["merchant_id"] in named.text
    assert merchant["merchant_id"] not in named.text


def consent_token(http: httpx.Client, params: dict[str, str]) -> str:
    """The consent page's CSRF token, as the browser finds it in the form."""
    page = http.get("/oauth/v2/authorize", params=params, headers={"accept": "text/html"})
    found = re.search(r"name='csrf_token' value='([^']+)'", page.text)
    assert found, page.text
    return found.group(1)


def consent(http: httpx.Client, merchant: dict[str, str], decision: str) -> httpx.Response:
    ask = {"client_id": merchant["app_id"], "redirect_uri": REDIRECT, "state": "s-9"}
    return http.post(
        "/oauth/v2/authorize",
        data={
            **ask,
            "csrf_token": consent_token(http, ask),
            "merchant_id": merchant["merchant_id"],
            "decision": decision,
        },
    )


def test_the_consent_form_allows_with_a_code_or_denies_with_access_denied(http, merchant):
    allowed = consent(http, merchant, "allow")
    assert allowed.status_code == 302
    query = parse_qs(urlsplit(allowed.headers["location"]).query)
    assert query["merchant_id"] == [merchant["merchant_id"]] and query["state"] == ["s-9"]
    assert exchange(http, merchant, query["code"][0]).status_code == 200
    denied = consent(http, merchant, "deny")
    query = parse_qs(urlsplit(denied.headers["location"]).query)
    assert query == {"from": ["clover"], "error": ["access_denied"], "state": ["s-9"]}


def test_the_consent_form_must_be_a_form(http, merchant):
    response = http.post("/oauth/v2/authorize", json={"client_id": merchant["app_id"]})
    assert_error(response, 400, "invalid_request", "content-type")


@pytest.mark.parametrize(
    ("params", "status", "code", "param"),
    [
        ({"client_id": "NOSUCHAPP"}, 401, "invalid_client", "client_id"),
        ({"redirect_uri": ""}, 400, "invalid_request", "redirect_uri"),
        ({"redirect_uri": "javascript:alert(1)"}, 400, "invalid_request", "redirect_uri"),
        ({"redirect_uri": "https://shop.example/cb#frag"}, 400, "invalid_request", "redirect_uri"),
        ({"merchant_id": "NOSUCHMERCH01"}, 404, "resource_missing", "merchant_id"),
        ({"merchant_id": ""}, 400, "invalid_request", "merchant_id"),
        ({"response_type": "token"}, 400, "invalid_request", "response_type"),
        ({"code_challenge": "short"}, 400, "invalid_request", "code_challenge"),
        (
            {"code_challenge": challenge_of(VERIFIER), "code_challenge_method": "plain"},
            400,
            "invalid_request",
            "code_challenge_method",
        ),
        ({"code_challenge_method": "S256"}, 400, "invalid_request", "code_challenge"),
    ],
)
def test_authorize_refuses_bad_requests_without_redirecting(
    http, merchant, params, status, code, param
):
    response = authorize(http, merchant, **params)
    assert "location" not in response.headers
    assert_error(response, status, code, param)


# -- code exchange ------------------------------------------------------------------------


def test_a_code_buys_a_token_pair_with_expirations_in_seconds(http, merchant):
    before = int(time.time())
    pair = token_pair(http, merchant)
    assert set(pair) == {
        "access_token",
        "access_token_expiration",
        "refresh_token",
        "refresh_token_expiration",
    }
    lifetimes = http.get("/_sandbox/oauth/lifetimes").json()
    assert (
        before + lifetimes["access_token"]
        <= pair["access_token_expiration"]
        <= int(time.time()) + lifetimes["access_token"]
    )
    assert pair["refresh_token_expiration"] > pair["access_token_expiration"]
    key = http.get("/pakms/apikey", headers=bearer_of(pair["access_token"]))
    assert key.status_code == 200
    found = key.json()
    times = {name: found.pop(name) for name in ("createdTime", "modifiedTime")}
    assert found == {
        "apiAccessKey": merchant["api_access_key"],
        "merchantUuid": merchant["merchant_id"],
        "developerAppUuid": merchant["app_id"],
        "active": True,
    }
    for value in times.values():  # Unix milliseconds, 2020 to 2100
        assert type(value) is int and 1_577_836_800_000 <= value <= 4_102_444_800_000


def test_an_access_token_charges_for_its_merchant(http, merchant):
    from tests.support import tokenize

    pair = token_pair(http, merchant)
    response = http.post(
        "/v1/charges",
        json={"amount": 1358, "currency": "usd", "source": tokenize(http, merchant)},
        headers=bearer_of(pair["access_token"], **{"x-forwarded-for": "203.0.113.7"}),
    )
    assert response.status_code == 200, response.text


def test_a_code_works_once(http, merchant):
    code = code_for(http, merchant)
    assert exchange(http, merchant, code).status_code == 200
    assert_error(exchange(http, merchant, code), 400, "invalid_grant", "code")


def test_a_wrong_secret_is_refused_and_leaves_the_code_usable(http, merchant):
    code = code_for(http, merchant)
    response = exchange(http, merchant, code, client_secret="not-the-secret")
    assert_error(response, 401, "invalid_client", "client_secret")
    assert exchange(http, merchant, code).status_code == 200


def test_exchange_needs_a_secret_or_a_verifier(http, merchant):
    code = code_for(http, merchant)
    response = http.post("/oauth/v2/token", json={"client_id": merchant["app_id"], "code": code})
    assert_error(response, 400, "invalid_request", "client_secret")
    response = http.post(
        "/oauth/v2/token",
        json={"client_id": merchant["app_id"], "code": code, "code_verifier": VERIFIER},
    )
    assert_error(response, 400, "invalid_request", "code_verifier")


def test_an_expired_or_unknown_code_is_refused(http, merchant):
    set_lifetimes(http, code=0)
    assert_error(exchange(http, merchant, code_for(http, merchant)), 400, "invalid_grant", "code")
    assert_error(exchange(http, merchant, "madeupcode123"), 400, "invalid_grant", "code")


@pytest.mark.parametrize(
    ("body", "status", "code", "param"),
    [
        ({"client_id": None}, 400, "invalid_request", "client_id"),
        ({"client_id": "NOSUCHAPP"}, 401, "invalid_client", "client_id"),
        ({"code": None}, 400, "invalid_request", "code"),
        ({"code": 12345}, 400, "invalid_request", "code"),
        ({"grant_type": "authorization_code"}, 400, "invalid_request", "grant_type"),
    ],
)
def test_malformed_exchanges_name_the_field(http, merchant, body, status, code, param):
    payload = {
        "client_id": merchant["app_id"],
        "client_secret": merchant["app_secret"],
        "code": "abc",
        **body,
    }
    response = http.post(
        "/oauth/v2/token", json={k: v for k, v in payload.items() if v is not None}
    )
    assert_error(response, status, code, param)


# -- PKCE -------------------------------------------------------------------------------


def test_pkce_exchanges_the_code_with_the_verifier_instead_of_the_secret(http, merchant):
    code = code_for(
        http, merchant, code_challenge=challenge_of(VERIFIER), code_challenge_method="S256"
    )
    wrong = http.post(
        "/oauth/v2/token",
        json={"client_id": merchant["app_id"], "code": code, "code_verifier": "w" * 43},
    )
    assert_error(wrong, 400, "invalid_grant", "code_verifier")
    without = http.post(
        "/oauth/v2/token",
        json={
            "client_id": merchant["app_id"],
            "code": code,
            "client_secret": merchant["app_secret"],
        },
    )
    assert_error(without, 400, "invalid_request", "code_verifier")
    bad_shape = http.post(
        "/oauth/v2/token",
        json={"client_id": merchant["app_id"], "code": code, "code_verifier": "short"},
    )
    assert_error(bad_shape, 400, "invalid_request", "code_verifier")
    right = http.post(
        "/oauth/v2/token",
        json={"client_id": merchant["app_id"], "code": code, "code_verifier": VERIFIER},
    )
    assert right.status_code == 200, right.text
    assert (
        http.get("/pakms/apikey", headers=bearer_of(right.json()["access_token"])).status_code
        == 200
    )


# -- refresh ----------------------------------------------------------------------------


def refresh(http: httpx.Client, merchant: dict[str, str], token: object) -> httpx.Response:
    return http.post(
        "/oauth/v2/refresh", json={"client_id": merchant["app_id"], "refresh_token": token}
    )


def test_refresh_rotates_the_pair_and_the_old_refresh_token_dies(http, merchant):
    first = token_pair(http, merchant)
    second = refresh(http, merchant, first["refresh_token"])
    assert second.status_code == 200, second.text
    second_pair = second.json()
    assert second_pair["access_token"] != first["access_token"]
    assert second_pair["refresh_token"] != first["refresh_token"]
    assert_error(
        refresh(http, merchant, first["refresh_token"]), 400, "invalid_grant", "refresh_token"
    )
    assert refresh(http, merchant, second_pair["refresh_token"]).status_code == 200
    for pair in (first, second_pair):  # access tokens live until they expire
        assert http.get("/pakms/apikey", headers=bearer_of(pair["access_token"])).status_code == 200


def test_refresh_refuses_unknown_expired_and_other_apps_tokens(http, merchant):
    assert_error(refresh(http, merchant, "nosuchtoken"), 400, "invalid_grant", "refresh_token")
    set_lifetimes(http, refresh_token=0)
    pair = token_pair(http, merchant)
    response = refresh(http, merchant, pair["refresh_token"])
    assert_error(response, 400, "invalid_grant", "refresh_token")
    assert "expired" in response.json()["error"]["message"]
    response = http.post("/oauth/v2/refresh", json={"client_id": "OTHERAPP", "refresh_token": "x"})
    assert_error(response, 401, "invalid_client", "client_id")
    response = http.post("/oauth/v2/refresh", json={"client_id": merchant["app_id"]})
    assert_error(response, 400, "invalid_request", "refresh_token")


# -- using access tokens ------------------------------------------------------------------


def test_an_expired_access_token_is_a_bare_401(http, merchant):
    set_lifetimes(http, access_token=0)
    pair = token_pair(http, merchant)
    response = http.get("/pakms/apikey", headers=bearer_of(pair["access_token"]))
    assert response.status_code == 401
    assert response.json() == {"message": "401 Unauthorized"}


def test_moving_the_sandbox_clock_expires_codes_and_tokens_as_time_would(http, merchant):
    """Under a seed, objects are dated by a stepping clock, yet expirations keep real
    time: the moves of `/_sandbox/clock` are added to it, so a lesson moves 31 minutes
    instead of waiting them."""
    lifetimes = http.get("/_sandbox/oauth/lifetimes").json()
    pair = token_pair(http, merchant)
    waiting_code = code_for(http, merchant)
    minutes = lifetimes["access_token"] // 60 + 1
    moved = http.post("/_sandbox/clock", json={"advance": f"PT{minutes}M"}).json()
    assert moved["moved_ms"] == minutes * 60_000
    assert http.get("/_sandbox/clock").json()["moved_ms"] == minutes * 60_000
    response = http.get("/pakms/apikey", headers=bearer_of(pair["access_token"]))
    assert response.status_code == 401 and response.json() == {"message": "401 Unauthorized"}
    assert_error(exchange(http, merchant, waiting_code), 400, "invalid_grant", "code")
    fresh = refresh(http, merchant, pair["refresh_token"])  # a year: still alive
    assert fresh.status_code == 200, fresh.text
    now = time.time() + minutes * 60
    assert now < fresh.json()["access_token_expiration"] <= now + lifetimes["access_token"] + 2
    assert http.get("/pakms/apikey", headers=bearer_of(fresh.json()["access_token"])).is_success


def test_a_token_of_one_merchant_is_refused_for_another(http, merchant, other_merchant):
    pair = token_pair(http, merchant)
    named = {"x-clover-merchant-id": other_merchant["merchant_id"]}
    response = http.get("/pakms/apikey", headers=bearer_of(pair["access_token"], **named))
    error = assert_error(response, 401, "merchant_mismatch", "x-clover-merchant-id")
    assert merchant["merchant_id"] in error["message"]
    own = {"x-clover-merchant-id": merchant["merchant_id"]}
    assert (
        http.get("/pakms/apikey", headers=bearer_of(pair["access_token"], **own)).status_code == 200
    )
    private = http.get("/pakms/apikey", headers=bearer_of(merchant["private_key"], **named))
    assert_error(private, 401, "merchant_mismatch", "x-clover-merchant-id")


def test_lifetimes_are_read_set_checked_and_reset(http):
    defaults = http.get("/_sandbox/oauth/lifetimes").json()
    assert set(defaults) == {"access_token", "refresh_token", "code"}
    changed = http.post("/_sandbox/oauth/lifetimes", json={"access_token": 5}).json()
    assert changed == {**defaults, "access_token": 5}
    for body, param in (
        ({"access_token": -1}, "access_token"),
        ({"code": "5"}, "code"),
        ({"code": 1.5}, "code"),
        ({"ttl": 5}, "ttl"),
    ):
        assert_error(
            http.post("/_sandbox/oauth/lifetimes", json=body), 400, "invalid_request", param
        )
    http.post("/_sandbox/reset").raise_for_status()
    assert http.get("/_sandbox/oauth/lifetimes").json() == defaults


def test_grants_are_stored_hashed_and_survive_a_restart(tmp_path):
    from helpers.sandbox import Sandbox

    db = tmp_path / "sandbox.sqlite3"
    with Sandbox(seed=5, db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        merchant = http.get("/_sandbox/merchants").json()[0]
        pair = token_pair(http, merchant)
    stored = db.read_bytes().decode("latin-1")
    assert pair["access_token"] not in stored and pair["refresh_token"] not in stored
    with Sandbox(seed=5, db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        assert http.get("/pakms/apikey", headers=bearer_of(pair["access_token"])).status_code == 200
        fresh = refresh(http, merchant, pair["refresh_token"])
        assert fresh.status_code == 200
    with Sandbox(seed=5, db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        access = bearer_of(fresh.json()["access_token"])
        assert http.get("/pakms/apikey", headers=access).status_code == 200
        http.post("/_sandbox/clock", json={"advance": "PT31M"}).raise_for_status()
    with Sandbox(seed=5, db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        assert http.get("/_sandbox/clock").json()["moved_ms"] == 31 * 60_000, "moves are kept"
        assert http.get("/pakms/apikey", headers=access).status_code == 401
