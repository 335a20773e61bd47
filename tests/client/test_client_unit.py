"""The client against a scripted fake Clover: headers, bodies, keys, errors, results."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from helpers import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    Card,
    CardError,
    CloverClient,
    IdempotencyError,
    RateLimitError,
)

from .conftest import API_ACCESS_KEY, PRIVATE_KEY, FakeClover, charge_body, ok

Build = Callable[..., tuple[CloverClient, FakeClover]]
VISA = Card("4242424242424242", 12, 2030, "123")


def every_post(client: CloverClient, **kwargs: Any) -> list[Any]:
    """Call each POST method once, passing ``kwargs`` to all of them."""
    return [
        client.create_token(VISA, **kwargs),
        client.create_charge(1358, "clv_1TSTSh7k2pQx9mWzAbCd", **kwargs),
        client.capture_charge("JD4ZEXSSXE1KW", 1000, **kwargs),
        client.create_refund("JD4ZEXSSXE1KW", 500, **kwargs),
    ]


def test_every_post_carries_a_fresh_uuid4_idempotency_key(make_client: Build) -> None:
    client, fake = make_client()
    every_post(client)
    every_post(client)
    keys = [request.headers["idempotency-key"] for request in fake.requests]
    assert len(keys) == 8 and len(set(keys)) == 8
    assert all(uuid.UUID(key).version == 4 for key in keys)
    assert [e.idempotency_key for e in client.journal] == keys


def test_a_given_idempotency_key_is_sent_as_is(make_client: Build) -> None:
    client, fake = make_client()
    every_post(client, idempotency_key="order-1234-attempt")
    every_post(client, idempotency_key="order-1234-attempt")
    assert {r.headers["idempotency-key"] for r in fake.requests} == {"order-1234-attempt"}


def test_gets_carry_no_idempotency_key(make_client: Build) -> None:
    client, fake = make_client()
    client.get_charge("JD4ZEXSSXE1KW")
    client.list_charges()
    client.get_refund("R1")
    client.list_refunds()
    client.get_pakms_key()
    assert all("idempotency-key" not in r.headers for r in fake.requests)
    assert all(r.method == "GET" for r in fake.requests)


def test_results_read_as_attributes_and_give_their_wire_json(make_client: Build) -> None:
    client, _ = make_client()
    charge = client.get_charge("JD4ZEXSSXE1KW")
    assert charge.id == "JD4ZEXSSXE1KW" and charge.status == "succeeded"
    assert charge.source.last4 == "4242" and charge["source"]["brand"] == "VISA"
    assert charge.outcome.network_status == "approved_by_network"
    assert json.loads(json.dumps(charge.to_dict())) == charge_body()
    assert charge.to_dict() == charge_body() and type(charge.to_dict()) is dict
    assert type(charge.to_dict()["source"]) is dict and charge == charge_body()
    assert not isinstance(charge, dict)
    with pytest.raises(AttributeError, match="no field 'nope'"):
        _ = charge.nope
    assert "source" in dir(charge)


def test_shown_results_mask_token_ids(make_client: Build) -> None:
    client, _ = make_client()
    charge = client.get_charge("JD4ZEXSSXE1KW")
    for text in (repr(charge), str(charge), charge._repr_html_(), repr([charge])):
        assert "clv_1TSTSh7k2pQx9mWzAbCd" not in text
        assert "clv_••••AbCd" in text
    assert charge.source.id == "clv_1TSTSh7k2pQx9mWzAbCd"


DECLINE = {
    "message": "402 Payment Required",
    "error": {
        "type": "card_error",
        "code": "card_declined",
        "message": "Declined.",
        "charge": "CH1",
        "declineCode": "issuer_declined",
        "decline_code": "issuer_declined",
    },
}


def test_errors_are_typed_and_keep_the_key(make_client: Build) -> None:
    client, _ = make_client(lambda request: ok(DECLINE, 402))
    with pytest.raises(CardError) as caught:
        client.create_charge(1358, "clv_x", idempotency_key="retry-me")
    err = caught.value
    assert (err.status, err.code, err.decline_code, err.charge) == (
        402,
        "card_declined",
        "issuer_declined",
        "CH1",
    )
    assert err.idempotency_key == "retry-me"
    entry = client.journal.last
    assert entry is not None and entry.status == 402 and entry.result == "card_declined"


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.Response(401, json={"message": "401 Unauthorized"}), AuthenticationError),
        (
            httpx.Response(
                400,
                json={
                    "message": "400 Bad Request",
                    "error": {
                        "type": "idempotency_error",
                        "code": "idempotency_error",
                        "message": "m",
                    },
                },
            ),
            IdempotencyError,
        ),
        (
            httpx.Response(
                429, headers={"Retry-After": "3"}, json={"message": "429 Too Many Requests"}
            ),
            RateLimitError,
        ),
        (httpx.Response(503, text="Service Unavailable"), APIError),
    ],
)
def test_non_2xx_raise_the_matching_error(
    make_client: Build, response: httpx.Response, expected: type[Exception]
) -> None:
    client, _ = make_client(lambda request: response)
    with pytest.raises(expected) as caught:
        client.get_charge("X")
    if isinstance(caught.value, RateLimitError):
        assert caught.value.retry_after == 3.0


def test_transport_failure_is_api_connection_error(make_client: Build) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client, _ = make_client(handler)
    with pytest.raises(APIConnectionError) as caught:
        client.create_charge(1358, "clv_1TSTSh7k2pQx9mWzAbCd", idempotency_key="k-9")
    assert caught.value.status is None
    assert caught.value.idempotency_key == "k-9"
    assert caught.value.__cause__ is None  # refused: the message says it all (test_connect)
    entry = client.journal.last
    assert entry is not None and entry.status is None and entry.idempotency_key == "k-9"
    assert entry.error is not None and "ConnectError" in entry.error
    assert "clv_1TSTSh7k2pQx9mWzAbCd" not in entry.curl()


def test_a_2xx_that_is_not_a_json_object_is_an_api_error(make_client: Build) -> None:
    client, _ = make_client(lambda request: httpx.Response(200, text="<html>oops</html>"))
    with pytest.raises(APIError, match="expected a JSON object"):
        client.get_charge("X")


def test_replayed_answer_is_visible_in_the_journal(make_client: Build) -> None:
    client, _ = make_client(lambda r: ok(charge_body(), **{"idempotent-replayed": "true"}))
    client.create_charge(1358, "clv_x", idempotency_key="same")
    assert client.journal.last is not None and client.journal.last.replayed is True


def test_journal_of_a_real_exchange_leaks_nothing(make_client: Build) -> None:
    client, _ = make_client()
    client.create_token(Card("4242424242424242", 12, 2030, "987"))
    client.create_charge(1358, "clv_1TSTSh7k2pQx9mWzAbCd")
    texts = [client.journal.to_frame(bodies=True).to_csv(), repr(client)]
    texts += [entry.curl() for entry in client.journal]
    for text in texts:
        for secret in (
            "4242424242424242",
            PRIVATE_KEY,
            API_ACCESS_KEY,
            "clv_1TSTSh7k2pQx9mWzAbCd",
            '"987"',
        ):
            assert secret not in text


def test_context_manager_closes(make_client: Build) -> None:
    client, _ = make_client()
    with client as same:
        assert same is client
    with pytest.raises(RuntimeError):
        client.get_charge("X")


def test_every_client_shares_one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the CA bundle costs ~45 ms; a notebook makes many clients and control calls."""
    import ssl

    from helpers import Environment
    from helpers.clover.async_client import AsyncCloverClient

    reads: list[object] = []
    original = ssl.SSLContext.load_verify_locations

    def counting(self: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        reads.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    environment = Environment.local("http://127.0.0.1:9")
    for _ in range(5):
        CloverClient(environment, PRIVATE_KEY).close()
        AsyncCloverClient(environment, PRIVATE_KEY)
    assert len(reads) <= 1
