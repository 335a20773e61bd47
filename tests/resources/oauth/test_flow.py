"""The app's OAuth client against the local sandbox: URLs, PKCE, exchange, refresh, store."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from helpers import (
    AuthenticationError,
    CloverOAuth,
    Environment,
    InvalidRequestError,
    OAuthFlowError,
    OAuthToken,
    TokenStore,
    test_card,
)
from helpers.clover.oauth import code_challenge, new_code_verifier
from tests.secret_scan import findings

REDIRECT = "https://shop.example/oauth/callback"


class Clock:
    """A clock the test moves; starts at the real time (the sandbox checks expiry on its own)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_oauth(
    sandbox: Any, sandbox_merchants: list[dict[str, str]], clock: Clock
) -> Iterator[Callable[..., CloverOAuth]]:
    made: list[CloverOAuth] = []

    def build(secret: bool = True, **kwargs: Any) -> CloverOAuth:
        app = sandbox_merchants[0]
        kwargs.setdefault("clock", clock)
        oauth = CloverOAuth(
            Environment.local(sandbox.url),
            app["app_id"],
            app["app_secret"] if secret else None,
            redirect_uri=REDIRECT,
            **kwargs,
        )
        made.append(oauth)
        return oauth

    yield build
    for oauth in made:
        oauth.close()


def install(oauth: CloverOAuth, merchant_id: str) -> OAuthToken:
    authorization = oauth.authorize(merchant_id)
    return oauth.exchange(oauth.approve_locally(authorization), authorization)


def paths(oauth: CloverOAuth) -> list[str]:
    return [urlsplit(entry.url).path for entry in oauth.journal.entries]


# -- PKCE and the authorize URL --------------------------------------------------------


def test_code_challenge_matches_rfc_7636_appendix_b():
    assert (
        code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_new_verifiers_are_long_random_and_url_safe():
    verifiers = {new_code_verifier() for _ in range(50)}
    assert len(verifiers) == 50
    for verifier in verifiers:
        assert 43 <= len(verifier) <= 128
        assert set(verifier) <= set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
        )


def test_a_high_trust_authorize_url_has_a_fresh_state_and_no_pkce(make_oauth):
    oauth = make_oauth()
    first, second = oauth.authorize("PNWDC0FFEE001"), oauth.authorize("PNWDC0FFEE001")
    query = parse_qs(urlsplit(first.url).query)
    assert urlsplit(first.url).path == "/oauth/v2/authorize"
    assert query["client_id"] == [oauth.app_id] and query["redirect_uri"] == [REDIRECT]
    assert query["merchant_id"] == ["PNWDC0FFEE001"] and query["state"] == [first.state]
    assert "code_challenge" not in query and first.code_verifier is None
    assert first.state != second.state and len(first.state) >= 16


def test_a_low_trust_authorize_url_carries_the_challenge_of_a_kept_verifier(make_oauth):
    oauth = make_oauth(secret=False)
    authorization = oauth.authorize()
    query = parse_qs(urlsplit(authorization.url).query)
    assert oauth.low_trust and authorization.code_verifier
    assert query["code_challenge"] == [code_challenge(authorization.code_verifier)]
    assert query["code_challenge_method"] == ["S256"] and query["response_type"] == ["code"]
    assert "merchant_id" not in query
    assert authorization.code_verifier not in repr(authorization)


# -- exchange ------------------------------------------------------------------------------


def test_the_high_trust_flow_stores_a_token_that_works(make_oauth, sandbox_merchants):
    oauth = make_oauth()
    merchant = sandbox_merchants[0]
    token = install(oauth, merchant["merchant_id"])
    assert oauth.store.token(merchant["merchant_id"]).access_token == token.access_token
    assert token.access_token_expiration > time.time()
    assert (
        oauth.client(merchant["merchant_id"]).get_pakms_key().merchantUuid
        == merchant["merchant_id"]
    )
    sent = oauth.journal.entries[1]
    assert sent.request_json["client_secret"].startswith("••••")
    assert sent.request_json["code"].startswith("••••")


