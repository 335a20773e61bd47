"""What one running sandbox holds: its store, who may call it, and its local-only settings."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from helpers.sandbox.core.merchants import DEMO_MERCHANTS, Merchant
from helpers.sandbox.core.requestlog import RequestLog
from helpers.sandbox.core.store import Store
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
        for merchant in DEMO_MERCHANTS:
            state.merchants[merchant.merchant_id] = merchant
            state.by_private_key[merchant.private_key] = merchant
            state.by_api_access_key[merchant.api_access_key] = merchant
        return state

    def reset(self, seed: int | None) -> None:
        """Empty the store (reseeded) and switch every local-only setting back off."""
        self.store.reset(seed)
        self.faults.clear()
        self.limits.clear()
        self.requests.clear()
        self.settings = Settings()

    def merchant_for_bearer(self, token: str) -> Merchant | None:
        """A Bearer is an Ecommerce private key or an unexpired OAuth access token."""
        merchant = self.by_private_key.get(token)
        if merchant is None:
            merchant_id = grants.merchant_for_access_token(self.store, token, time.time())
            merchant = self.merchants.get(merchant_id) if merchant_id else None
        return merchant
