"""The app's side of Clover's v2 OAuth: how a merchant's install becomes an access token.

An app that serves many merchants (the API-only flow) does not hold an Ecommerce private
key per merchant: each merchant approves the app once, and the app then keeps an expiring
*access token* and a single-use *refresh token* for that merchant.

    oauth = CloverOAuth(environment, app_id, app_secret, redirect_uri=...)
    authorization = oauth.authorize(merchant_id=...)   # send the merchant's browser here
    token = oauth.exchange(callback_url, authorization) # where Clover sent the browser back
    client = oauth.client(merchant_id)                  # a CloverClient that keeps it fresh

Without an ``app_secret`` the app is *low-trust* (a phone or single-page app that cannot
keep a secret) and uses PKCE: a random ``code_verifier`` stays with the app and only its
SHA-256, the ``code_challenge``, travels in the authorize URL. Every printed form of the
objects here masks tokens, secrets and verifiers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from .base import Plan
from .cards import mask_last4
from .client import CloverClient
from .environments import Environment
from .errors import AuthenticationError, error_from_response
from .journal import Journal
from .local_sandbox import LocalSandbox, local_clock
from .resources.pakms import PakmsKey
from .retries import NO_RETRIES
from .settings import MissingSettingError, load_dotenv, local_merchants
from .spec import Spec

__all__ = [
    "Authorization",
    "CloverOAuth",
    "MerchantClient",
    "OAuthFlowError",
    "OAuthToken",
    "TokenStore",
    "code_challenge",
    "new_code_verifier",
    "oauth_app",
]


T = TypeVar("T")


class OAuthFlowError(RuntimeError):
    """Something the app itself must refuse: a forged callback, a spent or expired token."""


# -- PKCE --------------------------------------------------------------------------------


def new_code_verifier() -> str:
    """A fresh PKCE ``code_verifier``: 64 random URL-safe characters (RFC 7636 asks 43-128)."""
    return secrets.token_urlsafe(48)


def code_challenge(verifier: str) -> str:
    """The ``code_challenge`` of a verifier: base64url of its SHA-256, without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


# -- what the app keeps ------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Authorization:
    """One trip to Clover's authorize page: the URL, and what the app keeps to check the return.

    ``state`` must come back unchanged (it ties the callback to this request);
    ``code_verifier`` is the PKCE secret of a low-trust app, None for a high-trust one.
    """

    url: str
    state: str
    redirect_uri: str
    merchant_id: str | None = None
    code_verifier: str | None = None

    def __repr__(self) -> str:
        verifier = mask_last4(self.code_verifier) if self.code_verifier else None
        return (
            f"Authorization(merchant_id={self.merchant_id!r}, state={self.state!r}, "
            f"pkce={self.code_verifier is not None}, code_verifier={verifier!r})"
        )


@dataclass(repr=False)
class OAuthToken:
    """One merchant's access/refresh token pair; expirations are Unix seconds, as Clover sends.

    Clover asks apps not to assume a lifetime or a length: read the expirations it sends.
    """

    merchant_id: str
    access_token: str
    access_token_expiration: int
    refresh_token: str
    refresh_token_expiration: int
    obtained_at: float = field(default_factory=time.time)

    @classmethod
    def from_answer(cls, merchant_id: str, answer: dict[str, Any], now: float) -> OAuthToken:
        return cls(
            merchant_id,
            str(answer["access_token"]),
            int(answer["access_token_expiration"]),
            str(answer["refresh_token"]),
            int(answer["refresh_token_expiration"]),
            now,
        )

    def expires_in(self, now: float | None = None) -> float:
        """Seconds the access token has left (negative once expired)."""
        return self.access_token_expiration - (time.time() if now is None else now)

    def refresh_due(self, now: float, margin_s: float) -> bool:
        """True once the access token is within ``margin_s`` of expiry, or within a tenth of
        its life for short-lived tokens, so a request never leaves with a dying token."""
        lifetime = max(self.access_token_expiration - self.obtained_at, 0.0)
        return self.expires_in(now) <= min(margin_s, lifetime / 10)

    def __repr__(self) -> str:
        return (
            f"OAuthToken(merchant_id={self.merchant_id!r}, "
            f"access_token={mask_last4(self.access_token)!r}, "
            f"access_token_expiration={self.access_token_expiration}, "
            f"refresh_token={mask_last4(self.refresh_token)!r}, "
            f"refresh_token_expiration={self.refresh_token_expiration})"
        )

    __str__ = __repr__


