"""Schemathesis hooks for tests/reliability/test_schemathesis.py (loaded by its config).

The tokenizer accepts only real test card numbers (Luhn, a known brand, a future expiry), which
no JSON Schema can say; random cards would all be refused, and the stateful run would never get
past its first step (token -> charge -> capture -> refund). So every tokenize request's card gets
a real test card's number, expiry, CVV and brand, keeping whatever else was generated. The
tokenizer's refusals of bad cards are the hand-written fuzzer's and tests/resources' to check.
"""

from __future__ import annotations

from typing import Any

import schemathesis

TEST_CARD = {"number": "4242424242424242", "exp_month": "12", "exp_year": "2030", "cvv": "123"}


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if case.operation.path != "/v1/tokens" or not isinstance(case.body, dict):
        return
    card = case.body.get("card")
    if isinstance(card, dict):
        card.update(TEST_CARD, brand="VISA")
        for field in ("encrypted_pan", "first6", "last4"):
            card.pop(field, None)
