"""Clover Gift Cards (docs: gift-card-api, https://docs.clover.com/docs/gift-card-api):
a gift card token from the tokenizer, then its balance, reload and cashout on the
Ecommerce API. Redeeming is a charge: ``create_charge(amount, token,
partial_redemption=True)``, whose ``amount`` says what was taken off the card."""

from __future__ import annotations

from ..objects import CloverObject
from ..operation import Calls, operation
from ..spec import Ref, Spec, cents, drop_none, object_id
from .tokens import Token, token_spec

__all__ = ["GiftCardBalance", "GiftCardTransaction", "GiftCards", "RefundVoid"]


class GiftCardBalance(CloverObject):
    """``POST /v1/balance_inquiry``: ``gift_card.new_balance`` is what is on the card."""


class GiftCardTransaction(CloverObject):
    """A reload, a cashout or an activation: ``gift_card.previous_balance`` and
    ``new_balance``."""


class RefundVoid(CloverObject):
    """``POST /v1/refunds/{id}/cancel``: ``object`` ``void_on_refund``, the money taken
    back off the gift card (``gift_card.new_balance``)."""


class GiftCards(Calls):
    """The gift card calls: a token on the tokenizer, the rest on the Ecommerce API."""

    @operation
    def create_gift_card_token(
        self,
        number: str,
        security_code: str | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Spec[Token]:
        """``POST /v1/tokens`` with ``gift_card``: a gift card's number (and its SCV) in,
        a ``clv_`` token out, by the public ``apikey`` (docs: create-a-gift-card-token).
        Redeem it with ``create_charge(amount, token, partial_redemption=True)``."""
        gift_card = drop_none({"number": str(number), "security_code": security_code})
        return token_spec(self, {"gift_card": gift_card}, idempotency_key)

    @operation
    def get_gift_card_balance(self, source: Ref) -> Spec[GiftCardBalance]:
        """``POST /v1/balance_inquiry``: ``gift_card.new_balance`` in cents (a read,
        though Clover makes it a POST)."""
        return Spec(
            "POST",
            f"{self.environment.ecommerce_url}/v1/balance_inquiry",
            {"source": object_id(source)},
            read=GiftCardBalance,
        )

    @operation
    def reload_gift_card(
        self,
        source: Ref,
        amount: int,
        currency: str = "usd",
        *,
        idempotency_key: str | None = None,
    ) -> Spec[GiftCardTransaction]:
        """``POST /v1/reload``: add ``amount`` cents to the gift card."""
        cents("amount", amount)
        return Spec(
            "POST",
            f"{self.environment.ecommerce_url}/v1/reload",
            {"source": object_id(source), "amount": amount, "currency": currency},
            idempotency_key=idempotency_key,
            read=GiftCardTransaction,
        )

    @operation
    def cashout_gift_card(
        self, source: Ref, *, idempotency_key: str | None = None
    ) -> Spec[GiftCardTransaction]:
        """``POST /v1/cashout``: take the whole balance off the gift card, paid in cash."""
        return Spec(
            "POST",
            f"{self.environment.ecommerce_url}/v1/cashout",
            {"source": object_id(source)},
            idempotency_key=idempotency_key,
            read=GiftCardTransaction,
        )

    @operation
    def activate_gift_card(
        self,
        source: Ref | None = None,
        *,
        promotion_code: str | None = None,
        amount: int | None = None,
        currency: str = "usd",
        idempotency_key: str | None = None,
    ) -> Spec[GiftCardTransaction]:
        """``POST /v1/activate``: a physical card's token, or a ``promotion_code`` for a
        new virtual card (its number and SCV are in ``gift_card``); ``amount`` for a
        non-denominated card (https://docs.clover.com/docs/gift-card-api)."""
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
            f"{self.environment.ecommerce_url}/v1/activate",
            body,
            idempotency_key=idempotency_key,
            read=GiftCardTransaction,
        )

    @operation
    def cancel_gift_card_refund(
        self, refund: Ref, *, reason: str | None = None, idempotency_key: str | None = None
    ) -> Spec[RefundVoid]:
        """``POST /v1/refunds/{id}/cancel``: void a refund to a gift card; the money
        leaves the card again (docs: gift-card-api, "Void of reload or refund"). A reload
        or cashout is voided with ``create_refund``."""
        return Spec(
            "POST",
            f"{self.environment.ecommerce_url}/v1/refunds/{object_id(refund)}/cancel",
            drop_none({"reason": reason}),
            idempotency_key=idempotency_key,
            read=RefundVoid,
        )
