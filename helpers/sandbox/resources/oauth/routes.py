"""OAuth v2: how a merchant's install of an app turns into expiring access tokens.

    GET  /oauth/v2/authorize   a consent page for a browser; for a client that does not ask
                               for HTML, a 302 straight to `redirect_uri` with the code
    POST /oauth/v2/authorize   the consent page's Allow / Deny form
    POST /oauth/v2/token       code (+ client_secret, or code_verifier for PKCE) -> token pair
    POST /oauth/v2/refresh     refresh token (single use) -> a new token pair

(docs: oauth-intro, high-trust-app-auth-flow, oauth-flow-for-low-trust-apps-pkce,
refresh-access-tokens). Codes are single use and short-lived; lifetimes are in
`state.settings.oauth_lifetimes`, which the control API can shorten. The error codes
`invalid_client` and `invalid_grant` are OAuth's names (RFC 6749); Clover's own wording
may differ.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import Response

from helpers.sandbox.core.errors import (
    consent_not_from_page,
    invalid_client,
    invalid_grant,
    invalid_request,
    merchant_not_installed,
    missing,
    not_a_flag,
    redirect_uri_not_registered,
)
from helpers.sandbox.core.fields import reject_unknown, string, web_url
from helpers.sandbox.core.http import MAX_BODY_BYTES, Call, json_response, parse_form
from helpers.sandbox.core.merchants import Merchant
from helpers.sandbox.core.state import Sandbox
from helpers.sandbox.pages.render import render
from helpers.sandbox.resources.oauth import model as grants

CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")
VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")
MAX_URI = 2000
MAX_STATE = 500
# The consent page can be framed by no one (clickjacking) and posts only to itself, and
# from there to the app's redirect_uri (a form's redirect is held to form-action too).
CONSENT_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
}
CSRF_LIFETIME_S = 3600  # a local choice: time enough to read the page and decide
_CSRF_KEY = secrets.token_bytes(32)  # per process: a restart voids open consent pages


def _installs(state: Sandbox, client_id: str) -> list[Merchant]:
    """The merchants that installed the app `client_id` (every demo merchant has the demo app)."""
    return [m for m in state.merchants.values() if m.app_id == client_id]


def _app(state: Sandbox, body: Mapping[str, Any]) -> tuple[str, str]:
    client_id = string(body, "client_id", required=True, max_length=64)
    assert client_id is not None
    installs = _installs(state, client_id)
    if not installs:
        raise invalid_client(
            f"client_id {client_id!r} is not an app this sandbox knows: use "
            "the App ID from the app's settings (the local sandbox's is in "
            "/_sandbox/merchants)."
        )
    return client_id, installs[0].app_secret


# -- authorize -------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorizeRequest:
    client_id: str
    redirect_uri: str
    merchant_id: str | None
    state: str | None
    code_challenge: str | None


def _redirect_uri(value: str | None) -> str:
    if value is None:
        raise missing("redirect_uri", "Send the URL Clover sends the merchant back to.")
    if not value.isascii() or not value.isprintable() or " " in value:
        raise invalid_request(
            "redirect_uri must be a URL of printable ASCII: percent-encode other "
            f"characters and spaces (RFC 3986); got {value[:80]!r}.",
            param="redirect_uri",
        )
    parts = web_url(value, "redirect_uri")
    if parts.fragment:
        raise invalid_request(
            "redirect_uri must be an absolute http(s) URL without a "
            f"#fragment; got {value[:80]!r}.",
            param="redirect_uri",
        )
    return value


def _authorize_request(state: Sandbox, params: Mapping[str, str]) -> AuthorizeRequest:
    """Checks the authorize parameters; a failure answers here and never redirects."""
    client_id, _ = _app(state, params)
    redirect_uri = _redirect_uri(string(params, "redirect_uri", max_length=MAX_URI))
    site_urls = state.settings.site_urls.get(client_id, [])
    if not any(grants.under_site_url(redirect_uri, site) for site in site_urls):
        raise redirect_uri_not_registered(redirect_uri, client_id, site_urls)
    string(params, "response_type", choices=("code",))
    merchant_id = string(params, "merchant_id", max_length=13)
    if merchant_id is not None and merchant_id not in {
        m.merchant_id for m in _installs(state, client_id)
    }:
        raise merchant_not_installed(merchant_id)
    challenge = string(
        params,
        "code_challenge",
        pattern=CHALLENGE,
        pattern_hint="must be the base64url SHA-256 of the code_verifier, "
        "43 characters without '=' padding",
    )
    method = string(params, "code_challenge_method", choices=("S256",))
    if method and not challenge:
        raise missing("code_challenge", "code_challenge_method came without it.")
    return AuthorizeRequest(
        client_id,
        redirect_uri,
        merchant_id,
        string(params, "state", max_length=MAX_STATE),
        challenge,
    )


def _back_to_app(redirect_uri: str, values: dict[str, str | None]) -> Response:
    parts = urlsplit(redirect_uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(k, v) for k, v in values.items() if v is not None]
    location = urlunsplit(parts._replace(query=urlencode(query)))
    return json_response(302, {"redirect": location}, {"location": location})


def _approve(state: Sandbox, ask: AuthorizeRequest, merchant_id: str) -> Response:
    code = grants.issue_code(
        state.store,
        merchant_id,
        ask.client_id,
        ask.redirect_uri,
        ask.code_challenge,
        state.settings.oauth_lifetimes,
        state.store.expiry_now_s(),
    )
    state.store.commit()
    return _back_to_app(
        ask.redirect_uri,
        {"merchant_id": merchant_id, "client_id": ask.client_id, "code": code, "state": ask.state},
    )


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "").lower()


def authorize(call: Call) -> Response:
    state, request = call.state, call.request
    ask = _authorize_request(state, request.query_params)
    if _wants_html(request):
        return _consent_page(state, ask)
    if ask.merchant_id is None:
        raise missing(
            "merchant_id",
            "Without a browser there is no consent page to "
            "choose a merchant on: name it, as Clover's App Market launch does.",
        )
    return _approve(state, ask, ask.merchant_id)


async def consent(call: Call) -> Response:
    """The consent page's form: Allow issues a code, Deny answers `error=access_denied`."""
    state, request = call.state, call.request
    content_type = request.headers.get("content-type", "")
    if "application/x-www-form-urlencoded" not in content_type.lower():
        raise invalid_request(
            "This is the consent page's form: send it with "
            "Content-Type application/x-www-form-urlencoded, as a "
            "browser does.",
            param="content-type",
        )
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise invalid_request("The form is too large.")
    form = parse_form(raw)
    ask = _authorize_request(state, form)
    if not _csrf_valid(form.get("csrf_token", ""), ask, state.store.expiry_now_s()):
        raise consent_not_from_page()
    decision = string(form, "decision", required=True, choices=("allow", "deny"))
    if decision == "deny":
        return _back_to_app(ask.redirect_uri, {"error": "access_denied", "state": ask.state})
    merchant_id = string(form, "merchant_id", required=True)
    assert merchant_id is not None
    return _approve(state, ask, merchant_id)


