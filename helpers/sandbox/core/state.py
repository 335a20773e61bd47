"""What one running sandbox holds: its store and who may call it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from helpers.sandbox.core.merchants import DEMO_MERCHANTS, Merchant
from helpers.sandbox.core.requestlog import RequestLog
from helpers.sandbox.core.store import Store
from helpers.sandbox.local.faults import Faults
from helpers.sandbox.local.limits import RateLimits
from helpers.sandbox.resources.oauth import model as grants
from helpers.sandbox.resources.tokens.encrypted_pan import PanKey


@dataclass
class SandboxState:
    store: Store
    merchants: dict[str, Merchant] = field(default_factory=dict)
    by_private_key: dict[str, Merchant] = field(default_factory=dict)
    by_api_access_key: dict[str, Merchant] = field(default_factory=dict)
    lifetimes: grants.Lifetimes = field(default_factory=grants.Lifetimes)
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

    def merchant_for_bearer(self, token: str) -> Merchant | None:
        """A Bearer is an Ecommerce private key or an unexpired OAuth access token."""
        merchant = self.by_private_key.get(token)
        if merchant is None:
            merchant_id = grants.merchant_for_access_token(self.store, token, time.time())
            merchant = self.merchants.get(merchant_id) if merchant_id else None
        return merchant
