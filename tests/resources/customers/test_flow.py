"""Cards on file against the real local sandbox: customers, saved cards, multi-pay tokens."""

from __future__ import annotations

import asyncio

import pytest

from helpers import AsyncCloverClient, CloverClient, InvalidRequestError, test_card
from helpers.clover.resources.customers import Customer, stored_credentials

VISA = test_card("approve", brand="VISA")


def test_card_on_file_from_first_charge_to_revocation(live: CloverClient) -> None:
    token = live.create_token(VISA.card())
    first = live.create_charge(
        1500,
        token,
        intent="save_credential_on_file",
        stored_credentials=stored_credentials("FIRST", "CARDHOLDER"),
    )
    customer = live.create_customer(token, email="ada@example.com", first_name="Ada")
    assert isinstance(customer, Customer) and customer.name == "Ada"
    [card_id] = customer.sources.data

    again = live.create_charge(
        900, customer.id, stored_credentials=stored_credentials("SUBSEQUENT", "CARDHOLDER")
    )
    assert again.customer == customer.id and again.source.id == card_id
    assert again.warning_message is None and first.warning_message is None
    monthly = live.create_charge(
        999,
        token,
        stored_credentials=stored_credentials("SUBSEQUENT", "MERCHANT", is_scheduled=True),
    )
    assert monthly.status == "succeeded"
    assert [c.amount for c in live.list_charges(customer=customer.id)] == [999, 900]

    assert live.get_customer(customer).sources.data == [card_id]
    assert live.revoke_card(customer, card_id).deleted is True
    with pytest.raises(InvalidRequestError) as caught:
        live.create_charge(900, customer.id)
    assert caught.value.code == "card_on_file_missing"


def test_a_multipay_token_from_the_client(live: CloverClient) -> None:
    token = live.create_multipay_token(VISA.card())
    for sequence in ("FIRST", "SUBSEQUENT"):
        live.create_charge(
            100, token, stored_credentials=stored_credentials(sequence, "CARDHOLDER")
        )  # type: ignore[arg-type]
    twice = live.update_customer(
        live.create_customer(token, email="ada@example.com").id,
        source=live.create_token(test_card("approve", brand="AMEX").card()),
    )
    assert len(twice.sources.data) == 2


def test_the_async_client_saves_charges_and_forgets_a_card(live: CloverClient) -> None:
    async def card_on_file() -> tuple[Customer, str, bool]:
        async with AsyncCloverClient.from_client(live) as client:
            token = await client.create_token(VISA.card())
            customer = await client.create_customer(token, email="grace@example.com")
            charge = await client.create_charge(
                700, customer.id, stored_credentials=stored_credentials("SUBSEQUENT", "MERCHANT")
            )
            deleted = await client.revoke_card(customer, customer.sources.data[0])
            return customer, charge.customer, deleted.deleted

    customer, charged, deleted = asyncio.run(card_on_file())
    assert charged == customer.id and deleted is True
    assert live.get_customer(customer).email == "grace@example.com"
