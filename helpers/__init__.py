"""Helpers for learning Clover's Ecommerce (card-not-present) payments API in notebooks.

Start with ``client = connect()``: it reads ``.env`` and returns a :class:`CloverClient`
for the local sandbox (the default), Clover's sandbox or production.

The package has three wings: ``helpers.clover`` is what a merchant's app would ship (the
clients, one module per Clover resource, OAuth, errors, retries, webhooks);
``helpers.notebook`` is what only a learner needs (tables, reports, checks, widgets);
``helpers.sandbox`` is the local stand-in for Clover's servers. Every name a notebook uses
is importable from ``helpers`` itself.
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

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

# Public names load on first use (PEP 562), so that importing the sandbox, which lives in
# this package too, loads none of the client's modules.
_LAZY: dict[str, str] = {
    **dict.fromkeys(["AsyncCloverClient"], ".clover.async_client"),
    **dict.fromkeys(
        [
            "TEST_CARDS",
            "Card",
            "TestCard",
            "brand_of",
            "expiry_in_future",
            "luhn_valid",
            "mask_last4",
            "mask_pan",
            "local_decline_card",
            "test_card",
            "test_cards_table",
        ],
        ".clover.cards",
    ),
    **dict.fromkeys(["CloverClient"], ".clover.client"),
    **dict.fromkeys(["CardEncryptionKey", "fetch_card_key"], ".clover.encryption"),
    **dict.fromkeys(["ENVIRONMENTS", "Environment"], ".clover.environments"),
    **dict.fromkeys(
        [
            "APIConnectionError",
            "APIError",
            "AVSMismatchError",
            "AuthenticationError",
            "CannotConnectError",
            "CardError",
            "CloverError",
            "ExpiredCardError",
            "FraudSuspectedError",
            "IdempotencyError",
            "IncorrectCVCError",
            "InsufficientFundsError",
            "InvalidRequestError",
            "ProcessorUnavailableError",
            "RateLimitError",
        ],
        ".clover.errors",
    ),
    **dict.fromkeys(["Journal", "JournalEntry", "mask_payload", "mask_url"], ".clover.journal"),
    **dict.fromkeys(
        [
            "CloverOAuth",
            "MerchantClient",
            "OAuthFlowError",
            "OAuthToken",
            "TokenStore",
            "oauth_app",
        ],
        ".clover.oauth",
    ),
    **dict.fromkeys(["CloverObject", "ListPage"], ".clover.objects"),
    **dict.fromkeys(
        ["AppWebhookMessage", "AppWebhookReceiver", "verify_app_webhook"], ".clover.app_webhooks"
    ),
    **dict.fromkeys(["Charge"], ".clover.resources.charges"),
    **dict.fromkeys(
        ["Customer", "DeletedCard", "stored_credentials"], ".clover.resources.customers"
    ),
    **dict.fromkeys(
        ["GiftCardBalance", "GiftCardTransaction", "RefundVoid"], ".clover.resources.gift_cards"
    ),
    **dict.fromkeys(
        ["CheckoutSession", "checkout_customer", "line_item"], ".clover.resources.hosted_checkout"
    ),
    **dict.fromkeys(["Order", "shipping", "sku", "tax", "tax_rate"], ".clover.resources.orders"),
    **dict.fromkeys(["PakmsKey"], ".clover.resources.pakms"),
    **dict.fromkeys(["Invoice", "Plan", "Subscription"], ".clover.resources.recurring"),
    **dict.fromkeys(["Refund"], ".clover.resources.refunds"),
    **dict.fromkeys(["clover_threeds", "non_clover_threeds"], ".clover.resources.threeds"),
    **dict.fromkeys(["Token"], ".clover.resources.tokens"),
    **dict.fromkeys(["NO_RETRIES", "RetryPolicy"], ".clover.retries"),
    **dict.fromkeys(["MissingSettingError", "local_merchants"], ".clover.settings"),
    **dict.fromkeys(
        ["WebhookError", "WebhookReceiver", "sign_webhook", "verify_webhook"], ".clover.webhooks"
    ),
    **dict.fromkeys(
        [
            "check",
            "check_authorization",
            "check_book_charge",
            "check_cancel_prediction",
            "check_card_replacement",
            "check_encrypted_token",
            "check_going_live",
            "check_harbor_install",
            "check_integration_choices",
            "check_lost_answer",
            "check_dunning_prediction",
            "check_net_captured",
            "check_next_step",
            "check_order_prediction",
            "check_recovered_attempt",
            "check_refund_prediction",
            "check_webhook_dedupe",
            "check_retry_prediction",
            "check_declined_after_gift_card",
            "check_failed_challenge",
            "check_wallet_charge",
        ],
        ".notebook.checks",
    ),
    **dict.fromkeys(["LocalSandbox"], ".notebook.local_controls"),
    **dict.fromkeys(["daily_plot", "ledger", "net_captured", "summary"], ".notebook.reports"),
    **dict.fromkeys(["pay_on_checkout_page"], ".notebook.shopper"),
    **dict.fromkeys(["quiz"], ".notebook.quiz"),
    **dict.fromkeys(["charges_table", "refunds_table"], ".notebook.tables"),
    **dict.fromkeys(["CardForm", "CheckoutWidget"], ".notebook.widgets"),
}
_SUBMODULES = {"errors": ".clover.errors"}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(_SUBMODULES[name], __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "ENVIRONMENTS",
    "NO_RETRIES",
    "TEST_CARDS",
    "APIConnectionError",
    "APIError",
    "AVSMismatchError",
    "AppWebhookMessage",
    "AppWebhookReceiver",
    "AsyncCloverClient",
    "AuthenticationError",
    "CannotConnectError",
    "Card",
    "CardEncryptionKey",
    "CardError",
    "CardForm",
    "Charge",
    "CheckoutSession",
    "CheckoutWidget",
    "CloverClient",
    "CloverError",
    "CloverOAuth",
    "CloverObject",
    "Customer",
    "DeletedCard",
    "Environment",
    "ExpiredCardError",
    "FraudSuspectedError",
    "GiftCardBalance",
    "GiftCardTransaction",
    "IdempotencyError",
    "IncorrectCVCError",
    "InsufficientFundsError",
    "InvalidRequestError",
    "Invoice",
    "Journal",
    "JournalEntry",
    "ListPage",
    "LocalSandbox",
    "MerchantClient",
    "MissingSettingError",
    "OAuthFlowError",
    "OAuthToken",
    "Order",
    "PakmsKey",
    "Plan",
    "ProcessorUnavailableError",
    "RateLimitError",
    "Refund",
    "RefundVoid",
    "RetryPolicy",
    "Subscription",
    "TestCard",
    "Token",
    "TokenStore",
    "WebhookError",
    "WebhookReceiver",
    "brand_of",
    "charges_table",
    "check",
    "check_authorization",
    "check_book_charge",
    "check_cancel_prediction",
    "check_card_replacement",
    "check_declined_after_gift_card",
    "check_dunning_prediction",
    "check_encrypted_token",
    "check_failed_challenge",
    "check_going_live",
    "check_harbor_install",
    "check_integration_choices",
    "check_lost_answer",
    "check_net_captured",
    "check_next_step",
    "check_order_prediction",
    "check_recovered_attempt",
    "check_refund_prediction",
    "check_retry_prediction",
    "check_wallet_charge",
    "check_webhook_dedupe",
    "checkout_customer",
    "clover_threeds",
    "connect",
    "daily_plot",
    "describe_connection",
    "errors",
    "expiry_in_future",
    "fetch_card_key",
    "ledger",
    "line_item",
    "local_decline_card",
    "local_merchants",
    "luhn_valid",
    "mask_last4",
    "mask_pan",
    "mask_payload",
    "mask_url",
    "net_captured",
    "non_clover_threeds",
    "oauth_app",
    "pay_on_checkout_page",
    "quiz",
    "refunds_table",
    "shipping",
    "sign_webhook",
    "sku",
    "stored_credentials",
    "summary",
    "tax",
    "tax_rate",
    "test_card",
    "test_cards_table",
    "verify_app_webhook",
    "verify_webhook",
]

DEFAULT_ENV = "local"
DEFAULT_SEED = "2026"


_sandbox_lock = threading.Lock()
_local_sandbox: Any = None


def _local_base_url() -> str:
    """The local sandbox's URL: ``CLOVER_SANDBOX_URL``; when it is unset, the sandbox of a
    running ``kit.py lab`` (see :mod:`helpers.lab`); else one started in this process. Set
    but empty, it means "a sandbox of this process's own" (the test suite's choice)."""
    url = os.environ.get("CLOVER_SANDBOX_URL")
    if url:
        return url.rstrip("/")
    if url is None:
        from .lab import lab_sandbox_url

        found = lab_sandbox_url()
        if found:
            return found
    global _local_sandbox
    with _sandbox_lock:
        if _local_sandbox is None:
            from .sandbox import Sandbox

            seed = int(os.environ.get("CLOVER_SANDBOX_SEED", DEFAULT_SEED))
            _local_sandbox = Sandbox(seed=seed).start()
            atexit.register(_local_sandbox.stop)
            if url is None:  # not asked for: say so, or a script's objects vanish unexplained
                print(
                    f"helpers: no running lab sandbox and CLOVER_SANDBOX_URL unset, so a "
                    f"sandbox was started inside this process at {_local_sandbox.url}; its "
                    "objects go when the process ends (start `python3 kit.py lab`, or set "
                    "CLOVER_SANDBOX_URL, to share one).",
                    file=sys.stderr,
                )
        return str(_local_sandbox.url).rstrip("/")


def _demo_merchants(base: str) -> list[dict[str, Any]]:
    """The local sandbox's demo merchants; a sandbox that is not there is a short
    :class:`~helpers.clover.errors.CannotConnectError` naming the URL and the fix."""
    import httpx

    from .clover import wire
    from .clover.settings import local_merchants

    try:
        return local_merchants(base)
    except httpx.ConnectError as exc:
        failure = exc  # raised outside this block: no httpx traceback chained to it
    raise wire.cannot_connect(base, failure, local=True)


def _setting(names: tuple[str, ...], env: str, what: str) -> str:
    from .clover.settings import MissingSettingError

    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    wanted = " or ".join(names)
    raise MissingSettingError(
        f"{wanted} is not set, and connect({env!r}) needs {what}. Put a line "
        f"'{names[0]}=...' in the .env file at the project root, "
        f"or export it before starting Jupyter."
    )


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
    from .clover.client import CloverClient
    from .clover.environments import ENVIRONMENTS, Environment
    from .clover.settings import load_dotenv
    from .notebook import browser_address
    from .notebook.tracebacks import show_clover_errors_briefly

    load_dotenv()
    show_clover_errors_briefly()
    name = (env or os.environ.get("CLOVER_ENV") or DEFAULT_ENV).strip().lower()
    if name == "local":
        base = _local_base_url()
        merchants = _demo_merchants(base)
        if not 0 <= merchant < len(merchants):
            raise ValueError(
                f"merchant={merchant} but the local sandbox has {len(merchants)} demo "
                f"merchants (0 to {len(merchants) - 1})"
            )
        chosen: Mapping[str, Any] = merchants[merchant]
        environment = Environment.local(base, browser_url=browser_address.browser_url(base))
        return CloverClient(
            environment,
            str(chosen["private_key"]),
            merchant_id=str(chosen["merchant_id"]),
            api_access_key=chosen.get("api_access_key"),
            journal=journal,
            customer_ip=customer_ip,
        )
    if name not in ENVIRONMENTS:
        known = ", ".join(["local", *ENVIRONMENTS])
        raise ValueError(f"unknown Clover environment {name!r}; use one of: {known}")
    if merchant != 0:
        raise ValueError(
            f"merchant={merchant} picks one of the local sandbox's demo merchants; "
            f"on Clover's {name}, connect() takes the merchant of "
            "CLOVER_MERCHANT_ID (reach another merchant through OAuth, notebook 03)"
        )
    merchant_id = _setting(("CLOVER_MERCHANT_ID",), name, "the merchant id")
    token = _setting(
        ("CLOVER_PRIVATE_KEY", "CLOVER_ACCESS_TOKEN"),
        name,
        "an Ecommerce private key or an OAuth access token",
    )
    environment = ENVIRONMENTS[name]
    browser_url = os.environ.get("CLOVER_BROWSER_URL")
    if browser_url:
        environment = environment.with_browser_url(browser_url)
    return CloverClient(
        environment,
        token,
        merchant_id=merchant_id,
        api_access_key=os.environ.get("CLOVER_API_ACCESS_KEY") or None,
        journal=journal,
        customer_ip=customer_ip,
    )


def describe_connection(client: CloverClient) -> str:
    """A short, safe-to-print summary of where a client points and with which keys."""
    return client.describe()