def _csrf_mac(issued: int, ask: AuthorizeRequest) -> str:
    fields = (str(issued), ask.client_id, ask.redirect_uri, ask.state, ask.code_challenge)
    message = "\n".join(f or "" for f in fields).encode()
    return hmac.new(_CSRF_KEY, message, hashlib.sha256).hexdigest()


def csrf_token(ask: AuthorizeRequest, now: float) -> str:
    """The consent form's token: proof the form came from this page, for this very
    request (app, redirect_uri, state, challenge), within the hour. A page on another
    site cannot read it (same-origin policy; the local guard refuses rebinding)."""
    issued = int(now)
    return f"{issued}.{_csrf_mac(issued, ask)}"


def _csrf_valid(token: str, ask: AuthorizeRequest, now: float) -> bool:
    issued, _, mac = token.partition(".")
    if not (issued.isascii() and issued.isdigit() and len(issued) <= 12):
        return False
    fresh = 0 <= now - int(issued) <= CSRF_LIFETIME_S
    return fresh and hmac.compare_digest(mac.encode(), _csrf_mac(int(issued), ask).encode())


def _consent_page(state: Sandbox, ask: AuthorizeRequest) -> Response:
    installs = _installs(state, ask.client_id)
    hidden = [
        (name, value)
        for name, value in (
            ("client_id", ask.client_id),
            ("redirect_uri", ask.redirect_uri),
            ("state", ask.state),
            ("code_challenge", ask.code_challenge),
            ("csrf_token", csrf_token(ask, state.store.expiry_now_s())),
        )
        if value is not None
    ]
    return render(
        "oauth_consent.html",
        headers=CONSENT_HEADERS,
        client_id=ask.client_id,
        back=urlsplit(ask.redirect_uri).netloc,
        hidden=hidden,
        choices=[m for m in installs if ask.merchant_id in (None, m.merchant_id)],
    )


# -- token and refresh -----------------------------------------------------------------


