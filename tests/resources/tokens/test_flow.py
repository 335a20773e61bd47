"""Card tokens against the real local sandbox."""

from __future__ import annotations

import pytest

from helpers import (
    Card,
    CardError,
    CloverClient,
    InvalidRequestError,
    Token,
    test_card,
)


def tokenize(client: CloverClient, outcome: str = "approve", brand: str | None = None) -> Token:
    return client.create_token(test_card(outcome, brand=brand).card())  # type: ignore[arg-type]


def test_token_is_single_use(live: CloverClient) -> None:
    token = tokenize(live)
    live.create_charge(100, token)
    with pytest.raises(InvalidRequestError) as caught:
        live.create_charge(100, token)
    assert caught.value.code == "token_already_used"
    assert caught.value.param == "source"


def test_bad_card_data_is_a_card_error_on_the_token(live: CloverClient) -> None:
    with pytest.raises(CardError) as caught:
        live.create_token(Card("4242424242424241", 12, 2030, "123"))
    assert caught.value.status == 400 and caught.value.code == "invalid_number"
    with pytest.raises(CardError) as expired:
        live.create_token(Card("4242424242424242", 1, 2020, "123"))
    assert expired.value.code == "expired_card"
