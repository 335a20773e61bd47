"""Helpers for learning Clover's Ecommerce (card-not-present) payments API in notebooks.

Start with ``client = connect()``: it reads ``.env`` and returns a :class:`CloverClient`
for the local sandbox (the default), Clover's sandbox or production.

The package has three wings: ``helpers.clover`` is what a merchant's app would ship (the
clients, one module per Clover resource, OAuth, errors, retries, webhooks);
``helpers.notebook`` is what only a learner needs (tables, reports, checks, widgets);
``helpers.sandbox`` is the local stand-in for Clover's servers. Every name a notebook uses
is importable from ``helpers`` itself.
"""
# ruff: noqa: F401  (the TYPE_CHECKING imports below are the list of public names)

from __future__ import annotations

import ast
import atexit
import importlib
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .clover import errors
    from .clover.app_webhooks import AppWebhookMessage, AppWebhookReceiver, verify_app_webhook
    from .clover.async_client import AsyncCloverClient
    from .clover.cards import (
        TEST_CARDS,
        Card,
        TestCard,
        brand_of,
        expiry_in_future,
        local_decline_card,
        luhn_valid,
        mask_last4,
        mask_pan,
        test_card,
        test_cards_table,
    )
    from .clover.client import CloverClient
    from .clover.encryption import CardEncryptionKey, fetch_card_key
    from .clover.environments import ENVIRONMENTS, Environment
    from .clover.errors import (
        APIConnectionError,
        APIError,
        AuthenticationError,
        AVSMismatchError,
        CannotConnectError,
        CardError,
        CloverError,
        ExpiredCardError,
        FraudSuspectedError,
        IdempotencyError,
        IncorrectCVCError,
        InsufficientFundsError,
        InvalidRequestError,
        ProcessorUnavailableError,
        RateLimitError,
    )
    from .clover.journal import Journal, JournalEntry, mask_payload, mask_url
    from .clover.oauth import (
        CloverOAuth,
        MerchantClient,
        OAuthFlowError,
        OAuthToken,
        TokenStore,
        oauth_app,
    )
    from .clover.objects import CloverObject, ListPage
    from .clover.resources.charges import Charge
    from .clover.resources.customers import Customer, DeletedCard, stored_credentials
    from .clover.resources.gift_cards import GiftCardBalance, GiftCardTransaction, RefundVoid
    from .clover.resources.hosted_checkout import CheckoutSession, checkout_customer, line_item
    from .clover.resources.orders import Order, shipping, sku, tax, tax_rate
    from .clover.resources.pakms import PakmsKey
    from .clover.resources.recurring import Invoice, Plan, Subscription
    from .clover.resources.refunds import Refund
    from .clover.resources.threeds import clover_threeds, non_clover_threeds
    from .clover.resources.tokens import Token
    from .clover.retries import NO_RETRIES, RetryPolicy
    from .clover.settings import MissingSettingError, local_merchants
    from .clover.webhooks import WebhookError, WebhookReceiver, sign_webhook, verify_webhook
    from .notebook.checks import (
        check,
        check_authorization,
        check_book_charge,
        check_cancel_prediction,
        check_card_replacement,
        check_declined_after_gift_card,
        check_dunning_prediction,
        check_encrypted_token,
        check_failed_challenge,
        check_going_live,
        check_harbor_install,
        check_integration_choices,
        check_lost_answer,
        check_net_captured,
        check_next_step,
        check_order_prediction,
        check_recovered_attempt,
        check_refund_prediction,
        check_retry_prediction,
        check_wallet_charge,
        check_webhook_dedupe,
    )
    from .notebook.local_controls import LocalSandbox
    from .notebook.quiz import quiz
    from .notebook.reports import daily_plot, ledger, net_captured, summary
    from .notebook.shopper import pay_on_checkout_page
    from .notebook.tables import charges_table, refunds_table
    from .notebook.widgets import CardForm, CheckoutWidget