def test_the_pkce_flow_sends_the_verifier_and_never_a_secret(make_oauth, sandbox_merchants):
    oauth = make_oauth(secret=False)
    merchant_id = sandbox_merchants[1]["merchant_id"]
    install(oauth, merchant_id)
    body = oauth.journal.entries[1].request_json
    assert set(body) == {"client_id", "code", "code_verifier"}
    assert oauth.client(merchant_id).get_pakms_key().merchantUuid == merchant_id


@pytest.mark.parametrize(
    "tamper",
    [
        lambda q: {**q, "state": ["forged"]},
        lambda q: {**q, "merchant_id": ["HRBRB00KS0002"]},
        lambda q: {k: v for k, v in q.items() if k != "code"},
        lambda q: {k: v for k, v in q.items() if k != "state"},
        lambda q: {"error": ["access_denied"], "state": q["state"]},
    ],
    ids=["state", "merchant", "no-code", "no-state", "denied"],
)
def test_a_callback_that_is_not_the_answer_to_this_request_sends_nothing(make_oauth, tamper):
    oauth = make_oauth()
    authorization = oauth.authorize("PNWDC0FFEE001")
    callback = urlsplit(oauth.approve_locally(authorization))
    query = tamper(parse_qs(callback.query))
    forged = callback._replace(query="&".join(f"{k}={v[0]}" for k, v in query.items())).geturl()
    sent = len(oauth.journal)
    with pytest.raises(OAuthFlowError):
        oauth.exchange(forged, authorization)
    assert len(oauth.journal) == sent
    assert oauth.store.merchants() == []


def test_clovers_refusals_arrive_as_typed_errors(make_oauth, sandbox_merchants):
    oauth = make_oauth()
    authorization = oauth.authorize("PNWDC0FFEE001")
    callback = oauth.approve_locally(authorization)
    oauth.exchange(callback, authorization)
    with pytest.raises(InvalidRequestError) as reused:
        oauth.exchange(callback, authorization)
    assert reused.value.code == "invalid_grant"
    wrong = CloverOAuth(oauth.environment, oauth.app_id, "not-the-secret", redirect_uri=REDIRECT)
    authorization = wrong.authorize("PNWDC0FFEE001")
    with pytest.raises(AuthenticationError) as refused:
        wrong.exchange(wrong.approve_locally(authorization), authorization)
    assert refused.value.code == "invalid_client" and refused.value.status == 401
    wrong.close()


def test_a_tampered_merchant_is_caught_at_the_first_call(make_oauth, sandbox_merchants):
    """The merchant chose on the consent page (no merchant_id asked), and the callback's
    merchant_id was changed: the token lands under the wrong merchant, and the sandbox
    refuses it there because the client names its merchant."""
    oauth = make_oauth()
    pinewood, harbor = (m["merchant_id"] for m in sandbox_merchants)
    authorization = oauth.authorize(None)
    assert authorization.merchant_id is None
    chosen = replace(authorization, url=f"{authorization.url}&merchant_id={pinewood}")
    callback = oauth.approve_locally(chosen)  # as if Pinewood was picked on the page
    oauth.exchange(callback.replace(pinewood, harbor), authorization)
    with pytest.raises(AuthenticationError) as caught:
        oauth.client(harbor).get_pakms_key()
    assert caught.value.code == "merchant_mismatch"


# -- refresh -------------------------------------------------------------------------------


