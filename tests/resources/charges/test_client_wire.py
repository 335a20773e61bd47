"""Charges on the wire: the exact request the client sends, and the typed answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from helpers import (
    Charge,
    CloverClient,
    ListPage,
    Token,
)
from tests.client.conftest import PRIVATE_KEY, FakeClover, charge_body, ok

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
