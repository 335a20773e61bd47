"""The client against the real local sandbox over loopback HTTP: whole payment flows."""

from __future__ import annotations

import pytest

from helpers import (
    APIConnectionError,
    AuthenticationError,
    Card,
    CloverClient,
    Environment,
    InvalidRequestError,
    Token,
    test_card,
)
from helpers.clover.retries import NO_RETRIES


def tokenize(client: CloverClient, outcome: str = "approve", brand: str | None = None) -> Token:
    return client.create_token(test_card(outcome, brand=brand).card())  # type: ignore[arg-type]


def test_wrong_credentials_are_authentication_errors(sandbox: object, live: CloverClient) -> None:
    env = live.environment
    with CloverClient(env, "not-a-real-key", api_access_key="not-a-real-apikey") as stranger:
        with pytest.raises(AuthenticationError) as caught:
            stranger.get_pakms_key()
        assert caught.value.status == 401 and caught.value.code is None
        assert str(caught.value) == "401 Unauthorized"
        with pytest.raises(AuthenticationError):
            stranger.create_token(test_card().card())


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
