"""The test wallet through the client against the local sandbox: a token marked as the
wallet's, a charge it pays, and a bad `paymentReqData` named in the client's error."""

from __future__ import annotations

import pytest

from helpers import CloverClient, InvalidRequestError

from .test_http import DATA


def test_a_wallet_token_pays_and_a_bad_total_is_named(live: CloverClient) -> None:
    token = live.create_sandbox_wallet_token(DATA)
    assert token.wallet.type == "sandbox_test" and token.card.last4 == "1111"
    charge = live.create_charge(1099, token)
    assert charge.status == "succeeded"
    with pytest.raises(InvalidRequestError) as refused:
        live.create_sandbox_wallet_token({"total": {"label": "Demo total", "amount": -5}})
    assert refused.value.param == "sandbox_wallet.paymentReqData.total.amount"
