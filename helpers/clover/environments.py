"""Where Clover lives: the base URL of every host an Ecommerce app talks to.

Clover splits its card-not-present API over several hosts (OAuth, the Ecommerce API, the
tokenizer, the iframe SDK, Hosted Checkout). An :class:`Environment` names them all in one
object, so the same notebook code runs against the local sandbox, Clover's sandbox or
production by swapping one value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["ENVIRONMENTS", "Environment"]


def _origin(url: str) -> str:
    """Drop a trailing slash so paths can be appended with ``+ "/v1/..."``."""
    return url.rstrip("/")


@dataclass(frozen=True)
class Environment:
    """Base URLs (no trailing slash) of the Clover hosts, one per purpose.

    ``pakms_url`` is where ``GET /pakms/apikey`` is sent. Clover's reference pages put it on
    the Ecommerce host, so every environment here does the same.
    ``browser_url`` is the origin the shopper's browser loads ``sdk.js`` from; it is the
    checkout host, except behind a proxy where the browser sees another address.
    """

    name: str
    oauth_authorize_url: str
    oauth_token_url: str
    ecommerce_url: str
    tokenizer_url: str
    checkout_url: str
    hosted_checkout_url: str
    pakms_url: str
    browser_url: str

    def __post_init__(self) -> None:
        for field_name in (
            "oauth_authorize_url",
            "oauth_token_url",
            "ecommerce_url",
            "tokenizer_url",
            "checkout_url",
            "hosted_checkout_url",
            "pakms_url",
            "browser_url",
        ):
            object.__setattr__(self, field_name, _origin(getattr(self, field_name)))

    @classmethod
    def clover(
        cls,
        name: str,
        *,
        oauth_authorize_url: str,
        api_url: str,
        ecommerce_url: str,
        tokenizer_url: str,
        checkout_url: str,
    ) -> Environment:
        """Build a Clover-hosted environment; PAKMS sits on the Ecommerce host."""
        return cls(
            name=name,
            oauth_authorize_url=oauth_authorize_url,
            oauth_token_url=api_url,
            ecommerce_url=ecommerce_url,
            tokenizer_url=tokenizer_url,
            checkout_url=checkout_url,
            hosted_checkout_url=api_url,
            pakms_url=ecommerce_url,
            browser_url=checkout_url,
        )

    @classmethod
    def local(cls, base_url: str, *, browser_url: str | None = None) -> Environment:
        """One origin serving every Clover path, as the local sandbox does.

        ``browser_url`` overrides the address the browser uses (for example a proxy path on
        a JupyterHub); the kernel keeps talking to ``base_url``.
        """
        base = _origin(base_url)
        return cls(
            name="local",
            oauth_authorize_url=base,
            oauth_token_url=base,
            ecommerce_url=base,
            tokenizer_url=base,
            checkout_url=base,
            hosted_checkout_url=base,
            pakms_url=base,
            browser_url=browser_url if browser_url is not None else base,
        )

    def with_browser_url(self, browser_url: str) -> Environment:
        """The same hosts, with another address for the browser to load ``sdk.js`` from."""
        return replace(self, browser_url=browser_url)

    def for_browser(self, url: str) -> str:
        """``url`` of a page on the checkout host, as the shopper's browser must open it.

        A local sandbox page (``demo/checkout``, an OAuth consent page, a hosted checkout)
        has a loopback URL in the kernel; behind Binder or a hub the browser needs the
        proxied one. Any other URL is returned unchanged.
        """
        base = self.checkout_url
        if url == base or url.startswith((f"{base}/", f"{base}?")):
            return self.browser_url + url[len(base) :]
        return url

    @property
    def sdk_url(self) -> str:
        """The URL of Clover's iframe SDK script, as the browser must load it."""
        return f"{self.browser_url}/sdk.js"

    @property
    def card_keys_url(self) -> str:
        """Where the RSA key that encrypts card numbers (``encrypted_pan``) is published.

        Clover serves one file from its production checkout CDN for both of its
        environments; the local sandbox serves its own key.
        """
        if self.is_local:
            return f"{self.checkout_url}/assets/keys.json"
        return "https://checkout.clover.com/assets/keys.json"

    @property
    def card_key_name(self) -> str:
        """The entry of that file for this environment: Clover's sandbox uses the DEV key."""
        return "TA_PUBLIC_KEY_PROD" if self.name == "production" else "TA_PUBLIC_KEY_DEV"

    @property
    def is_local(self) -> bool:
        """True for the local sandbox, where local-only controls exist."""
        return self.name == "local"


ENVIRONMENTS: dict[str, Environment] = {
    "sandbox": Environment.clover(
        "sandbox",
        oauth_authorize_url="https://sandbox.dev.clover.com",
        api_url="https://apisandbox.dev.clover.com",
        ecommerce_url="https://scl-sandbox.dev.clover.com",
        tokenizer_url="https://token-sandbox.dev.clover.com",
        checkout_url="https://checkout.sandbox.dev.clover.com",
    ),
    "production": Environment.clover(
        "production",
        oauth_authorize_url="https://www.clover.com",
        api_url="https://api.clover.com",
        ecommerce_url="https://scl.clover.com",
        tokenizer_url="https://token.clover.com",
        checkout_url="https://checkout.clover.com",
    ),
}
