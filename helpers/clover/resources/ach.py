"""ACH bank payments through TeleCheck (docs: create-an-ach-token,
https://docs.clover.com/docs/create-an-ach-token; internet-check-acceptance): the bank
account and the customer's identification in, a ``clv_`` token out, by the public
``apikey``. Charge it like a card; the charge is ``pending`` until the bank settles it,
days later, or returns it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..operation import Calls, operation
from ..spec import Spec
from .tokens import Token, token_spec

__all__ = ["Ach"]


class Ach(Calls):
    """The ACH call of the tokenizer."""

    @operation
    def create_ach_token(
        self, ach_fields: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Spec[Token]:
        """``POST /v1/tokens`` with ``ach``: a US bank account and the customer's
        identification in, a ``clv_`` token out, by the public ``apikey``; its charge is
        ``pending`` until the bank settles or returns it.

        Pass the fields exactly as Clover names them (``bank_account_number``,
        ``bank_routing_number``, ``account_type``, ``check_type``, ``customer_id_type``,
        ``customer_id_state``, ``customer_id``, names, ``email``, ``phone``, the address,
        and ``agreement``: ``{"agreement_id", "type"?, "locale"?, "template_data"?}``, the
        agreement the shopper accepted on Clover's disclaimer template, docs:
        internet-check-acceptance).
        """
        return token_spec(self, {"ach": dict(ach_fields)}, idempotency_key)
