"""What one running sandbox holds: its store, who may call it, and its local-only settings.

Beside app.py, which makes it: it is made of pieces from every level (the core's store and
request log, the local faults and rate limits, OAuth's lifetimes, the tokenizer's card
key). The core names none of them: it asks for `core.state.Sandbox`, the Protocol of
what it uses, which this class meets (app.py has mypy check it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers.sandbox.core.merchants import DEMO_MERCHANTS, REGISTRY, Merchant
from helpers.sandbox.core.requestlog import RequestLog
from helpers.sandbox.core.store import Kind, Store
from helpers.sandbox.local.faults import Faults
from helpers.sandbox.local.rate_limits import RateLimits
from helpers.sandbox.resources.oauth import model as grants
from helpers.sandbox.resources.tokens.encrypted_pan import PanKey

CHECKOUT_SESSION_LIFETIME_S = 15 * 60


@dataclass
class Settings:
    """Sandbox-wide settings the local controls change; a reset restores these defaults.

    They belong to the sandbox, not to a merchant, and live in memory like the faults
    and rate limits: a restart also restores them.
    """

    checkout_session_lifetime_s: int = CHECKOUT_SESSION_LIFETIME_S
    oauth_lifetimes: grants.Lifetimes = field(default_factory=grants.Lifetimes)
    site_urls: dict[str, list[str]] = field(default_factory=grants.demo_site_urls)
    threeds_required: set[str] = field(default_factory=set)
    """Merchants whose dashboard setting requires 3-D Secure on card charges."""


@dataclass
class SandboxState:
    store: Store
    merchants: dict[str, Merchant] = field(default_factory=dict)
    by_private_key: dict[str, Merchant] = field(default_factory=dict)
    by_api_access_key: dict[str, Merchant] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    pan_key: PanKey = field(default_factory=PanKey)
    faults: Faults = field(default_factory=Faults)
    limits: RateLimits = field(default_factory=RateLimits)
    requests: RequestLog = field(default_factory=RequestLog)

    @classmethod
    def create(cls, store: Store) -> SandboxState:
        state = cls(store=store)
        state._load_merchants()
        return state

    def _load_merchants(self) -> None:
        """The demo merchants, then those registered (read back from the store)."""
        self.merchants.clear()
        self.by_private_key.clear()
        self.by_api_access_key.clear()
        for merchant in DEMO_MERCHANTS:
            self._admit(merchant)
        for record in reversed(list(self.store.newest_first(Kind.MERCHANT, REGISTRY))):
            merchant = Merchant.from_record(record)
            self._admit(merchant)
            self.settings.site_urls[merchant.app_id] = list(record["site_urls"])

    def _admit(self, merchant: Merchant) -> None:
        old = self.merchants.get(merchant.merchant_id)
        if old is not None:
            self.by_private_key.pop(old.private_key, None)
            self.by_api_access_key.pop(old.api_access_key, None)
        self.merchants[merchant.merchant_id] = merchant
        self.by_private_key[merchant.private_key] = merchant
        self.by_api_access_key[merchant.api_access_key] = merchant

    def register(self, merchant: Merchant, site_urls: list[str]) -> None:
        """Store a merchant (replacing one of the same id), then let its keys in: the
        keys work only once the database holds them."""
        self.store.put(Kind.MERCHANT, merchant.record(site_urls))
        self.store.commit()
        self._admit(merchant)
        self.settings.site_urls[merchant.app_id] = list(site_urls)

    def reset(self, seed: int | None) -> None:
        """Empty the store (reseeded) and switch every local-only setting back off."""
        self.store.reset(seed)
        self.faults.clear()
        self.limits.clear()
        self.requests.clear()
        self.settings = Settings()
        self._load_merchants()

    def merchant_for_bearer(self, token: str) -> Merchant | None:
        """A Bearer is an Ecommerce private key or an unexpired OAuth access token."""
        merchant = self.by_private_key.get(token)
        if merchant is None:
            merchant_id = grants.merchant_for_access_token(
                self.store, token, self.store.expiry_now_s()
            )
            merchant = self.merchants.get(merchant_id) if merchant_id else None
        return merchant
