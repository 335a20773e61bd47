"""Wallet tokens. ``create_apple_pay_token``: Apple Pay's encrypted payment data in, a
single-use ``clv_`` token out (dev: create-applepaywallet-token,
https://docs.clover.com/dev/docs/create-applepaywallet-token), for an app that runs Apple
Pay itself. ``create_sandbox_wallet_token``: the wallet button's local test wallet (dev:
clover-iframe-features-apple-pay): the page's ``paymentReqData`` in, a card token marked
``wallet`` out; local sandbox only, since a real wallet's data comes from Apple's or
Google's payment sheet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..operation import Calls, operation
from ..spec import Spec
from .tokens import Token, token_spec

__all__ = ["Wallet"]


class Wallet(Calls):
    """The wallet calls of the tokenizer."""

    @operation
    def create_apple_pay_token(
        self, payment_data: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Spec[Token]:
        """``POST /v1/tokens`` with ``encryptedWallet.applePayPaymentData``: Apple Pay's
        ``paymentData`` (``data``, ``header``, ``signature``, ``version``, passed on
        unchanged) in, a single-use ``clv_`` token out (dev: create-applepaywallet-token)."""
        body = {"encryptedWallet": {"applePayPaymentData": dict(payment_data)}}
        return token_spec(self, body, idempotency_key)

    @operation
    def create_sandbox_wallet_token(
        self, payment_req_data: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Spec[Token]:
        """``POST /v1/tokens`` with ``sandbox_wallet``: the token the wallet button's test
        wallet makes from ``paymentReqData`` when the page is opened with ``?wallet=test``
        (local sandbox only; Clover's come from the shopper's wallet). Charge it like a
        card token."""
        env = self.environment
        if not env.is_local:
            raise ValueError(
                "the test wallet exists only in the local sandbox; on Clover's "
                f"{env.name} a wallet token comes from the shopper's wallet in the browser"
            )
        body = {"sandbox_wallet": {"paymentReqData": dict(payment_req_data)}}
        return token_spec(self, body, idempotency_key)
