"""Wallet tokens. ``create_apple_pay_token``: Apple Pay's encrypted payment data in, a
single-use ``clv_`` token out (dev: create-applepaywallet-token,
https://docs.clover.com/dev/docs/create-applepaywallet-token), for an app that runs Apple
Pay itself. ``create_sandbox_wallet_token``: the wallet button's local test wallet (dev:
clover-iframe-features-apple-pay): the page's ``paymentReqData`` in, a card token marked
``wallet`` out; local sandbox only, since a real wallet's data comes from Apple's or
Google's payment sheet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..spec import Spec
from .tokens import Token

if TYPE_CHECKING:
    from ..environments import Environment

__all__ = ["create_apple_pay_token", "create_sandbox_wallet_token"]


def create_apple_pay_token(
    env: Environment, payment_data: Mapping[str, Any], idempotency_key: str | None
) -> Spec[Token]:
    """``POST /v1/tokens`` ``{"encryptedWallet": {"applePayPaymentData": ...}}``, with the
    ``apikey``: ``payment_data`` is the Apple Pay payment token's ``paymentData``
    (``data``, ``header``, ``signature``, ``version``), passed on unchanged."""
    return Spec(
        "POST",
        f"{env.tokenizer_url}/v1/tokens",
        {"encryptedWallet": {"applePayPaymentData": dict(payment_data)}},
        auth="apikey",
        idempotency_key=idempotency_key,
        read=Token,
    )


def create_sandbox_wallet_token(
    env: Environment, payment_req_data: Mapping[str, Any], idempotency_key: str | None
) -> Spec[Token]:
    """``POST /v1/tokens`` ``{"sandbox_wallet": {"paymentReqData": ...}}``, what the wallet
    button sends when the merchant page is opened with ``?wallet=test``."""
    if not env.is_local:
        raise ValueError(
            "the test wallet exists only in the local sandbox; on Clover's "
            f"{env.name} a wallet token comes from the shopper's wallet in the browser"
        )
    return Spec(
        "POST",
        f"{env.tokenizer_url}/v1/tokens",
        {"sandbox_wallet": {"paymentReqData": dict(payment_req_data)}},
        auth="apikey",
        idempotency_key=idempotency_key,
        read=Token,
    )
