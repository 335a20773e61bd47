"""Card tokens (``POST /v1/tokens`` on the tokenizer): raw card data in, a ``clv_`` token
out, authenticated by the merchant's public ``apikey``, never by the Bearer token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..cards import Card
from ..objects import CloverObject
from ..spec import Spec

if TYPE_CHECKING:
    from ..environments import Environment

__all__ = ["Token", "create_multipay_token", "create_token"]


class Token(CloverObject):
    """A single-use ``clv_`` card token from ``POST /v1/tokens``."""


def _card_fields(card: Card | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(card, Card):
        return card.to_wire()
    return dict(card.get("card", card))


def create_token(
    env: Environment, card: Card | Mapping[str, Any], idempotency_key: str | None
) -> Spec[Token]:
    """``POST /v1/tokens`` with the ``apikey`` header: a Card, its wire dict, or a full body."""
    if isinstance(card, Mapping) and "card" in card:
        payload = dict(card)
    else:
        payload = {"card": _card_fields(card)}
    return Spec(
        "POST",
        f"{env.tokenizer_url}/v1/tokens",
        payload,
        auth="apikey",
        idempotency_key=idempotency_key,
        read=Token,
    )


def create_multipay_token(
    env: Environment, card: Card | Mapping[str, Any], idempotency_key: str | None
) -> Spec[Token]:
    """A token with ``"multipay": true`` (the local sandbox's flag for a stored credential)."""
    return create_token(env, {"card": _card_fields(card), "multipay": True}, idempotency_key)
