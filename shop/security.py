"""Sessions, CSRF, the admin password and the security headers of every page.

The session is a random id in a signed cookie; the CSRF token of a session is an HMAC of
that id, so it needs no storage and a page of another site cannot know it. Every request
that changes something (a form post or ``POST /pay``) must carry it, in the form field
``csrf_token`` or the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlsplit

__all__ = [
    "ADMIN_USER",
    "SESSION_COOKIE",
    "admin_allowed",
    "csp_header",
    "csrf_token",
    "new_session",
    "parse_form",
    "payment_page_csp",
    "plain_page_csp",
    "read_session",
    "sign",
    "valid_csrf",
]

SESSION_COOKIE = "shop_session"
ADMIN_USER = "admin"


def sign(secret: str, purpose: str, value: str) -> str:
    """An HMAC-SHA256 of ``value`` for one ``purpose``, so a signature made for one use
    (a session) is never accepted for another (a CSRF token)."""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def new_session(secret: str) -> tuple[str, str]:
    """A fresh session id and the cookie value that carries it."""
    session_id = secrets.token_hex(16)
    return session_id, f"{session_id}.{sign(secret, 'session', session_id)}"


def read_session(secret: str, cookie: str | None) -> str | None:
    """The session id in a cookie, or None when it is missing or its signature is wrong."""
    if not cookie or "." not in cookie:
        return None
    session_id, signature = cookie.split(".", 1)
    if hmac.compare_digest(signature, sign(secret, "session", session_id)):
        return session_id
    return None


def csrf_token(secret: str, session_id: str) -> str:
    return sign(secret, "csrf", session_id)


def valid_csrf(secret: str, session_id: str | None, token: str | None) -> bool:
    if not session_id or not token:
        return False
    return hmac.compare_digest(token, csrf_token(secret, session_id))


def parse_form(body: bytes) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body; the last value of a repeated field."""
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def admin_allowed(password: str, authorization: str | None) -> bool:
    """HTTP Basic ``admin:<SHOP_ADMIN_PASSWORD>``; always False when no password is set."""
    if not password or not authorization or not authorization.startswith("Basic "):
        return False
    try:
        decoded = base64.b64decode(authorization[6:], validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    user, _, given = decoded.partition(":")
    user_ok = hmac.compare_digest(user.encode(), ADMIN_USER.encode())
    password_ok = hmac.compare_digest(given.encode(), password.encode())
    return user_ok and password_ok


def csp_header(directives: Mapping[str, Iterable[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}".strip() for name, values in directives.items())


_LOCKED_DOWN: dict[str, tuple[str, ...]] = {
    "default-src": ("'none'",),
    "style-src": ("'self'",),
    "img-src": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
    "base-uri": ("'none'",),
}


def plain_page_csp() -> str:
    """Pages other than the payment page run no script at all."""
    return csp_header(_LOCKED_DOWN)


def _frame_base(sdk_url: str) -> str:
    """The folder ``sdk.js`` is served from: Clover's card-field iframes live beside it."""
    parts = urlsplit(sdk_url)
    folder = parts.path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{folder}"


def payment_page_csp(
    shop_script: str,
    sdk_url: str,
    *,
    captcha_scripts: Iterable[str] = (),
    captcha_frames: Iterable[str] = (),
) -> str:
    """The payment page's policy: the exact scripts it may load and nothing else.

    PCI DSS v4 requirement 6.4.3 asks a merchant to authorise every script of a payment
    page and keep an inventory of them; listing each script by its full URL (a path not
    ending in ``/`` matches that one file only) makes the browser enforce that inventory.
    The page itself holds no inline script. Clover's card fields are iframes served next to
    ``sdk.js``, so ``frame-src`` allows that folder only.
    """
    directives = dict(_LOCKED_DOWN)
    directives["script-src"] = (shop_script, sdk_url, *captcha_scripts)
    directives["frame-src"] = (_frame_base(sdk_url), *captcha_frames)
    directives["connect-src"] = ("'self'",)
    return csp_header(directives)
