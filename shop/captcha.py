"""The CAPTCHA step before charging, which Clover requires of iframe and API integrations.

Clover's developer terms make the developer responsible for securing calls to Charge and
Order Pay, and require some form of CAPTCHA on iframe and REST API integrations
(https://docs.clover.com/docs/terms-and-conditions-captcha-requirement; Hosted Checkout has
reCAPTCHA built in: https://docs.clover.com/docs/hosted-checkout-now-includes-recaptcha).

:class:`LocalChallenge` is a stand-in that works offline and in tests: a small sum whose
answer is checked against a signed, expiring ticket bound to the order. It keeps bots out
of nothing; a real shop sets ``SHOP_CAPTCHA=recaptcha`` (and the two ``RECAPTCHA_*`` keys)
and :class:`Recaptcha` verifies Google's answer on the server instead. The pages and
``POST /pay`` do not change: both send the fields found inside ``#captcha``.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Mapping
from typing import Any, Protocol

import httpx

from .config import Settings
from .security import sign

__all__ = ["Captcha", "LocalChallenge", "Recaptcha", "captcha_for"]


class Captcha(Protocol):
    """What the payment page shows and what ``POST /pay`` checks before charging."""

    name: str
    scripts: tuple[str, ...]
    """Script URLs the provider needs on the payment page (listed in its CSP)."""
    frames: tuple[str, ...]

    def challenge(self, order_id: str) -> dict[str, Any]:
        """Values for the page's ``#captcha`` block."""
        ...

    def verify(self, order_id: str, answer: Mapping[str, str], remote_ip: str) -> bool:
        """True when the shopper passed; never raises for a wrong or missing answer."""
        ...


class LocalChallenge:
    """A signed arithmetic question: a local stand-in for a CAPTCHA provider."""

    name = "local"
    scripts: tuple[str, ...] = ()
    frames: tuple[str, ...] = ()
    lifetime_s = 600

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def _signature(self, order_id: str, answer: str, expires: int, nonce: str) -> str:
        return sign(self._secret, "captcha", f"{order_id}:{answer}:{expires}:{nonce}")

    def challenge(self, order_id: str) -> dict[str, Any]:
        left, right = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        expires = int(time.time()) + self.lifetime_s
        nonce = secrets.token_hex(8)
        signature = self._signature(order_id, str(left + right), expires, nonce)
        return {
            "question": f"What is {left} + {right}?",
            "ticket": f"{expires}.{nonce}.{signature}",
        }

    def verify(self, order_id: str, answer: Mapping[str, str], remote_ip: str) -> bool:
        try:
            expires_text, nonce, signature = answer.get("captcha_ticket", "").split(".")
            expires = int(expires_text)
        except ValueError:
            return False
        if expires < time.time():
            return False
        given = answer.get("captcha_answer", "").strip()
        expected = self._signature(order_id, given, expires, nonce)
        return hmac.compare_digest(signature, expected)


class Recaptcha:
    """Google reCAPTCHA v2, the service Clover's announcement points to."""

    name = "recaptcha"
    scripts: tuple[str, ...] = (
        "https://www.google.com/recaptcha/api.js",
        "https://www.gstatic.com/recaptcha/",
    )
    frames: tuple[str, ...] = (
        "https://www.google.com/recaptcha/",
        "https://recaptcha.google.com/recaptcha/",
    )
    verify_url = "https://www.google.com/recaptcha/api/siteverify"

    def __init__(self, site_key: str, secret_key: str) -> None:
        self.site_key = site_key
        self._secret_key = secret_key

    def challenge(self, order_id: str) -> dict[str, Any]:
        return {"site_key": self.site_key}

    def verify(self, order_id: str, answer: Mapping[str, str], remote_ip: str) -> bool:
        response = answer.get("g-recaptcha-response", "")
        if not response:
            return False
        try:
            reply = httpx.post(
                self.verify_url,
                data={"secret": self._secret_key, "response": response, "remoteip": remote_ip},
                timeout=10.0,
            )
            return bool(reply.json().get("success"))
        except (httpx.HTTPError, ValueError):
            return False


def captcha_for(settings: Settings) -> Captcha:
    if settings.captcha == "recaptcha":
        return Recaptcha(settings.recaptcha_site_key, settings.recaptcha_secret_key)
    return LocalChallenge(settings.secret_key)