def test_a_token_close_to_expiry_is_refreshed_before_the_request(
    make_oauth, clock, sandbox_merchants
):
    oauth = make_oauth()
    merchant_id = sandbox_merchants[0]["merchant_id"]
    first = install(oauth, merchant_id)
    client = oauth.client(merchant_id)
    client.get_pakms_key()
    assert "/oauth/v2/refresh" not in paths(oauth)
    clock.now = first.access_token_expiration - 30  # inside the 60 s margin
    client.list_charges(limit=1)
    assert paths(oauth)[-2:] == ["/oauth/v2/refresh", "/v1/charges"]
    second = oauth.store.token(merchant_id)
    assert second.access_token != first.access_token
    assert second.refresh_token != first.refresh_token
    client.list_charges(limit=1)
    assert paths(oauth).count("/oauth/v2/refresh") == 1, "the new token is not due yet"


def test_short_tokens_refresh_in_the_last_tenth_of_their_life():
    token = OAuthToken(
        "M",
        "a",
        access_token_expiration=1010,
        refresh_token="r",
        refresh_token_expiration=5000,
        obtained_at=1000,
    )
    assert not token.refresh_due(1008.9, margin_s=60)
    assert token.refresh_due(1009.1, margin_s=60)
    assert token.refresh_due(2000, margin_s=60)


def test_a_spent_refresh_token_is_never_sent_again(make_oauth, sandbox_merchants):
    oauth = make_oauth()
    merchant_id = sandbox_merchants[0]["merchant_id"]
    old = install(oauth, merchant_id)
    oauth.refresh(merchant_id)
    oauth.store.save_token(old)  # a stale copy comes back (another process, a backup...)
    sent = len(oauth.journal)
    with pytest.raises(OAuthFlowError, match="already used"):
        oauth.refresh(merchant_id)
    assert len(oauth.journal) == sent


def test_an_expired_refresh_token_asks_for_a_new_approval(make_oauth, clock, sandbox_merchants):
    oauth = make_oauth()
    merchant_id = sandbox_merchants[0]["merchant_id"]
    token = install(oauth, merchant_id)
    clock.now = token.refresh_token_expiration + 1
    with pytest.raises(OAuthFlowError, match="approve the app again"):
        oauth.access_token(merchant_id)


def test_the_sandbox_refuses_a_reused_refresh_token(make_oauth, sandbox_merchants):
    oauth = make_oauth()
    merchant_id = sandbox_merchants[0]["merchant_id"]
    old = install(oauth, merchant_id)
    oauth.refresh(merchant_id)
    other_process = make_oauth(store=TokenStore())
    other_process.store.save_token(old)
    with pytest.raises(InvalidRequestError) as caught:
        other_process.refresh(merchant_id)
    assert caught.value.code == "invalid_grant" and caught.value.param == "refresh_token"


