"""The shop's settings, read from the environment only.

Secrets (the admin password, the key that signs cookies, a CAPTCHA provider's secret and
Clover's own credentials) never live in code or in a file the shop writes. Clover's side
is chosen by the kit's one switch, ``CLOVER_ENV`` (``local``, ``sandbox`` or
``production``), which :func:`shop.clover.connect` reads with the credentials README.md lists.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["LOCAL_TEST_CARDS", "Settings", "parse_test_cards"]

LOCAL_TEST_CARDS = "4000009900000517=declined for insufficient funds (local sandbox only)"
"""``SHOP_LOCAL_TEST_CARDS`` when unset: a development setting, not code the shop imports.
The kit's local sandbox declines this number for one reason (docs/sandbox.md); Clover's
own sandbox would approve it, so the shop lists it only on a local sandbox."""


def parse_test_cards(value: str) -> tuple[tuple[str, str], ...]:
    """``NUMBER=what it does`` entries, separated by ``;``, as (number, what) pairs."""
    cards = []
    for entry in filter(None, (part.strip() for part in value.split(";"))):
        number, _, what = entry.partition("=")
        digits = number.replace(" ", "")
        if not digits.isdigit() or not what.strip():
            raise ValueError(
                f"SHOP_LOCAL_TEST_CARDS entry {entry!r}: write NUMBER=what it does, "
                "entries separated by ';'"
            )
        cards.append((digits, what.strip()))
    return tuple(cards)


@dataclass(frozen=True)
class Settings:
    """Everything the shop needs besides Clover's credentials.

    ``secret_key`` signs the session cookie and the CSRF and CAPTCHA tokens; when
    ``SHOP_SECRET_KEY`` is not set a random one is made, which is fine on a laptop but
    logs every shopper out at each restart. ``admin_password`` empty turns the admin page
    off. ``captcha`` is ``local`` (a stand-in challenge) or ``recaptcha`` (Google's,
    with ``RECAPTCHA_SITE_KEY`` and ``RECAPTCHA_SECRET_KEY``).
    """

    database: str = "shop.sqlite3"
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)
    admin_password: str = field(default="", repr=False)
    captcha: str = "local"
    recaptcha_site_key: str = ""
    recaptcha_secret_key: str = field(default="", repr=False)
    max_declines: int = 3
    """Declines before an order fails: a bot testing stolen cards gets few tries."""
    https: bool = False
    """Mark cookies ``Secure``; set SHOP_HTTPS=1 when the shop is served over HTTPS."""
    webhook_secret: str = field(default="", repr=False)
    """The signing secret of Clover's Hosted Checkout webhooks (CLOVER_WEBHOOK_SECRET); empty
    turns the webhook endpoint, and so Hosted Checkout, off."""
    webhook_url: str = ""
    """Where the local sandbox is to send Hosted Checkout's webhooks: this shop's
    ``/webhooks/clover``, set by :func:`shop.clover.send_local_webhooks` once the shop knows
    its address. Empty on Clover's hosts, where the URL is set once in the dashboard."""
    local_test_cards: tuple[tuple[str, str], ...] = parse_test_cards(LOCAL_TEST_CARDS)
    """Cards the payment page suggests on a local sandbox besides Clover's documented ones
    (SHOP_LOCAL_TEST_CARDS, ``NUMBER=what;...``; empty: none)."""
    trust_proxy: bool = False
    """Take the shopper's IP from ``X-Forwarded-For`` (SHOP_TRUST_PROXY=1): only behind a
    proxy you run, since a shopper can write that header themselves."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``SHOP_*`` (and ``RECAPTCHA_*``) variables; unset ones keep the defaults."""
        env = os.environ if environ is None else environ
        defaults = cls()
        captcha = env.get("SHOP_CAPTCHA", defaults.captcha).strip().lower()
        if captcha not in {"local", "recaptcha"}:
            raise ValueError(f"SHOP_CAPTCHA={captcha!r}: use 'local' or 'recaptcha'")
        settings = cls(
            database=env.get("SHOP_DB", defaults.database),
            secret_key=env.get("SHOP_SECRET_KEY") or defaults.secret_key,
            admin_password=env.get("SHOP_ADMIN_PASSWORD", ""),
            captcha=captcha,
            recaptcha_site_key=env.get("RECAPTCHA_SITE_KEY", ""),
            recaptcha_secret_key=env.get("RECAPTCHA_SECRET_KEY", ""),
            max_declines=int(env.get("SHOP_MAX_DECLINES", defaults.max_declines)),
            https=env.get("SHOP_HTTPS", "") == "1",
            trust_proxy=env.get("SHOP_TRUST_PROXY", "") == "1",
            webhook_secret=env.get("CLOVER_WEBHOOK_SECRET", ""),
            local_test_cards=parse_test_cards(env.get("SHOP_LOCAL_TEST_CARDS", LOCAL_TEST_CARDS)),
        )
        if captcha == "recaptcha" and not (
            settings.recaptcha_site_key and settings.recaptcha_secret_key
        ):
            raise ValueError(
                "SHOP_CAPTCHA=recaptcha needs RECAPTCHA_SITE_KEY and RECAPTCHA_SECRET_KEY"
            )
        return settings