# The block above lists each public name once: editors read it, and at run time it becomes
# the lazy table and __all__; names load on first use (PEP 562), so the sandbox loads none.


def _public_names() -> dict[str, str]:
    """name -> the module it comes from, from this file's ``if TYPE_CHECKING:`` block."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    tests = (node for node in tree.body if isinstance(node, ast.If))
    block = next(node for node in tests if ast.unparse(node.test) == "TYPE_CHECKING")
    return {
        alias.asname or alias.name: "." + (node.module or "")
        for node in ast.walk(block)
        if isinstance(node, ast.ImportFrom) and node.level == 1
        for alias in node.names
    }


_LAZY = _public_names()


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name, None)
    if value is None:  # a submodule: ``helpers.errors``
        value = importlib.import_module(f"{module}.{name}", __name__)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


DEFAULT_ENV = "local"
DEFAULT_SEED = "2026"


_sandbox_lock = threading.Lock()
_local_sandbox: Any = None


def _local_base_url() -> str:
    """The local sandbox's URL: one running already (``CLOVER_SANDBOX_URL``, else a running
    ``kit.py lab``'s: :func:`~helpers.clover.local_sandbox.running_sandbox`), else one
    started in this process. ``CLOVER_SANDBOX_URL`` set but empty means "a sandbox of this
    process's own" (the test suite's choice)."""
    from .clover.local_sandbox import running_sandbox

    found = running_sandbox()
    if found:
        return found[0]
    global _local_sandbox
    with _sandbox_lock:
        if _local_sandbox is None:
            from .sandbox import Sandbox

            seed = int(os.environ.get("CLOVER_SANDBOX_SEED", DEFAULT_SEED))
            _local_sandbox = Sandbox(seed=seed).start()
            atexit.register(_local_sandbox.stop)
            if "CLOVER_SANDBOX_URL" not in os.environ:  # not asked for: say so
                print(
                    f"helpers: no running lab sandbox and CLOVER_SANDBOX_URL unset, so a "
                    f"sandbox was started inside this process at {_local_sandbox.url}; its "
                    "objects go when the process ends (start `python3 kit.py lab`, or set "
                    "CLOVER_SANDBOX_URL, to share one).",
                    file=sys.stderr,
                )
        return str(_local_sandbox.url).rstrip("/")


def connect(
    env: str | None = None,
    *,
    merchant: int = 0,
    journal: Journal | None = None,
    customer_ip: str = "127.0.0.1",
) -> CloverClient:
    """A client for ``env`` ("local", "sandbox" or "production"; default ``CLOVER_ENV``).

    "local" uses ``CLOVER_SANDBOX_URL`` if set, else the sandbox of a running
    ``python3 kit.py lab``, else starts a local sandbox in this process (once), and takes the
    credentials of its demo merchant number ``merchant``; a sandbox that does not answer is
    a :class:`CannotConnectError` saying how to start one.
    "sandbox" and "production" read ``CLOVER_MERCHANT_ID``, ``CLOVER_PRIVATE_KEY`` (or
    ``CLOVER_ACCESS_TOKEN``) and optionally ``CLOVER_API_ACCESS_KEY``. In a notebook, a
    Clover error then shows the learner's own line, not the client's frames.
    """
    from .clover.settings import client_from_env, load_dotenv
    from .notebook import browser_address
    from .notebook.tracebacks import show_clover_errors_briefly

    load_dotenv()
    show_clover_errors_briefly()
    name = (env or os.environ.get("CLOVER_ENV") or DEFAULT_ENV).strip().lower()
    base = _local_base_url() if name == "local" else None
    return client_from_env(
        name,
        sandbox_url=base,
        browser_url=browser_address.browser_url(base) if base else None,
        merchant=merchant,
        journal=journal,
        customer_ip=customer_ip,
    )


def describe_connection(client: CloverClient) -> str:
    """A short, safe-to-print summary of where a client points and with which keys."""
    return client.describe()


__all__ = sorted([*_LAZY, "connect", "describe_connection"])
