"""The wallet button's local test wallet (dev: clover-iframe-features-apple-pay,
https://docs.clover.com/dev/docs/clover-iframe-features-apple-pay): the page's
``paymentReqData`` in, a single-use ``clv_`` card token marked ``wallet`` out, by the public
``apikey``. Local sandbox only: Clover makes wallet tokens from the wallet's encrypted
payment data, which only Apple's or Google's payment sheet can give."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..spec import Spec
from .tokens import Token

if TYPE_CHECKING:
    from ..environments import Environment

__all__ = ["create_sandbox_wallet_token"]


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
