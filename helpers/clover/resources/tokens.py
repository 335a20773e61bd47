"""Card tokens (``POST /v1/tokens`` on the tokenizer): raw card data in, a ``clv_`` token
out, authenticated by the merchant's public ``apikey``, never by the Bearer token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..cards import Card
from ..objects import CloverObject
from ..operation import Calls, operation
from ..spec import Spec

__all__ = ["Token", "Tokens", "token_spec"]


class Token(CloverObject):
    """A single-use ``clv_`` card token from ``POST /v1/tokens``."""


def token_spec(calls: Calls, body: Mapping[str, Any], idempotency_key: str | None) -> Spec[Token]:
    """``POST /v1/tokens`` on the tokenizer with the ``apikey`` header: every kind of token
    (card, gift card, ACH, wallet) is this request with another body."""
    return Spec(
        "POST",
        f"{calls.environment.tokenizer_url}/v1/tokens",
        dict(body),
        auth="apikey",
        idempotency_key=idempotency_key,
        read=Token,
    )


def _card_fields(card: Card | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(card, Card):
        return card.to_wire()
    return dict(card.get("card", card))


class Tokens(Calls):
    """The card calls of the tokenizer."""

    @operation
    def create_token(
        self, card: Card | Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Spec[Token]:
        """``POST /v1/tokens`` on the tokenizer: raw card data in, a single-use ``clv_`` out.

        ``card`` is a Card, its wire dict, or a whole body. Authenticated by the public
        ``apikey`` header, never by the Bearer token.
        """
        if isinstance(card, Mapping) and "card" in card:
            return token_spec(self, card, idempotency_key)
        return token_spec(self, {"card": _card_fields(card)}, idempotency_key)

    @operation
    def create_multipay_token(
        self, card: Card | Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Spec[Token]:
        """``POST /v1/tokens`` with ``"multipay": true``: a token that may be charged more
        than once, as a stored credential (what ``clover.createToken(true)`` asks for in the
        browser). The flag's name is the local sandbox's; on Clover, save the card to a
        customer instead, which makes its token multi-pay."""
        return token_spec(self, {"card": _card_fields(card), "multipay": True}, idempotency_key)
