"""Charges on the wire: the exact request the client sends, and the typed answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from helpers import (
    AsyncCloverClient,
    CardError,
    Charge,
    CloverClient,
    ListPage,
    Token,
)
from tests.client.conftest import PRIVATE_KEY, FakeClover, charge_body, ok

from ..conftest import ECOMMERCE, SANDBOX, SHOPPER_IP, Wire

Build = Callable[..., tuple[CloverClient, FakeClover]]


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
        "created.gte": "1700000000000",
        "created.lte": "1800000000000",
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


def test_iter_charges_keeps_its_filters_on_every_page(make_client: Build) -> None:
    """The filters are typed parameters, sent on each page, not only the first."""
    pages = iter([(["A", "B"], True), (["C"], False)])

    def handler(request: httpx.Request) -> httpx.Response:
        chunk, more = next(pages)
        data = [charge_body(i) for i in chunk]
        return ok({"object": "list", "data": data, "has_more": more})

    client, fake = make_client(handler)
    found = client.iter_charges(page_size=2, customer="CUST1", created_gte=1_700_000_000_000)
    assert len(list(found)) == 3
    for request in fake.requests:
        assert request.url.params["customer"] == "CUST1"
        assert request.url.params["created.gte"] == "1700000000000"
    assert "created.lte" not in fake.requests[0].url.params


# -- the same calls on the sync and the async client ------------------------------------


def test_both_clients_send_the_same_charge(wire: Wire) -> None:
    charge = wire.call(
        "create_charge",
        1358,
        {"id": "clv_1TSTSh7k2pQx9mWzAbCd"},
        capture=False,
        tip_amount=200,
        metadata={"order": "A-17"},
        idempotency_key="order-17",
    )
    request = wire.last
    assert (request.method, str(request.url)) == ("POST", f"{ECOMMERCE}/v1/charges")
    assert request.headers["authorization"] == f"Bearer {PRIVATE_KEY}"
    assert request.headers["idempotency-key"] == "order-17"
    assert request.headers["x-forwarded-for"] == SHOPPER_IP
    assert wire.last_json() == {
        "amount": 1358,
        "currency": "usd",
        "source": "clv_1TSTSh7k2pQx9mWzAbCd",
        "capture": False,
        "metadata": {"order": "A-17"},
        "tip_amount": 200,
    }
    assert isinstance(charge, Charge) and charge == charge_body()


def test_both_clients_refuse_amounts_that_are_not_cents(wire: Wire) -> None:
    with pytest.raises(TypeError, match=r"amount is an int number of cents \(1358 for \$13.58\)"):
        wire.call("create_charge", 13.58, "clv_x")
    with pytest.raises(TypeError, match="tip_amount is an int number of cents"):
        wire.call("create_charge", 1358, "clv_x", tip_amount="2")
    assert wire.requests == []


def test_both_clients_list_capture_and_page(wire: Wire) -> None:
    wire.answer({"object": "list", "data": [charge_body("C01")], "has_more": True})
    wire.answer({"object": "list", "data": [charge_body("C02")], "has_more": False})
    first = wire.call("list_charges", limit=1, created_gte=1_700_000_000_000)
    assert dict(wire.last.url.params) == {"limit": "1", "created.gte": "1700000000000"}
    assert isinstance(first, ListPage) and len(first) == 1 and first.next_starting_after() == "C01"
    second = wire.call("list_charges", limit=1, starting_after=first.next_starting_after())
    assert wire.last.url.params["starting_after"] == "C01" and second.next_starting_after() is None
    assert [c.id for c in second] == ["C02"]

    captured = wire.call("capture_charge", "C01", 1000, idempotency_key="cap-1")
    assert (wire.last.method, str(wire.last.url)) == ("POST", f"{ECOMMERCE}/v1/charges/C01/capture")
    assert wire.last_json() == {"amount": 1000} and wire.last.headers["idempotency-key"] == "cap-1"
    assert isinstance(captured, Charge)


def test_both_clients_raise_the_typed_decline(wire: Wire) -> None:
    wire.answer(
        {
            "message": "402 Payment Required",
            "error": {
                "type": "card_error",
                "code": "card_declined",
                "message": "Declined.",
                "charge": "CH1",
                "declineCode": "issuer_declined",
            },
        },
        402,
    )
    with pytest.raises(CardError) as caught:
        wire.call("create_charge", 1358, "clv_x", idempotency_key="order-18")
    error = caught.value
    assert (error.status, error.code, error.decline_code) == (
        402,
        "card_declined",
        "issuer_declined",
    )
    assert error.charge == "CH1" and error.idempotency_key == "order-18"
    assert str(error) == "402 card_declined: Declined. (decline_code=issuer_declined)"


def test_the_async_client_pages_through_every_charge() -> None:
    """The async twin of ``iter_charges`` (the sync one is tested above)."""
    wire = Wire("async")
    wire.answer({"data": [charge_body("C01"), charge_body("C02")], "has_more": True})
    wire.answer({"data": [charge_body("C03")], "has_more": False})

    async def every() -> list[str]:
        transport = httpx.MockTransport(wire.fake)
        async with AsyncCloverClient(SANDBOX, PRIVATE_KEY, transport=transport) as client:
            return [charge.id async for charge in client.iter_charges(page_size=2)]

    assert asyncio.run(every()) == ["C01", "C02", "C03"]
    assert [r.url.params.get("starting_after") for r in wire.requests] == [None, "C02"]
    assert [r.url.params["limit"] for r in wire.requests] == ["2", "2"]
