"""Charges against the real local sandbox: whole payment flows."""

from __future__ import annotations

import pytest

from helpers import (
    Card,
    CardError,
    Charge,
    CloverClient,
    IdempotencyError,
    Token,
    test_card,
)


def tokenize(client: CloverClient, outcome: str = "approve", brand: str | None = None) -> Token:
    return client.create_token(test_card(outcome, brand=brand).card())  # type: ignore[arg-type]


def test_pakms_then_token_then_charge(
    live: CloverClient, sandbox_merchants: list[dict[str, str]]
) -> None:
    key = live.get_pakms_key()
    assert key.apiAccessKey == sandbox_merchants[0]["api_access_key"]
    assert key.merchantUuid == live.merchant_id
    token = live.create_token(Card("4242 4242 4242 4242", 12, 2030, "123", address_zip="94105"))
    assert token.id.startswith("clv_") and token.object == "token"
    assert token.card.last4 == "4242" and token.card.brand == "VISA"
    charge = live.create_charge(1358, token, description="Latte")
    assert isinstance(charge, Charge)
    assert (charge.amount, charge.currency, charge.status) == (1358, "usd", "succeeded")
    assert charge.captured is True and charge.paid is True
    assert charge.source.id == token.id and charge.source.last4 == "4242"
    assert len(charge.id) == 13 and charge.id.isalnum() and charge.id.isupper()
    assert live.get_charge(charge.id) == charge


def test_a_decline_card_tokenizes_then_declines(live: CloverClient) -> None:
    token = tokenize(live, "decline")
    with pytest.raises(CardError) as caught:
        live.create_charge(2000, token)
    err = caught.value
    assert (err.status, err.code, err.decline_code) == (402, "card_declined", "issuer_declined")
    assert err.charge is not None
    assert live.get_charge(err.charge).status == "failed"


def test_same_key_replays_and_another_body_is_refused(live: CloverClient) -> None:
    token = tokenize(live)
    first = live.create_charge(1500, token, idempotency_key="order-77")
    assert live.journal.last is not None and live.journal.last.replayed is False
    again = live.create_charge(1500, token, idempotency_key="order-77")
    assert again == first
    assert live.journal.last is not None and live.journal.last.replayed is True
    assert len(live.list_charges().data) == 1
    with pytest.raises(IdempotencyError) as caught:
        live.create_charge(1600, token, idempotency_key="order-77")
    assert caught.value.status == 400 and caught.value.idempotency_key == "order-77"


def test_paging_through_every_charge(live: CloverClient) -> None:
    made = [live.create_charge(100 + i, tokenize(live)).id for i in range(5)]
    page = live.list_charges(limit=2)
    assert len(page.data) == 2 and page.has_more is True
    every = [charge.id for charge in live.iter_charges(page_size=2)]
    assert sorted(every) == sorted(made) and len(every) == 5
    newest = live.list_charges(limit=1).data[0]
    created = live.list_charges(created_gte=newest.created, created_lte=newest.created)
    assert [c.id for c in created] == [newest.id]
