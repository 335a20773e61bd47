"""Every endpoint that names an object, tried with another merchant's credentials.

The routes come from the sandbox's route table, so a new one is covered as soon as it is
added (and this test fails until it knows what object the new route names). Merchant A
owns one object of each kind; merchant B, with valid credentials of its own, must get the
same 404 as for an id that does not exist, and A's objects must not change.
"""

from __future__ import annotations

import re

import httpx
from starlette.routing import Route

from helpers.sandbox import create_app
from tests.support import bearer, charge, tokenize

PARAM = re.compile(r"\{([^}]+)\}")


def clover_routes_with_ids() -> list[tuple[str, str]]:
    return [
        (method, route.path)
        for route in create_app().routes
        if isinstance(route, Route) and route.path.startswith("/v1/") and "{" in route.path
        for method in sorted((route.methods or set()) - {"HEAD"})
    ]


def owned_objects(http: httpx.Client, merchant: dict[str, str]) -> dict[str, str]:
    """One object of each kind, owned by `merchant`: path parameter name -> id."""
    sale = charge(http, merchant, 2000).json()
    refund = http.post(
        "/v1/refunds", headers=bearer(merchant), json={"charge": sale["id"], "amount": 100}
    ).json()
    customer = http.post(
        "/v1/customers",
        headers=bearer(merchant),
        json={"source": tokenize(http, merchant), "email": "a@example.com"},
    )
    assert customer.status_code == 200, customer.text
    order = http.post(
        "/v1/orders",
        headers=bearer(merchant),
        json={
            "currency": "usd",
            "items": [
                {
                    "type": "sku",
                    "amount": 500,
                    "currency": "usd",
                    "description": "Mug",
                    "quantity": 1,
                }
            ],
        },
    )
    assert order.status_code == 200, order.text
    return {
        "charge_id": sale["id"],
        "refund_id": refund["id"],
        "customer_id": customer.json()["id"],
        "card_id": customer.json()["sources"]["data"][0],
        "order_id": order.json()["id"],
    }


def body_for(path: str, http: httpx.Client, merchant: dict[str, str]) -> dict:
    if path.endswith("/pay"):
        return {"source": tokenize(http, merchant)}
    if path.startswith("/v1/customers/{customer_id}") and "sources" not in path:
        return {"email": "b@example.com"}
    return {}


def test_no_endpoint_lets_another_merchant_read_or_change_an_object(http, merchant, other_merchant):
    ids = owned_objects(http, merchant)
    before = {
        name: http.get(f"/v1/{kind}s/{ids[name]}", headers=bearer(merchant)).json()
        for name, kind in (
            ("charge_id", "charge"),
            ("refund_id", "refund"),
            ("customer_id", "customer"),
            ("order_id", "order"),
        )
    }
    routes = clover_routes_with_ids()
    assert len(routes) >= 8
    for method, path in routes:
        names = PARAM.findall(path)
        assert set(names) <= set(ids), f"teach this test the object {path} names"
        theirs = path
        missing = path
        for name in names:
            theirs = theirs.replace(f"{{{name}}}", ids[name])
            missing = missing.replace(f"{{{name}}}", "NOSUCHOBJECT1")
        body = body_for(path, http, other_merchant)
        seen = http.request(
            method,
            theirs,
            headers=bearer(other_merchant),
            json=body if method in ("POST", "PUT") else None,
        )
        absent = http.request(
            method,
            missing,
            headers=bearer(other_merchant),
            json=body if method in ("POST", "PUT") else None,
        )
        assert seen.status_code == absent.status_code == 404, (method, path, seen.text)
        assert seen.json()["error"]["code"] == absent.json()["error"]["code"]
    after = {
        name: http.get(f"/v1/{kind}s/{ids[name]}", headers=bearer(merchant)).json()
        for name, kind in (
            ("charge_id", "charge"),
            ("refund_id", "refund"),
            ("customer_id", "customer"),
            ("order_id", "order"),
        )
    }
    assert after == before
    for listing in ("/v1/charges", "/v1/refunds", "/v1/orders"):
        assert http.get(listing, headers=bearer(other_merchant)).json()["data"] == []
