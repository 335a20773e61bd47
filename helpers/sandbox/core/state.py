"""What the core asks of a running sandbox: a Protocol, so that core imports nothing above it.

helpers/sandbox/state.py holds the one implementation, made of pieces from every level
(local faults and rate limits, OAuth's lifetimes, the tokenizer's card key); the core
names only what its request plumbing (core/http.py) calls on them. Handlers reach the
same object through `Call.state`; the pieces of features above the core (`settings`,
`pan_key`) are typed where they are made.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

from starlette.responses import Response

from helpers.sandbox.core.merchants import Merchant
from helpers.sandbox.core.requestlog import RequestLog
from helpers.sandbox.core.store import Store


class Admission(Protocol):
    """The local rate limits: a place held for one request, or its 429 raised."""

    def admit(self, credential: str, app_id: str) -> AbstractContextManager[None]: ...


class FaultPlan(Protocol):
    """The local faults: a 429 before the work, a delay, 5xx or drop after it."""

    def before_work(self, merchant: str, method: str, path: str, fired: list[str]) -> None: ...

    async def after_work(
        self, merchant: str, method: str, path: str, answer: Response, fired: list[str]
    ) -> Response: ...


class Sandbox(Protocol):
    """One running sandbox, as the core and the handlers see it."""

    store: Store
    merchants: dict[str, Merchant]
    by_api_access_key: dict[str, Merchant]
    requests: RequestLog
    settings: Any  # helpers/sandbox/state.py's `Settings`: local settings of features
    pan_key: Any  # the tokenizer's card key (resources/tokens/encrypted_pan.py)

    @property
    def limits(self) -> Admission: ...

    @property
    def faults(self) -> FaultPlan: ...

    def merchant_for_bearer(self, token: str) -> Merchant | None: ...
