"""Clover Gift Cards (docs: gift-card-api, https://docs.clover.com/docs/gift-card-api):
a gift card token from the tokenizer, then its balance, reload and cashout on the
Ecommerce API. Redeeming is a charge: ``create_charge(amount, token,
partial_redemption=True)``, whose ``amount`` says what was taken off the card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..objects import CloverObject
from ..spec import Ref, Spec, cents, drop_none, object_id
from .tokens import Token

if TYPE_CHECKING:
    from ..environments import Environment

__all__ = [
    "GiftCardBalance",
    "GiftCardTransaction",
    "RefundVoid",
    "activate_gift_card",
    "cancel_gift_card_refund",
    "cashout_gift_card",
    "create_gift_card_token",
    "get_gift_card_balance",
    "reload_gift_card",
]


class GiftCardBalance(CloverObject):
    """``POST /v1/balance_inquiry``: ``gift_card.new_balance`` is what is on the card."""


class GiftCardTransaction(CloverObject):
    """A reload, a cashout or an activation: ``gift_card.previous_balance`` and
    ``new_balance``."""


class RefundVoid(CloverObject):
    """``POST /v1/refunds/{id}/cancel``: ``object`` ``void_on_refund``, the money taken
    back off the gift card (``gift_card.new_balance``)."""


def create_gift_card_token(
    env: Environment, number: str, security_code: str | None, idempotency_key: str | None
) -> Spec[Token]:
    """``POST /v1/tokens`` ``{"gift_card": {"number", "security_code"?}}`` with the
    ``apikey`` header (docs: create-a-gift-card-token)."""
    gift_card = drop_none({"number": str(number), "security_code": security_code})
    return Spec(
        "POST",
        f"{env.tokenizer_url}/v1/tokens",
        {"gift_card": gift_card},
        auth="apikey",
        idempotency_key=idempotency_key,
        read=Token,
    )


def get_gift_card_balance(env: Environment, source: Ref) -> Spec[GiftCardBalance]:
    """``POST /v1/balance_inquiry {"source"}``: a read, though Clover makes it a POST."""
    return Spec(
        "POST",
        f"{env.ecommerce_url}/v1/balance_inquiry",
        {"source": object_id(source)},
        read=GiftCardBalance,
    )


def reload_gift_card(
    env: Environment, source: Ref, amount: int, currency: str, idempotency_key: str | None
) -> Spec[GiftCardTransaction]:
    """``POST /v1/reload {"source", "amount", "currency"}``: money onto the card."""
    cents("amount", amount)
    return Spec(
        "POST",
        f"{env.ecommerce_url}/v1/reload",
        {"source": object_id(source), "amount": amount, "currency": currency},
        idempotency_key=idempotency_key,
        read=GiftCardTransaction,
    )


def cashout_gift_card(
    env: Environment, source: Ref, idempotency_key: str | None
) -> Spec[GiftCardTransaction]:
    """``POST /v1/cashout {"source"}``: the whole balance off the card, paid in cash."""
    return Spec(
        "POST",
        f"{env.ecommerce_url}/v1/cashout",
        {"source": object_id(source)},
        idempotency_key=idempotency_key,
        read=GiftCardTransaction,
    )


def activate_gift_card(
    env: Environment,
    source: Ref | None,
    promotion_code: str | None,
    amount: int | None,
    currency: str,
    idempotency_key: str | None,
) -> Spec[GiftCardTransaction]:
    """``POST /v1/activate``: a physical card by its token (``source``), or a new virtual
    card by ``promotion_code``; ``amount`` for a non-denominated card (docs: gift-card-api,
    https://docs.clover.com/docs/gift-card-api)."""
    if amount is not None:
        cents("amount", amount)
    body = drop_none(
        {
            "source": None if source is None else object_id(source),
            "promotion_code": promotion_code,
            "amount": amount,
            "currency": None if amount is None else currency,
        }
    )
    return Spec(
        "POST",
        f"{env.ecommerce_url}/v1/activate",
        body,
        idempotency_key=idempotency_key,
        read=GiftCardTransaction,
    )


def cancel_gift_card_refund(
    env: Environment, refund: Ref, reason: str | None, idempotency_key: str | None
) -> Spec[RefundVoid]:
    """``POST /v1/refunds/{id}/cancel``: void a refund to a gift card (docs: gift-card-api,
    "Void of reload or refund")."""
    return Spec(
        "POST",
        f"{env.ecommerce_url}/v1/refunds/{object_id(refund)}/cancel",
        drop_none({"reason": reason}),
        idempotency_key=idempotency_key,
        read=RefundVoid,
    )
