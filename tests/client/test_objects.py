"""Clover's answers as objects, and the two clients' one set of calls."""

from __future__ import annotations

import inspect
import json

import pytest

from helpers import AsyncCloverClient, CloverClient, CloverObject, ListPage, Order
from helpers.clover.base import BaseClient
from helpers.clover.operation import operations

ORDER = {
    "id": "ORD4P8Z",
    "amount": 3306,
    "items": [{"parent": "ITEM1", "description": "Pinewood mug", "source": {"id": "clv_x"}}],
    "keys": "a field named like a dict method",
}


def test_every_field_reads_as_an_attribute_even_dict_method_names() -> None:
    order = Order(ORDER)
    assert order.items[0].parent == "ITEM1" and order.items[0].source.id == "clv_x"
    assert order.keys == "a field named like a dict method"
    assert order["items"][0]["description"] == "Pinewood mug"
    assert "amount" in order and "nope" not in order and order.get("nope", 0) == 0
    assert order.fields() == ["id", "amount", "items", "keys"]
    assert not isinstance(order, dict)


def test_an_object_gives_back_its_wire_json_and_compares_by_it() -> None:
    order = Order(ORDER)
    assert order.to_dict() == ORDER and json.loads(json.dumps(order.to_dict())) == ORDER
    assert type(order.to_dict()["items"][0]) is dict
    assert order == ORDER and order == Order(ORDER) and order != Order({**ORDER, "amount": 1})
    assert Order(order) == order  # built from another object


def test_an_object_is_read_only_and_not_a_collection() -> None:
    order = Order(ORDER)
    with pytest.raises(AttributeError, match="read only"):
        order.amount = 1
    with pytest.raises(TypeError, match="not iterable"):
        list(order)
    with pytest.raises(TypeError):
        hash(order)


def test_a_list_page_is_its_data() -> None:
    page = ListPage.of(Order)({"object": "list", "data": [ORDER, {**ORDER, "id": "O2"}]})
    assert len(page) == 2 and [o.id for o in page] == ["ORD4P8Z", "O2"]
    assert all(isinstance(o, Order) for o in page.data)
    assert page.has_more is False and page.next_starting_after() is None
    more = ListPage({"data": [ORDER], "has_more": True})
    assert more.next_starting_after() == "ORD4P8Z"
    assert len(ListPage({})) == 0 and list(ListPage({})) == []


def test_printed_forms_mask_tokens() -> None:
    shown = CloverObject({"source": {"id": "clv_1TSTSh7k2pQx9mWzAbCd"}})
    for text in (repr(shown), str(shown), shown._repr_html_()):
        assert "clv_1TSTSh7k2pQx9mWzAbCd" not in text and "clv_••••AbCd" in text


def test_both_clients_have_the_same_calls_declared_once() -> None:
    calls = set(operations(BaseClient))
    assert {"create_charge", "create_order", "pay_order", "create_checkout_session"} <= calls
    assert {"revoke_card", "create_multipay_token", "list_orders", "return_order"} <= calls
    for name in calls:
        assert name not in vars(CloverClient) and name not in vars(AsyncCloverClient), name
    public = {n for n in dir(CloverClient) if not n.startswith("_")}
    missing = public - set(dir(AsyncCloverClient)) - {"close"}
    assert missing == set(), missing
    assert inspect.isasyncgenfunction(AsyncCloverClient.iter_charges)


def test_iter_refunds_follows_every_page() -> None:
    from helpers import connect, test_card

    clover = connect()
    made = set()
    for _ in range(3):
        charge = clover.create_charge(1000, clover.create_token(test_card("approve").card()))
        made.add(clover.create_refund(charge.id, 100).id)
    seen = [refund.id for refund in clover.iter_refunds(page_size=2)]
    assert made <= set(seen) and len(seen) == len(set(seen))
