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
    Charge,
    CloverClient,
    IdempotencyError,
    ListPage,
    PakmsKey,
    RateLimitError,
    Refund,
    Token,
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


def test_charge_wire_format(make_client: Build) -> None:
    client, fake = make_client(customer_ip="203.0.113.7")
    token = Token({"id": "clv_1TSTSh7k2pQx9mWzAbCd", "object": "token"})
    charge = client.create_charge(
        1358,
        token,
        capture=False,
        description="Latte",
        external_reference_id="INV42",
        receipt_email="ada@example.com",
        metadata={"table": "4"},
        tip_amount=200,
        tax_amount=100,
        ecomind="ecom",
        stored_credentials={"sequence": "FIRST"},
    )
    request = fake.last
    assert request.method == "POST"
    assert str(request.url) == "http://clover.test/v1/charges"
    assert request.headers["authorization"] == f"Bearer {PRIVATE_KEY}"
    assert request.headers["x-forwarded-for"] == "203.0.113.7"
    assert request.headers["content-type"] == "application/json"
    assert "apikey" not in request.headers
    assert fake.last_json() == {
        "amount": 1358,
        "currency": "usd",
        "source": "clv_1TSTSh7k2pQx9mWzAbCd",
        "capture": False,
        "description": "Latte",
        "external_reference_id": "INV42",
        "receipt_email": "ada@example.com",
        "metadata": {"table": "4"},
        "tip_amount": 200,
        "tax_amount": 100,
        "ecomind": "ecom",
        "stored_credentials": {"sequence": "FIRST"},
    }
    assert isinstance(charge, Charge)
    client.create_charge(500, "CUSTOMER1", customer_ip="198.51.100.9")
    assert fake.last.headers["x-forwarded-for"] == "198.51.100.9"
    assert fake.last_json() == {
        "amount": 500,
        "currency": "usd",
        "source": "CUSTOMER1",
        "capture": True,
    }


@pytest.mark.parametrize("amount", [13.58, "1358", True, None])
def test_amount_must_be_int_cents(make_client: Build, amount: Any) -> None:
    client, fake = make_client()
    with pytest.raises(TypeError, match="cents"):
        client.create_charge(amount, "clv_x")
    with pytest.raises(TypeError, match="cents"):
        client.create_charge(100, "clv_x", tip_amount=amount if amount is not None else 1.5)
    assert fake.requests == []


def test_token_uses_apikey_header_and_no_bearer(make_client: Build) -> None:
    client, fake = make_client()
    token = client.create_token(VISA)
    request = fake.last
    assert str(request.url) == "http://clover.test/v1/tokens"
    assert request.headers["apikey"] == API_ACCESS_KEY
    assert "authorization" not in request.headers
    assert fake.last_json() == {
        "card": {
            "number": "4242424242424242",
            "exp_month": "12",
            "exp_year": "2030",
            "cvv": "123",
            "brand": "VISA",
        }
    }
    assert isinstance(token, Token) and token.id == "clv_1TSTSh7k2pQx9mWzAbCd"
    client.create_token({"number": "4242424242424242", "exp_month": "1"})
    assert fake.last_json() == {"card": {"number": "4242424242424242", "exp_month": "1"}}
    client.create_token({"card": {"encrypted_pan": "abc", "first6": "424242"}})
    assert fake.last_json() == {"card": {"encrypted_pan": "abc", "first6": "424242"}}


def test_pakms_key_is_fetched_once_when_not_given(make_client: Build) -> None:
    client, fake = make_client(api_access_key=None)
    assert "(fetched" in client.describe()
    client.create_token(VISA)
    client.create_token(VISA)
    paths = [r.url.path for r in fake.requests]
    assert paths == ["/pakms/apikey", "/v1/tokens", "/v1/tokens"]
    assert fake.requests[0].headers["authorization"] == f"Bearer {PRIVATE_KEY}"
    assert fake.requests[1].headers["apikey"] == API_ACCESS_KEY
    assert client.api_access_key == API_ACCESS_KEY
    assert API_ACCESS_KEY not in client.describe() and API_ACCESS_KEY not in repr(client)


def test_pakms_key_result_masks_key_when_shown(make_client: Build) -> None:
    client, _ = make_client()
    key = client.get_pakms_key()
    assert isinstance(key, PakmsKey)
    assert key.apiAccessKey == API_ACCESS_KEY
    for text in (repr(key), str(key), key._repr_html_()):
        assert API_ACCESS_KEY not in text
        assert "••••9f8e" in text


def test_capture_and_refund_wire_format(make_client: Build) -> None:
    client, fake = make_client()
    client.capture_charge("JD4ZEXSSXE1KW")
    assert fake.last.url.path == "/v1/charges/JD4ZEXSSXE1KW/capture"
    assert fake.last_json() == {}
    assert "x-forwarded-for" not in fake.last.headers
    client.capture_charge("JD4ZEXSSXE1KW", amount=1000)
    assert fake.last_json() == {"amount": 1000}
    refund = client.create_refund(
        Charge(charge_body()), 500, reason="requested_by_customer", external_reference_id="RMA7"
    )
    assert fake.last.url.path == "/v1/refunds"
    assert fake.last_json() == {
        "charge": "JD4ZEXSSXE1KW",
        "amount": 500,
        "reason": "requested_by_customer",
        "external_reference_id": "RMA7",
    }
    assert isinstance(refund, Refund) and refund.metadata.refundType == "AUTH"
    client.create_refund("JD4ZEXSSXE1KW", idempotency_key="6f1c2b9e-0d4a-4c1e-9b7a-52e8d3c1a0f4")
    # without a reference of yours, the client makes one from the key, to find it again
    assert fake.last_json() == {"charge": "JD4ZEXSSXE1KW", "external_reference_id": "R2E8D3C1A0F4"}


def test_list_parameters_and_pages(make_client: Build) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return ok(
            {
                "object": "list",
                "url": request.url.path,
                "data": [charge_body("A"), charge_body("B")],
                "has_more": True,
            }
        )

    client, fake = make_client(handler)
    page = client.list_charges(
        limit=2,
        starting_after="Z",
        customer="CUS1",
        created_gte=1_700_000_000_000,
        created_lte=1_800_000_000_000,
    )
    params = dict(fake.last.url.params)
    assert params == {
        "limit": "2",
        "starting_after": "Z",
        "customer": "CUS1",
        "created[gte]": "1700000000000",
        "created[lte]": "1800000000000",
    }
    assert isinstance(page, ListPage) and page.has_more is True
    assert [type(c) for c in page.data] == [Charge, Charge]
    assert [c.id for c in page] == ["A", "B"] and len(page) == 2
    client.list_charges()
    assert dict(fake.last.url.params) == {}
    client.list_refunds(charge=Charge(charge_body()), limit=5)
    assert dict(fake.last.url.params) == {"charge": "JD4ZEXSSXE1KW", "limit": "5"}


def test_iter_charges_follows_the_cursor(make_client: Build) -> None:
    ids = [f"C{i:02d}" for i in range(7)]

    def handler(request: httpx.Request) -> httpx.Response:
        limit = int(request.url.params["limit"])
        after = request.url.params.get("starting_after")
        start = ids.index(after) + 1 if after else 0
        chunk = ids[start : start + limit]
        return ok(
            {
                "object": "list",
                "data": [charge_body(i) for i in chunk],
                "has_more": start + limit < len(ids),
            }
        )

    client, fake = make_client(handler)
    assert [c.id for c in client.iter_charges(page_size=3)] == ids
    assert [r.url.params.get("starting_after") for r in fake.requests] == [None, "C02", "C05"]


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
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
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
