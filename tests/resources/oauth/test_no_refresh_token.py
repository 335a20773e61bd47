"""`POST /oauth/v2/token?no_refresh_token=true` answers an access token alone (docs:
refresh-access-tokens, https://docs.clover.com/docs/refresh-access-tokens)."""

from __future__ import annotations

from tests.resources.oauth.test_http import bearer_of, code_for
from tests.support import assert_error


def _exchange(http, merchant, flag: str):
    body = {
        "client_id": merchant["app_id"],
        "client_secret": merchant["app_secret"],
        "code": code_for(http, merchant),
    }
    return http.post("/oauth/v2/token", params={"no_refresh_token": flag}, json=body)


def test_no_refresh_token_answers_the_access_token_alone(http, merchant):
    response = _exchange(http, merchant, "true")
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"access_token", "access_token_expiration"}
    key = http.get("/pakms/apikey", headers=bearer_of(answer["access_token"]))
    assert key.status_code == 200
    assert "no_refresh_token" not in response.headers.get("x-sandbox-ignored-params", "")


def test_no_refresh_token_false_keeps_the_pair_and_a_bad_value_is_named(http, merchant):
    assert "refresh_token" in _exchange(http, merchant, "false").json()
    assert_error(_exchange(http, merchant, "maybe"), 400, "invalid_request", "no_refresh_token")


def test_a_bad_no_refresh_token_leaves_the_code_usable(http, merchant):
    code = code_for(http, merchant)
    body = {"client_id": merchant["app_id"], "client_secret": merchant["app_secret"], "code": code}
    bad = http.post("/oauth/v2/token", params={"no_refresh_token": "yes"}, json=body)
    assert bad.status_code == 400
    assert http.post("/oauth/v2/token", json=body).status_code == 200


def test_a_refresh_token_lives_a_year_as_in_clovers_samples(http, merchant):
    """refresh-access-tokens' sample: access 1709498373, refresh 1741034373 (365 days on)."""
    body = {
        "client_id": merchant["app_id"],
        "client_secret": merchant["app_secret"],
        "code": code_for(http, merchant),
    }
    pair = http.post("/oauth/v2/token", json=body).json()
    lived = pair["refresh_token_expiration"] - pair["access_token_expiration"]
    lifetimes = http.get("/_sandbox/oauth/lifetimes").json()
    assert lifetimes["refresh_token"] == 365 * 86400
    assert abs(lived - (365 * 86400 - lifetimes["access_token"])) <= 2
