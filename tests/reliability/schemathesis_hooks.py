"""Schemathesis hooks for tests/reliability/test_schemathesis.py (loaded by its config).

The tokenizer accepts only real test card numbers (Luhn, a known brand, a future expiry), which
no JSON Schema can say; random cards would all be refused, and the stateful run would never get
past its first step (token -> charge -> capture -> refund). So every tokenize request's card gets
a real test card's number, expiry, CVV and brand, keeping whatever else was generated. The
tokenizer's refusals of bad cards are the hand-written fuzzer's and tests/resources' to check.
A gift card body gets a test gift card's number, and an ACH body the documented example's
account, for the same reason (gift card token -> balance inquiry, token -> charge).
"""

from __future__ import annotations

from typing import Any

import schemathesis

from helpers.sandbox.openapi.examples import ACH_EXAMPLE

TEST_CARD = {"number": "4242424242424242", "exp_month": "12", "exp_year": "2030", "cvv": "123"}


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if case.operation.path != "/v1/tokens" or not isinstance(case.body, dict):
        return
    gift_card, ach = case.body.get("gift_card"), case.body.get("ach")
    if isinstance(gift_card, dict):
        gift_card.pop("card_number", None)
        gift_card["number"] = "7777010000000001"
    if isinstance(ach, dict):
        ach.update(ACH_EXAMPLE["ach"])
    card = case.body.get("card")
    if isinstance(card, dict):
        card.update(TEST_CARD, brand="VISA")
        for field in ("encrypted_pan", "first6", "last4"):
            card.pop(field, None)
