"""Declines that differ: each local decline card answers its own reason, over HTTP and
through both clients' typed errors; Clover's documented decline cards keep their answer.

Clover's page: https://docs.clover.com/docs/test-card-numbers (decline cards) and
https://docs.clover.com/docs/ecommerce-error-codes (codes and messages to buyers).
"""

from __future__ import annotations

import asyncio

import pytest

from helpers import (
    AsyncCloverClient,
    AVSMismatchError,
    CardError,
    CloverClient,
    Environment,
    ExpiredCardError,
    FraudSuspectedError,
    IncorrectCVCError,
    InsufficientFundsError,
    ProcessorUnavailableError,
    local_decline_card,
    test_card,
)
from helpers.card_rules import LOCAL_DECLINES, luhn_valid
from helpers.clover.errors import error_from_response
from tests.support import assert_error, bearer, charge

CASES = [
    # reason, error.code, class, source check that fails
    ("insufficient_funds", "card_declined", InsufficientFundsError, None),
    ("expired_card", "expired_card", ExpiredCardError, None),
    ("cvv_mismatch", "incorrect_cvc", IncorrectCVCError, "cvc_check"),
    ("avs_mismatch", "card_declined", AVSMismatchError, "address_zip_check"),
    ("suspected_fraud", "card_declined", FraudSuspectedError, None),
    ("processor_unavailable", "processing_error", ProcessorUnavailableError, None),
]


def test_every_reason_has_a_card_and_a_case() -> None:
    assert sorted(LOCAL_DECLINES.values()) == sorted(case[0] for case in CASES)
    for number in LOCAL_DECLINES:
        assert luhn_valid(number) and len(number) == 16 and number.startswith("4")
    documented = {card.number for card in __import__("helpers").TEST_CARDS}
    assert not documented & set(LOCAL_DECLINES), "a local card must not shadow Clover's"


@pytest.mark.parametrize(("reason", "code", "cls", "failed_check"), CASES)
def test_each_local_card_declines_with_its_reason(http, merchant, reason, code, cls, failed_check):
    card = local_decline_card(reason)
    response = charge(
        http, merchant, 2500, card={"number": card.number, "brand": "VISA", "cvv": "123"}
    )
    error = assert_error(response, 402, code)
    assert error["type"] == "card_error"
    assert error["declineCode"] == error["decline_code"] == reason
    stored = http.get(f"/v1/charges/{error['charge']}", headers=bearer(merchant)).json()
    assert stored["status"] == "failed" and stored["paid"] is False
    assert stored["captured"] is False and stored["auth_code"] is None
    assert stored["outcome"]["type"] == reason
    for check in ("cvc_check", "address_zip_check"):
        expected = (
            "fail" if check == failed_check else ("pass" if check == "cvc_check" else "unchecked")
        )
        assert stored["source"][check] == expected, check
    client_error = error_from_response(402, response.json())
    assert type(client_error) is cls and isinstance(client_error, CardError)
    assert client_error.shopper_message


def test_processor_unavailable_was_not_sent_to_the_network(http, merchant):
    card = local_decline_card("processor_unavailable")
    response = charge(http, merchant, card={"number": card.number, "brand": "VISA", "cvv": "123"})
    stored = http.get(
        f"/v1/charges/{response.json()['error']['charge']}", headers=bearer(merchant)
    ).json()
    assert stored["outcome"]["network_status"] == "not_sent_to_network"


def test_documented_decline_cards_keep_their_generic_answer(http, merchant):
    card = test_card("decline")
    response = charge(http, merchant, card={"number": card.number, "brand": "VISA", "cvv": "123"})
    error = assert_error(response, 402, "card_declined")
    assert error["declineCode"] == "issuer_declined"
    assert type(error_from_response(402, response.json())) is CardError


def test_fraud_shows_the_shopper_a_plain_decline() -> None:
    assert FraudSuspectedError.shopper_message == CardError.shopper_message


def test_an_unknown_reason_is_a_clear_lookup_error() -> None:
    with pytest.raises(LookupError, match="insufficient_funds"):
        local_decline_card("stolen")


def test_both_clients_raise_the_typed_error(
    live: CloverClient, sandbox, sandbox_merchants: list[dict[str, str]]
) -> None:
    token = live.create_token(local_decline_card("insufficient_funds").card())
    with pytest.raises(InsufficientFundsError) as caught:
        live.create_charge(1000, token)
    assert caught.value.charge and caught.value.decline_code == "insufficient_funds"
    assert live.get_charge(caught.value.charge).status == "failed"

    async def run(client: AsyncCloverClient) -> None:
        token = await client.create_token(local_decline_card("cvv_mismatch").card())
        with pytest.raises(IncorrectCVCError):
            await client.create_charge(1000, token)

    async def main() -> None:
        merchant = sandbox_merchants[0]
        async with AsyncCloverClient(
            Environment.local(sandbox.url),
            merchant["private_key"],
            merchant_id=merchant["merchant_id"],
        ) as client:
            await run(client)

    asyncio.run(main())


def test_card_data_refused_by_the_tokenizer_stays_a_plain_card_error() -> None:
    body = {
        "message": "400 Bad Request",
        "error": {"type": "card_error", "code": "expired_card", "message": "x", "param": "card"},
    }
    assert type(error_from_response(400, body)) is CardError
    declined = {**body, "error": {**body["error"], "decline_code": "expired_card"}}
    assert type(error_from_response(402, declined)) is ExpiredCardError
