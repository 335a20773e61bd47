"""ACH bank payments through TeleCheck (docs: create-an-ach-token,
https://docs.clover.com/docs/create-an-ach-token; internet-check-acceptance): the bank
account and the customer's identification in, a ``clv_`` token out, by the public
``apikey``. Charge it like a card; the charge is ``pending`` until the bank settles it,
days later, or returns it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..spec import Spec
from .tokens import Token

if TYPE_CHECKING:
    from ..environments import Environment

__all__ = ["create_ach_token"]


def create_ach_token(
    env: Environment, ach: Mapping[str, Any], idempotency_key: str | None
) -> Spec[Token]:
    """``POST /v1/tokens`` ``{"ach": {...}}``: pass the fields exactly as Clover names them
    (``bank_account_number``, ``bank_routing_number``, ``account_type``, ``check_type``,
    ``customer_id_type``, ``customer_id_state``, ``customer_id``, names, ``email``,
    ``phone``, the address, and ``agreement``: ``{"agreement_id", "type"?, "locale"?,
    "template_data"?}``, the agreement the shopper accepted on Clover's disclaimer
    template, docs: internet-check-acceptance)."""
    return Spec(
        "POST",
        f"{env.tokenizer_url}/v1/tokens",
        {"ach": dict(ach)},
        auth="apikey",
        idempotency_key=idempotency_key,
        read=Token,
    )
