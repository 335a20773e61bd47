"""OAuth on the wire: the token and refresh calls the app sends, and the merchant client's
headers, against a scripted Clover."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from helpers import ENVIRONMENTS, CloverOAuth, InvalidRequestError, OAuthToken, TokenStore
from helpers.clover.retries import NO_RETRIES

SANDBOX = ENVIRONMENTS["sandbox"]
TOKEN_HOST = "https://apisandbox.dev.clover.com"
REDIRECT = "https://shop.example/oauth/callback"
NOW = 1_800_000_000.0


def pair(access: str = "access-token-0001", refresh: str = "refresh-token-0001") -> dict[str, Any]:
    return {
        "access_token": access,
        "access_token_expiration": int(NOW) + 1800,
        "refresh_token": refresh,
        "refresh_token_expiration": int(NOW) + 30 * 86400,
    }


class ScriptedClover:
    def __init__(self, *answers: httpx.Response) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answers.pop(0)


def oauth_over(clover: ScriptedClover, secret: str | None = "app-secret-9c1e") -> CloverOAuth:
    return CloverOAuth(
        SANDBOX,
        "APPID1234",
        secret,
        redirect_uri=REDIRECT,
        store=TokenStore(),
        clock=lambda: NOW,
        transport=httpx.MockTransport(clover),
    )


def callback(oauth: CloverOAuth, merchant_id: str = "MERCHANT1") -> tuple[str, Any]:
    authorization = oauth.authorize(merchant_id)
    url = f"{REDIRECT}?merchant_id={merchant_id}&code=code-1234&state={authorization.state}"
    return url, authorization


def test_the_code_exchange_posts_the_code_and_the_secret_once() -> None:
    clover = ScriptedClover(httpx.Response(200, json=pair()))
    oauth = oauth_over(clover)
    token = oauth.exchange(*callback(oauth))
    (request,) = clover.requests
    assert (request.method, str(request.url)) == ("POST", f"{TOKEN_HOST}/oauth/v2/token")
    assert "authorization" not in request.headers
    assert json.loads(request.content) == {
        "client_id": "APPID1234",
        "code": "code-1234",
        "client_secret": "app-secret-9c1e",
    }
    assert isinstance(token, OAuthToken) and token.access_token == "access-token-0001"
    assert oauth.store.token("MERCHANT1") == token
    assert "code-1234" not in repr(oauth.journal.last.request_json)


def test_a_pkce_exchange_sends_the_verifier_instead_of_a_secret() -> None:
    clover = ScriptedClover(httpx.Response(200, json=pair()))
    oauth = oauth_over(clover, secret=None)
    url, authorization = callback(oauth)
    oauth.exchange(url, authorization)
    body = json.loads(clover.requests[0].content)
    assert body["code_verifier"] == authorization.code_verifier and "client_secret" not in body


def test_a_refresh_posts_the_refresh_token_and_stores_the_new_pair() -> None:
    clover = ScriptedClover(
        httpx.Response(200, json=pair()),
        httpx.Response(200, json=pair("access-token-0002", "refresh-token-0002")),
    )
    oauth = oauth_over(clover)
    oauth.exchange(*callback(oauth))
    fresh = oauth.refresh("MERCHANT1")
    request = clover.requests[-1]
    assert str(request.url) == f"{TOKEN_HOST}/oauth/v2/refresh"
    assert json.loads(request.content) == {
        "client_id": "APPID1234",
        "refresh_token": "refresh-token-0001",
    }
    assert oauth.store.token("MERCHANT1") == fresh and fresh.access_token == "access-token-0002"


def test_a_lost_answer_is_never_retried_and_a_refusal_is_typed() -> None:
    refused = {
        "message": "400 Bad Request",
        "error": {"type": "invalid_request_error", "code": "invalid_grant", "message": "Used."},
    }
    clover = ScriptedClover(httpx.Response(400, json=refused))
    oauth = oauth_over(clover)
    assert oauth._api.retries == NO_RETRIES
    with pytest.raises(InvalidRequestError) as caught:
        oauth.exchange(*callback(oauth))
    assert caught.value.code == "invalid_grant" and len(clover.requests) == 1


def test_a_merchant_client_names_its_merchant_and_carries_its_access_token() -> None:
    clover = ScriptedClover(
        httpx.Response(200, json=pair()),
        httpx.Response(200, json={"apiAccessKey": "pakms-key-77aa", "active": True}),
    )
    oauth = oauth_over(clover)
    oauth.exchange(*callback(oauth))
    client = oauth.client("MERCHANT1", requests_per_second=None)
    key = client.get_pakms_key()
    request = clover.requests[-1]
    assert str(request.url) == "https://scl-sandbox.dev.clover.com/pakms/apikey"
    assert request.headers["authorization"] == "Bearer access-token-0001"
    assert request.headers["x-clover-merchant-id"] == "MERCHANT1"
    assert key.apiAccessKey == "pakms-key-77aa"
    assert oauth.store.api_access_key("MERCHANT1") == "pakms-key-77aa"
