"""The client against the real local sandbox over loopback HTTP: whole payment flows."""

from __future__ import annotations

import pytest

from helpers import (
    APIConnectionError,
    AuthenticationError,
    Card,
    CardError,
    Charge,
    CloverClient,
    Environment,
    IdempotencyError,
    InvalidRequestError,
    Refund,
    Token,
    charges_table,
    refunds_table,
    test_card,
)
from helpers.clover.retries import NO_RETRIES


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


def test_token_is_single_use(live: CloverClient) -> None:
    token = tokenize(live)
    live.create_charge(100, token)
    with pytest.raises(InvalidRequestError) as caught:
        live.create_charge(100, token)
    assert caught.value.code == "token_already_used"
    assert caught.value.param == "source"


def test_a_decline_card_tokenizes_then_declines(live: CloverClient) -> None:
    token = tokenize(live, "decline")
    with pytest.raises(CardError) as caught:
        live.create_charge(2000, token)
    err = caught.value
    assert (err.status, err.code, err.decline_code) == (402, "card_declined", "issuer_declined")
    assert err.charge is not None
    assert live.get_charge(err.charge).status == "failed"


def test_bad_card_data_is_a_card_error_on_the_token(live: CloverClient) -> None:
    with pytest.raises(CardError) as caught:
        live.create_token(Card("4242424242424241", 12, 2030, "123"))
    assert caught.value.status == 400 and caught.value.code == "invalid_number"
    with pytest.raises(CardError) as expired:
        live.create_token(Card("4242424242424242", 1, 2020, "123"))
    assert expired.value.code == "expired_card"


def test_wrong_credentials_are_authentication_errors(sandbox: object, live: CloverClient) -> None:
    env = live.environment
    with CloverClient(env, "not-a-real-key", api_access_key="not-a-real-apikey") as stranger:
        with pytest.raises(AuthenticationError) as caught:
            stranger.get_pakms_key()
        assert caught.value.status == 401 and caught.value.code is None
        assert str(caught.value) == "401 Unauthorized"
        with pytest.raises(AuthenticationError):
            stranger.create_token(test_card().card())


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


def test_authorize_capture_refund_and_tables(live: CloverClient) -> None:
    auth = live.create_charge(5000, tokenize(live), capture=False)
    assert auth.captured is False
    captured = live.capture_charge(auth.id, 4000)
    assert captured.captured is True and captured.amount_captured == 4000
    with pytest.raises(InvalidRequestError) as twice:
        live.capture_charge(auth.id)
    assert twice.value.code == "charge_already_captured"
    refund = live.create_refund(auth.id, 1500, reason="requested_by_customer")
    assert isinstance(refund, Refund) and refund.amount == 1500 and refund.charge == auth.id
    assert live.get_refund(refund.id) == refund
    rest = live.create_refund(captured)
    assert rest.amount == 2500
    after = live.get_charge(auth.id)
    assert after.amount_refunded == 4000 and after.refunded is True
    with pytest.raises(InvalidRequestError) as done:
        live.create_refund(auth.id)
    assert done.value.code == "charge_already_refunded"
    refunds = live.list_refunds(charge=auth.id)
    assert {r.id for r in refunds} == {refund.id, rest.id}
    table = refunds_table(refunds)
    assert sorted(table["amount"]) == [15.0, 25.0]
    charges = charges_table(live.list_charges())
    assert list(charges["amount_refunded"]) == [40.0]
    assert charges.loc[0, "last4"] == "4242"


def test_void_of_an_authorization(live: CloverClient) -> None:
    auth = live.create_charge(3000, tokenize(live), capture=False)
    void = live.create_refund(auth)
    assert void.metadata.refundType == "PREAUTH"


def test_paging_through_every_charge(live: CloverClient) -> None:
    made = [live.create_charge(100 + i, tokenize(live)).id for i in range(5)]
    page = live.list_charges(limit=2)
    assert len(page.data) == 2 and page.has_more is True
    every = [charge.id for charge in live.iter_charges(page_size=2)]
    assert sorted(every) == sorted(made) and len(every) == 5
    newest = live.list_charges(limit=1).data[0]
    created = live.list_charges(created_gte=newest.created, created_lte=newest.created)
    assert [c.id for c in created] == [newest.id]


def test_merchants_never_see_each_other(live: CloverClient, other_live: CloverClient) -> None:
    charge = live.create_charge(700, tokenize(live))
    with pytest.raises(InvalidRequestError) as caught:
        other_live.get_charge(charge.id)
    assert caught.value.status == 404 and caught.value.code == "resource_missing"
    assert other_live.list_charges().data == []


def test_journal_of_a_flow_is_safe_to_print(live: CloverClient) -> None:
    card = Card("4242424242424242", 12, 2030, "987")
    token = live.create_token(card)
    live.create_charge(1358, token)
    texts = [live.journal.to_frame(bodies=True).to_csv()]
    texts += [entry.curl() for entry in live.journal]
    texts += [repr(token), repr(live)]
    for text in texts:
        for secret in ("4242424242424242", token.id, live.access_token, live.api_access_key):
            assert secret not in text
        assert '"cvv": "987"' not in text


def test_unreachable_host_is_a_connection_error() -> None:
    client = CloverClient(
        Environment.local("http://127.0.0.1:9"), "k", timeout=2, retries=NO_RETRIES
    )  # the retries' backoff is tested elsewhere
    with client, pytest.raises(APIConnectionError) as caught:
        client.create_charge(100, "clv_abc", idempotency_key="kept")
    assert caught.value.idempotency_key == "kept"