def _verify_pkce(challenge: str, body: Mapping[str, Any]) -> None:
    verifier = string(
        body,
        "code_verifier",
        pattern=VERIFIER,
        pattern_hint="must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~",
    )
    if verifier is None:
        raise missing(
            "code_verifier",
            "The code was asked for with a code_challenge (PKCE): "
            "send the code_verifier it was made from.",
        )
    digest = hashlib.sha256(verifier.encode()).digest()
    if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != challenge:
        raise invalid_grant(
            "code_verifier does not match the code_challenge sent to "
            "/oauth/v2/authorize: send the verifier saved with that request.",
            "code_verifier",
        )


def exchange_request(body: Mapping[str, Any]) -> tuple[str, str | None]:
    """The code and client_secret of a code exchange (the client_id is `_app`'s to check;
    code_verifier is `_verify_pkce`'s) (docs: use-oauth-2-0)."""
    reject_unknown(body, ("client_id", "client_secret", "code", "code_verifier"))
    string(body, "client_id", required=True, max_length=64)
    code = string(body, "code", required=True, max_length=200)
    assert code is not None
    return code, string(body, "client_secret", max_length=200)


def exchange_code(call: Call) -> dict[str, Any]:
    """`POST /oauth/v2/token`: a code, once, for a token pair."""
    state, body = call.state, call.body
    code, secret = exchange_request(body)
    with_refresh = _wants_refresh_token(call)  # checked before the code is spent
    client_id, app_secret = _app(state, body)
    if secret is not None and not hmac.compare_digest(secret.encode(), app_secret.encode()):
        raise invalid_client(
            "client_secret is not this app's secret: copy the App Secret from the app's settings.",
            "client_secret",
        )
    grant = grants.find(state.store, grants.CODE, code)
    if grant is None or grant["_client_id"] != client_id:
        raise invalid_grant(
            "This code is unknown (or was issued to another app): send the "
            "code from the redirect, as it came.",
            "code",
        )
    if grant["_used"]:
        raise invalid_grant(
            "This code was already exchanged: codes work once. Send the "
            "merchant through /oauth/v2/authorize again.",
            "code",
        )
    if state.store.expiry_now_s() >= grant["_expires"]:
        raise invalid_grant(
            "This code has expired: exchange codes as soon as the redirect "
            "arrives. Send the merchant through /oauth/v2/authorize again.",
            "code",
        )
    if grant["_challenge"] is not None:
        _verify_pkce(grant["_challenge"], body)
    elif secret is None:
        if body.get("code_verifier") is not None:
            raise invalid_request(
                "This code was asked for without a code_challenge, so there "
                "is nothing to verify: send client_secret instead of "
                "code_verifier.",
                param="code_verifier",
            )
        raise missing(
            "client_secret",
            "A high-trust app proves itself with its App Secret; "
            "a low-trust app uses PKCE (code_challenge, then code_verifier).",
        )
    state.store.put(grants.CODE, {**grant, "_used": True})
    return grants.issue_pair(
        state.store,
        grant["_merchant"],
        client_id,
        state.settings.oauth_lifetimes,
        state.store.expiry_now_s(),
        with_refresh=with_refresh,
    )


def _wants_refresh_token(call: Call) -> bool:
    """False with `?no_refresh_token=true` (docs: refresh-access-tokens)."""
    flag = call.query.get("no_refresh_token", "false").strip().lower()
    if flag not in ("true", "false"):
        raise not_a_flag("no_refresh_token", flag)
    return flag == "false"


def refresh_request(body: Mapping[str, Any]) -> str:
    """The refresh_token of a refresh (the client_id is `_app`'s to check)."""
    reject_unknown(body, ("client_id", "refresh_token"))
    string(body, "client_id", required=True, max_length=64)
    token = string(body, "refresh_token", required=True, max_length=500)
    assert token is not None
    return token


def refresh(call: Call) -> dict[str, Any]:
    """`POST /oauth/v2/refresh`: a refresh token, once, for a new pair."""
    state, body = call.state, call.body
    token = refresh_request(body)
    client_id, _ = _app(state, body)
    grant = grants.find(state.store, grants.REFRESH, token)
    if grant is None or grant["_client_id"] != client_id:
        raise invalid_grant(
            "This refresh_token is unknown (or belongs to another app).", "refresh_token"
        )
    if grant["_used"]:
        raise invalid_grant(
            "This refresh_token was already used: each one works once. Use "
            "the refresh_token of the latest answer.",
            "refresh_token",
        )
    if state.store.expiry_now_s() >= grant["_expires"]:
        raise invalid_grant(
            "This refresh_token has expired: send the merchant through /oauth/v2/authorize again.",
            "refresh_token",
        )
    state.store.put(grants.REFRESH, {**grant, "_used": True})
    return grants.issue_pair(
        state.store,
        grant["_merchant"],
        client_id,
        state.settings.oauth_lifetimes,
        state.store.expiry_now_s(),
    )