def test_threads_that_find_the_token_due_refresh_it_once(make_oauth, clock, sandbox_merchants):
    oauth = make_oauth()
    merchant_id = sandbox_merchants[0]["merchant_id"]
    clock.now = install(oauth, merchant_id).access_token_expiration - 1
    tokens: list[str] = []
    threads = [
        threading.Thread(target=lambda: tokens.append(oauth.access_token(merchant_id)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert paths(oauth).count("/oauth/v2/refresh") == 1
    assert len(set(tokens)) == 1


def test_an_unknown_merchant_has_no_token(make_oauth):
    with pytest.raises(OAuthFlowError, match="has not approved"):
        make_oauth().client("NOSUCHMERCHNT")


# -- PAKMS, once per merchant --------------------------------------------------------------


def test_the_pakms_key_is_fetched_once_per_merchant_however_many_payments(
    make_oauth, sandbox_merchants
):
    store = TokenStore()
    oauth = make_oauth(store=store)
    for merchant in sandbox_merchants:
        install(oauth, merchant["merchant_id"])
    for _ in range(3):
        for merchant in sandbox_merchants:
            client = oauth.client(merchant["merchant_id"])
            token = client.create_token(test_card("approve").card())
            client.create_charge(500, token)
    restarted = make_oauth(store=store)  # the app restarts; its store remembers the keys
    for merchant in sandbox_merchants:
        client = restarted.client(merchant["merchant_id"])
        client.create_charge(700, client.create_token(test_card("approve").card()))
    calls = paths(oauth) + paths(restarted)
    assert calls.count("/pakms/apikey") == len(sandbox_merchants)
    assert calls.count("/v1/charges") == 4 * len(sandbox_merchants)
    for merchant in sandbox_merchants:
        assert store.api_access_key(merchant["merchant_id"]) == merchant["api_access_key"]


# -- the token store -----------------------------------------------------------------------


def test_a_file_store_survives_a_restart_and_is_private(tmp_path: Path):
    path = tmp_path / "tokens.json"
    store = TokenStore(path)
    token = OAuthToken(
        "PNWDC0FFEE001",
        "access-abcdefgh",
        2_000_000_000,
        "refresh-ijklmnop",
        2_100_000_000,
        obtained_at=1_900_000_000.5,
    )
    store.save_token(token)
    store.save_api_access_key("PNWDC0FFEE001", "publickey1234")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = TokenStore(path)
    assert again.token("PNWDC0FFEE001").__dict__ == token.__dict__
    assert again.api_access_key("PNWDC0FFEE001") == "publickey1234"
    again.forget("PNWDC0FFEE001")
    assert json.loads(path.read_text()) == {} and TokenStore(path).merchants() == []


def test_a_file_store_is_refused_where_git_would_commit_it(tmp_path: Path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    with pytest.raises(ValueError, match="never be committed"):
        TokenStore(tmp_path / "tokens.json")
    (tmp_path / ".gitignore").write_text("*.tokens.json\n")
    TokenStore(tmp_path / "shop.tokens.json").save_api_access_key("M", "k")


def test_printed_forms_hold_no_secret(make_oauth, sandbox_merchants):
    oauth = make_oauth()
    merchant_id = sandbox_merchants[0]["merchant_id"]
    token = install(oauth, merchant_id)
    shown = "\n".join(
        [
            repr(oauth),
            repr(token),
            str(token),
            repr(oauth.client(merchant_id)),
            oauth.client(merchant_id).describe(),
            repr(oauth.store),
            oauth.journal.to_frame(bodies=True).to_string(),
            *(entry.curl() for entry in oauth.journal.entries),
        ]
    )
    secrets = [token.access_token, token.refresh_token, sandbox_merchants[0]["app_secret"]]
    assert findings(shown, secrets) == []


def test_the_journal_masks_oauth_codes_but_not_error_codes():
    from helpers import Journal

    journal = Journal()
    entry = journal.record(
        method="POST",
        url="https://x.example/cb?merchant_id=M&code=abcdef123456&state=s",
        request_headers={},
        request_json={"client_id": "A", "code": "abcdef123456"},
        status=400,
        response_json={"error": {"code": "invalid_grant"}},
        response_headers={"Location": "https://shop.example/cb?code=abcdef123456"},
    )
    shown = entry.url + str(entry.request_json) + str(entry.response_headers)
    assert "abcdef123456" not in shown and "••••3456" in shown
    assert entry.response_json["error"]["code"] == "invalid_grant"


def test_the_local_controls_shorten_and_read_oauth_lifetimes(live):
    from helpers.notebook.local_controls import LocalSandbox

    sandbox = LocalSandbox(live)
    defaults = sandbox.oauth_lifetimes()
    assert sandbox.oauth_lifetimes(access_token=3) == {**defaults, "access_token": 3}
    with pytest.raises(ValueError, match="access_token"):
        sandbox.oauth_lifetimes(access_token=-1)


def test_oauth_app_reads_the_local_sandbox_clock_so_a_move_brings_a_refresh_not_a_401(
    live, sandbox_merchants
):
    from helpers import LocalSandbox, oauth_app
    from helpers.clover.local_sandbox import LocalClock

    oauth = oauth_app(live.environment, redirect_uri=REDIRECT)
    assert isinstance(oauth.clock, LocalClock)
    merchant_id = sandbox_merchants[0]["merchant_id"]
    first = install(oauth, merchant_id)
    client = oauth.client(merchant_id)
    client.list_charges(limit=1)
    assert "/oauth/v2/refresh" not in paths(oauth)
    sandbox = LocalSandbox(live)
    sandbox.move_clock(advance="PT31M")
    assert first.expires_in(oauth.clock()) < 0 < first.expires_in()
    client.list_charges(limit=1)
    assert paths(oauth)[-2:] == ["/oauth/v2/refresh", "/v1/charges"]
    assert all(entry.status != 401 for entry in oauth.journal.entries)
    sandbox.reset()
    assert abs(oauth.clock() - time.time()) < 5, "a reset puts the moves back"
    oauth.close()


def _count_requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every HTTP request any httpx client of this process sends, by path."""
    import httpx

    sent: list[str] = []
    send = httpx.HTTPTransport.handle_request

    def counted(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return send(transport, request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", counted)
    return sent


def test_a_client_call_is_one_http_request_the_clock_rides_on_its_answer(
    live, sandbox_merchants, monkeypatch
):
    """Issue 27: the local clock came from a GET /_sandbox/clock before every Bearer
    request; it now rides on the answer's header, so a call is one request."""
    from helpers import oauth_app

    oauth = oauth_app(live.environment, redirect_uri=REDIRECT)
    merchant_id = sandbox_merchants[0]["merchant_id"]
    install(oauth, merchant_id)
    client = oauth.client(merchant_id)
    client.get_pakms_key()  # warm: the PAKMS key and connections are not the point
    sent = _count_requests(monkeypatch)
    client.list_charges(limit=1)
    token = client.create_token(test_card("approve").card())
    client.create_charge(1999, token.id)
    assert sent == ["/v1/charges", "/v1/tokens", "/v1/charges"]
    oauth.close()


def test_a_clock_moved_by_another_process_brings_one_401_then_a_refresh_and_a_resend(
    live, sandbox, sandbox_merchants
):
    """This process hears of a move made elsewhere only from the next answer: the stale
    token's 401 carries the new clock, and the client refreshes and sends once more."""
    import httpx

    from helpers import oauth_app

    oauth = oauth_app(live.environment, redirect_uri=REDIRECT)
    merchant_id = sandbox_merchants[0]["merchant_id"]
    install(oauth, merchant_id)
    client = oauth.client(merchant_id)
    client.list_charges(limit=1)
    # another process: its answer does not reach this process's clock
    with httpx.Client(base_url=sandbox.url) as elsewhere:
        elsewhere.post("/_sandbox/clock", json={"advance": "PT31M"}).raise_for_status()
    before = len(oauth.journal.entries)
    assert client.list_charges(limit=1).data is not None
    tail = [
        (paths(oauth)[i], oauth.journal.entries[i].status) for i in range(before, len(paths(oauth)))
    ]
    assert tail == [("/v1/charges", 401), ("/oauth/v2/refresh", 200), ("/v1/charges", 200)]
    oauth.close()


def test_a_401_the_clock_does_not_explain_is_raised_not_resent(live, sandbox_merchants):
    from helpers import oauth_app

    oauth = oauth_app(live.environment, redirect_uri=REDIRECT)
    merchant_id = sandbox_merchants[0]["merchant_id"]
    install(oauth, merchant_id)
    client = oauth.client(merchant_id)
    token = oauth.store.token(merchant_id)
    assert token is not None
    oauth.store.save_token(replace(token, access_token="not-a-token-of-this-sandbox-00"))
    before = len(oauth.journal.entries)
    with pytest.raises(AuthenticationError):
        client.list_charges(limit=1)
    assert paths(oauth)[before:] == ["/v1/charges"]
    oauth.close()


def test_a_local_clock_without_a_sandbox_is_the_real_clock():
    from helpers.clover.local_sandbox import LocalClock

    assert abs(LocalClock("http://127.0.0.1:9")() - time.time()) < 5