class TokenStore:
    """What the app keeps per merchant: the token pair and the PAKMS ``apiAccessKey``.

    In memory by default. With ``path`` it is a JSON file (mode 0600) that survives a
    restart; the file holds live tokens, so it is refused inside a git work tree unless git
    ignores it: keep it outside the project, or name it in ``.gitignore``.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path).expanduser().resolve() if path is not None else None
        self._lock = threading.Lock()
        self._data: dict[str, dict[str, Any]] = {}
        if self.path is not None:
            _refuse_committable(self.path)
            if self.path.exists():
                self._data = json.loads(self.path.read_text())

    def token(self, merchant_id: str) -> OAuthToken | None:
        with self._lock:
            saved = self._data.get(merchant_id, {}).get("token")
        return OAuthToken(**saved) if saved else None

    def save_token(self, token: OAuthToken) -> None:
        self._update(token.merchant_id, "token", asdict(token))

    def api_access_key(self, merchant_id: str) -> str | None:
        with self._lock:
            key: str | None = self._data.get(merchant_id, {}).get("api_access_key")
        return key

    def save_api_access_key(self, merchant_id: str, key: str) -> None:
        self._update(merchant_id, "api_access_key", key)

    def merchants(self) -> list[str]:
        with self._lock:
            return sorted(self._data)

    def forget(self, merchant_id: str) -> None:
        """Drop a merchant (for instance when it uninstalls the app)."""
        with self._lock:
            self._data.pop(merchant_id, None)
            self._write()

    def _update(self, merchant_id: str, name: str, value: Any) -> None:
        with self._lock:
            self._data.setdefault(merchant_id, {})[name] = value
            self._write()

    def _write(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump(self._data, handle, indent=1)
        os.replace(partial, self.path)

    def __repr__(self) -> str:
        where = str(self.path) if self.path else "memory"
        return f"TokenStore({where}, merchants={self.merchants()})"


def _refuse_committable(path: Path) -> None:
    """Raise if ``path`` sits in a git work tree and git would not ignore it."""
    folder = next((p for p in path.parents if (p / ".git").exists()), None)
    if folder is None:
        return
    try:
        ignored = (
            subprocess.run(
                ["git", "check-ignore", "-q", str(path)], cwd=folder, capture_output=True
            ).returncode
            == 0
        )
    except OSError:  # no git program: cannot tell, so refuse
        ignored = False
    if not ignored:
        raise ValueError(
            f"{path} is inside the git work tree {folder} and is not ignored: "
            "a token file must never be committed. Put it outside the project "
            "(for example ~/.clover-tokens.json) or add it to .gitignore."
        )


# -- the OAuth client --------------------------------------------------------------------


class CloverOAuth:
    """One app's OAuth with Clover: authorize URLs, code exchange, refresh, and clients.

    Refresh happens before a request leaves with an access token close to expiry
    (``refresh_margin_s``), once per merchant at a time, and a spent refresh token is never
    sent again: Clover would refuse it, and the app would have to ask the merchant again.
    """

    def __init__(
        self,
        environment: Environment,
        app_id: str,
        app_secret: str | None = None,
        *,
        redirect_uri: str,
        store: TokenStore | None = None,
        journal: Journal | None = None,
        refresh_margin_s: float = 60.0,
        clock: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.environment = environment
        self.app_id = app_id
        self._app_secret = app_secret
        self.redirect_uri = redirect_uri
        self.store = store if store is not None else TokenStore()
        self.journal = journal if journal is not None else Journal()
        self.refresh_margin_s = refresh_margin_s
        self.clock = clock
        self._transport = transport
        # No automatic retry: a code or a refresh token works once, so a resent request
        # after a lost answer would only be refused.
        self._api = CloverClient(
            environment,
            "",
            journal=self.journal,
            transport=transport,
            retries=NO_RETRIES,
            requests_per_second=None,
        )
        self._spent: set[str] = set()
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self._clients: dict[str, MerchantClient] = {}

    @property
    def low_trust(self) -> bool:
        """True without an app secret: the app proves itself with PKCE instead."""
        return self._app_secret is None

    def __repr__(self) -> str:
        secret = mask_last4(self._app_secret) if self._app_secret else None
        return (
            f"CloverOAuth(environment={self.environment.name!r}, app_id={self.app_id!r}, "
            f"app_secret={secret!r}, pkce={self.low_trust}, store={self.store!r})"
        )

    # -- the authorize step --------------------------------------------------------------

    def authorize(
        self, merchant_id: str | None = None, *, state: str | None = None
    ) -> Authorization:
        """The URL to send the merchant's browser to, with a fresh ``state`` (and PKCE)."""
        state = state or secrets.token_urlsafe(16)
        params = {
            "client_id": self.app_id,
            "redirect_uri": self.redirect_uri,
            "merchant_id": merchant_id,
            "state": state,
        }
        verifier = None
        if self.low_trust:
            verifier = new_code_verifier()
            params.update(
                response_type="code",
                code_challenge=code_challenge(verifier),
                code_challenge_method="S256",
            )
        query = urlencode({k: v for k, v in params.items() if v is not None})
        url = f"{self.environment.oauth_authorize_url}/oauth/v2/authorize?{query}"
        return Authorization(url, state, self.redirect_uri, merchant_id, verifier)

    def approve_locally(self, authorization: Authorization) -> str:
        """Local sandbox only: open the authorize URL as a script (no browser, no consent
        page) and return the callback URL Clover redirects to. On Clover, the merchant signs
        in and approves in a browser, and your server receives this URL."""
        if not self.environment.is_local:
            raise OAuthFlowError(
                "approve_locally works with the local sandbox only: on "
                "Clover, open authorization.url in a browser."
            )
        started = time.perf_counter()
        response = LocalSandbox(self.environment, transport=self._transport).approve(
            authorization.url
        )
        try:
            body = response.json()
        except ValueError:
            body = response.text
        self.journal.record(
            method="GET",
            url=authorization.url,
            request_headers={},
            status=response.status_code,
            response_json=body,
            duration_ms=(time.perf_counter() - started) * 1000,
            response_headers=dict(response.headers),
        )
        if response.status_code != 302:
            raise error_from_response(response.status_code, body, dict(response.headers))
        return response.headers["location"]

    # -- the token calls -----------------------------------------------------------------

    def exchange(self, callback_url: str, authorization: Authorization) -> OAuthToken:
        """Check the callback against the authorization, then trade its code for tokens.

        The callback's ``state`` must be the one this app made, and the merchant must be
        the one it asked for (when it named one): either difference means the URL was not
        Clover's answer to this request, and nothing is sent.
        """
        query = {k: v[-1] for k, v in parse_qs(urlsplit(callback_url).query).items()}
        if query.get("error"):
            raise OAuthFlowError(f"The merchant did not approve the app ({query['error']}).")
        if not secrets.compare_digest(
            query.get("state", "").encode(), authorization.state.encode()
        ):
            raise OAuthFlowError(
                "The callback's state is not the one this app sent: the "
                "URL did not come from Clover for this request. Start again "
                "with authorize()."
            )
        merchant_id, code = query.get("merchant_id"), query.get("code")
        if not merchant_id or not code:
            raise OAuthFlowError("The callback URL has no merchant_id or no code.")
        if authorization.merchant_id and merchant_id != authorization.merchant_id:
            raise OAuthFlowError(
                f"The callback names merchant {merchant_id}, but this "
                f"authorization asked for {authorization.merchant_id}."
            )
        body: dict[str, Any] = {"client_id": self.app_id, "code": code}
        if authorization.code_verifier is not None:
            body["code_verifier"] = authorization.code_verifier
        elif self._app_secret is not None:
            body["client_secret"] = self._app_secret
        now = self.clock()
        answer = self._post("/oauth/v2/token", body)
        token = OAuthToken.from_answer(merchant_id, answer, now)
        self.store.save_token(token)
        return token

    def refresh(self, merchant_id: str) -> OAuthToken:
        """Trade the merchant's refresh token for a new pair now (it works once)."""
        with self._lock_for(merchant_id):
            return self._refresh(merchant_id)

    def _refresh(self, merchant_id: str) -> OAuthToken:
        token = self._stored(merchant_id)
        fingerprint = hashlib.sha256(token.refresh_token.encode()).hexdigest()
        if fingerprint in self._spent:
            raise OAuthFlowError(
                f"The stored refresh token of {merchant_id} was already "
                "used; Clover would refuse it. Ask the merchant to approve "
                "the app again."
            )
        now = self.clock()
        if now >= token.refresh_token_expiration:
            raise OAuthFlowError(
                f"The refresh token of {merchant_id} has expired: ask the "
                "merchant to approve the app again (authorize())."
            )
        # Spent from the moment it is sent: even if the answer is lost, Clover used it.
        self._spent.add(fingerprint)
        answer = self._post(
            "/oauth/v2/refresh", {"client_id": self.app_id, "refresh_token": token.refresh_token}
        )
        fresh = OAuthToken.from_answer(merchant_id, answer, now)
        self.store.save_token(fresh)
        return fresh

    def token(self, merchant_id: str) -> OAuthToken:
        """The merchant's current token pair, refreshed first if the access token is due."""
        with self._lock_for(merchant_id):
            token = self._stored(merchant_id)
            if token.refresh_due(self.clock(), self.refresh_margin_s):
                token = self._refresh(merchant_id)
            return token

    def refresh_due(self, merchant_id: str) -> bool:
        """True when the merchant's access token is due for a refresh by the clock now."""
        return self._stored(merchant_id).refresh_due(self.clock(), self.refresh_margin_s)

    def access_token(self, merchant_id: str) -> str:
        """A usable access token for the merchant: the Bearer of its next request."""
        return self.token(merchant_id).access_token

    def client(self, merchant_id: str, **kwargs: Any) -> MerchantClient:
        """A client for one merchant, reused across calls, whose Bearer stays fresh."""
        if merchant_id not in self._clients or kwargs:
            self._stored(merchant_id)
            self._clients[merchant_id] = MerchantClient(self, merchant_id, **kwargs)
        return self._clients[merchant_id]

    def _stored(self, merchant_id: str) -> OAuthToken:
        token = self.store.token(merchant_id)
        if token is None:
            raise OAuthFlowError(
                f"No token for merchant {merchant_id}: it has not approved "
                "the app yet (authorize(), then exchange())."
            )
        return token

    def _lock_for(self, merchant_id: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(merchant_id, threading.Lock())

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = self._api._request(
            "POST", f"{self.environment.oauth_token_url}{path}", json_body=body, auth="none"
        )
        return answer

    def close(self) -> None:
        self._api.close()
        for client in self._clients.values():
            client.close()


class MerchantClient(CloverClient):
    """A :class:`CloverClient` for one merchant of an OAuth app.

    Its Bearer is the merchant's access token, refreshed before it expires; it names the
    merchant in ``X-Clover-Merchant-Id`` so a token stored under the wrong merchant is
    refused rather than used; and its PAKMS key is fetched once per merchant and kept in
    the app's :class:`TokenStore`.
    """

    def __init__(self, oauth: CloverOAuth, merchant_id: str, **kwargs: Any) -> None:
        self._oauth = oauth
        kwargs.setdefault("journal", oauth.journal)
        kwargs.setdefault("transport", oauth._transport)
        super().__init__(
            oauth.environment,
            "",
            merchant_id=merchant_id,
            api_access_key=oauth.store.api_access_key(merchant_id),
            **kwargs,
        )
        self._http.headers["X-Clover-Merchant-Id"] = merchant_id

    @property
    def access_token(self) -> str:
        """The merchant's access token, refreshed first when it is close to expiry."""
        assert self.merchant_id is not None
        return self._oauth.access_token(self.merchant_id)

    @access_token.setter
    def access_token(self, value: str) -> None:
        """Ignored: the app's token store holds the merchant's token."""

    def _plan(self, spec: Spec[T]) -> Plan[T]:
        """A call, sent once more after a 401 when the answer's clock shows the token it
        carried was due: the local sandbox's clock was moved by another process since this
        one last heard from it (local_sandbox.LocalClock). The resend refreshes first. On
        Clover the clock is the machine's, and a 401 is raised as it comes."""
        try:
            return (yield from super()._plan(spec))
        except AuthenticationError:
            assert self.merchant_id is not None
            if spec.auth != "bearer" or not self._oauth.refresh_due(self.merchant_id):
                raise
        return (yield from super()._plan(spec))

    def _remember_pakms_key(self, body: dict[str, Any]) -> PakmsKey:
        """Keep the key in the token store too: Clover asks for one PAKMS call per
        merchant, at install, not one per payment."""
        key = super()._remember_pakms_key(body)
        if key.get("apiAccessKey") and self.merchant_id:
            self._oauth.store.save_api_access_key(self.merchant_id, str(key["apiAccessKey"]))
        return key


def oauth_app(
    environment: Environment,
    *,
    redirect_uri: str,
    pkce: bool = False,
    store: TokenStore | None = None,
    journal: Journal | None = None,
) -> CloverOAuth:
    """The OAuth client of the kit's demo app (local sandbox) or of your own app on Clover.

    On Clover it reads ``CLOVER_APP_ID`` and, for a high-trust app, ``CLOVER_APP_SECRET``
    (from the environment or ``.env``). ``pkce=True`` leaves the secret out: a low-trust app.
    On the local sandbox the client reads the sandbox's clock (:class:`LocalClock`), which a
    notebook may move; on Clover, the machine's.
    """
    secret: str | None
    if environment.is_local:
        app = local_merchants(environment.oauth_token_url)[0]
        app_id, secret = str(app["app_id"]), str(app["app_secret"])
    else:
        load_dotenv()
        app_id, secret = os.environ.get("CLOVER_APP_ID", ""), os.environ.get("CLOVER_APP_SECRET")
        if not app_id:
            raise MissingSettingError(
                "CLOVER_APP_ID is not set: put 'CLOVER_APP_ID=...' (and "
                "CLOVER_APP_SECRET for a high-trust app) in .env."
            )
    return CloverOAuth(
        environment,
        app_id,
        None if pkce else secret,
        redirect_uri=redirect_uri,
        store=store,
        journal=journal,
        clock=local_clock(environment.ecommerce_url) if environment.is_local else time.time,
    )
