"""What OAuth hands out: authorization codes and access/refresh token pairs, and their lives.

Secrets are stored by their SHA-256 digest only, so the sandbox's database never holds a
usable code or token. Expirations use the real clock (Unix seconds, as Clover answers
them); the seeded sequence only draws the secret values, so they repeat under a seed.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from helpers.sandbox.core.merchants import DEMO_MERCHANTS
from helpers.sandbox.core.store import Kind, Object, Store

CODE = Kind.OAUTH_CODE
ACCESS = Kind.OAUTH_ACCESS_TOKEN
REFRESH = Kind.OAUTH_REFRESH_TOKEN


@dataclass
class Lifetimes:
    """Seconds each grant lives; Clover does not fix them, so these are local choices, except
    that refresh tokens live a year as in Clover's samples (refresh-access-tokens: 1709498373
    and 1741034373, https://docs.clover.com/docs/refresh-access-tokens).

    The control API shortens them so a notebook can show an expiry without waiting.
    """

    access_token: int = 30 * 60
    refresh_token: int = 365 * 24 * 3600
    code: int = 5 * 60

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# Where the demo app's merchants may be sent back to: the shop the notebooks (03-05) and
# the tests play. Clover keeps an app's Site URL in its App Settings (REST Configuration)
# and takes a redirect_uri only at or below it (docs: build/cors, "Set app link (URL) and
# CORS domain"); `/_sandbox/oauth/site-urls` adds more, and a reset restores these.
DEMO_SITE_URLS = ("https://pinewood-shop.example", "https://shop.example")
DEFAULT_PORTS = {"http": 80, "https": 443}


def demo_site_urls() -> dict[str, list[str]]:
    """Every demo app's Site URLs, as a fresh sandbox (or a reset) starts with them."""
    return {m.app_id: list(DEMO_SITE_URLS) for m in DEMO_MERCHANTS}


def _place(url: str) -> tuple[str, str, int, str] | None:
    """(scheme, host, port, path) of an http(s) URL; None if it is not one."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not host:
        return None
    return parts.scheme, host.lower(), port or DEFAULT_PORTS[parts.scheme], parts.path


def under_site_url(redirect_uri: str, site_url: str) -> bool:
    """Clover's rule: the redirect_uri is the Site URL or a subpath of it (same scheme,
    host and port; `https://www.example.com/myapp/setup` is under `.../myapp`, and
    `https://example.com/setup` is not). A path is matched whole segments at a time."""
    asked, site = _place(redirect_uri), _place(site_url)
    if asked is None or site is None or asked[:3] != site[:3]:
        return False
    base = site[3].rstrip("/")
    return not base or asked[3] == base or asked[3].startswith(base + "/")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def find(store: Store, kind: Kind, secret: str) -> Object | None:
    """The stored grant behind a secret, whoever it belongs to (the secret says who)."""
    return store.find(kind, digest(secret))


def issue_code(
    store: Store,
    merchant_id: str,
    client_id: str,
    redirect_uri: str,
    challenge: str | None,
    lifetimes: Lifetimes,
    now: float,
) -> str:
    code = store.sequence.secret(26)
    store.put(
        CODE,
        {
            "id": digest(code),
            "_merchant": merchant_id,
            "_client_id": client_id,
            "_redirect_uri": redirect_uri,
            "_challenge": challenge,
            "_expires": int(now) + lifetimes.code,
            "_used": False,
        },
    )
    return code


def issue_pair(
    store: Store,
    merchant_id: str,
    client_id: str,
    lifetimes: Lifetimes,
    now: float,
    with_refresh: bool = True,
) -> dict[str, Any]:
    """A new access/refresh pair, answered in Clover's four fields; without `with_refresh`
    (`no_refresh_token=true`, docs: refresh-access-tokens,
    https://docs.clover.com/docs/refresh-access-tokens) the access token alone."""
    access, refresh = store.sequence.secret(48), store.sequence.secret(40)
    access_expires = int(now) + lifetimes.access_token
    refresh_expires = int(now) + lifetimes.refresh_token
    store.put(
        ACCESS,
        {
            "id": digest(access),
            "_merchant": merchant_id,
            "_client_id": client_id,
            "_expires": access_expires,
        },
    )
    if not with_refresh:
        return {"access_token": access, "access_token_expiration": access_expires}
    store.put(
        REFRESH,
        {
            "id": digest(refresh),
            "_merchant": merchant_id,
            "_client_id": client_id,
            "_expires": refresh_expires,
            "_used": False,
        },
    )
    return {
        "access_token": access,
        "access_token_expiration": access_expires,
        "refresh_token": refresh,
        "refresh_token_expiration": refresh_expires,
    }


def merchant_for_access_token(store: Store, token: str, now: float) -> str | None:
    """The merchant an unexpired access token was issued for; None for anything else."""
    grant = find(store, ACCESS, token) if token else None
    if grant is None or now >= grant["_expires"]:
        return None
    merchant: str = grant["_merchant"]
    return merchant
