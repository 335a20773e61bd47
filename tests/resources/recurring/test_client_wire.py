"""Plans, subscriptions and invoices on the wire, for the sync and the async client alike."""

from __future__ import annotations

from datetime import date

import pytest

from helpers import Invoice, Plan, Subscription
from tests.client.conftest import PRIVATE_KEY

from ..conftest import HOSTED_CHECKOUT, MERCHANT_ID, Wire

RECURRING = f"{HOSTED_CHECKOUT}/recurring/v1"
PLAN = {"id": "PLAN7Q2M", "object": "plan", "interval": "MONTH", "intervalCount": 1}
SUBSCRIPTION = {"id": "SUBS4K9X", "object": "subscription", "active": True}


def test_create_plan_sends_clovers_fields_and_the_merchant_header(wire: Wire) -> None:
    wire.answer(PLAN)
    plan = wire.call(
        "create_plan", "Coffee club", 1500, "MONTH", tip_amount=100,
        tax_rate_uuids=["TAXRATE000825"], note="beans",
    )  # fmt: skip
    request = wire.last
    assert (request.method, str(request.url)) == ("POST", f"{RECURRING}/plans")
    assert request.headers["authorization"] == f"Bearer {PRIVATE_KEY}"
    assert request.headers["x-clover-merchant-id"] == MERCHANT_ID
    assert "idempotency-key" in request.headers
    assert wire.last_json() == {
        "name": "Coffee club",
        "amount": 1500,
        "interval": "MONTH",
        "intervalCount": 1,
        "tipAmount": 100,
        "taxRateUuids": ["TAXRATE000825"],
        "note": "beans",
    }
    assert isinstance(plan, Plan) and plan.intervalCount == 1


def test_plan_reads_updates_and_deletes_name_the_plan_in_the_path(wire: Wire) -> None:
    wire.answer([PLAN])  # Clover answers a JSON array
    page = wire.call("list_plans", limit=10, offset=10, interval="MONTH", interval_count=3)
    assert str(wire.last.url) == (
        f"{RECURRING}/plans?interval=MONTH&intervalCount=3&limit=10&offset=10"
    )
    assert isinstance(page, list) and isinstance(page[0], Plan)
    wire.answer([])
    wire.call("list_plans", active=False)
    assert str(wire.last.url) == f"{RECURRING}/plans?active=false"
    wire.answer(PLAN)
    wire.call("get_plan", Plan(PLAN))
    assert (wire.last.method, str(wire.last.url)) == ("GET", f"{RECURRING}/plans/PLAN7Q2M")
    wire.answer(PLAN)
    wire.call("update_plan", "PLAN7Q2M", amount=1800, active=False, note=None)
    assert wire.last.method == "PUT" and wire.last_json() == {"amount": 1800, "active": False}
    wire.answer(PLAN)
    wire.call("delete_plan", "PLAN7Q2M")
    assert (wire.last.method, str(wire.last.url)) == ("DELETE", f"{RECURRING}/plans/PLAN7Q2M")


def test_create_subscription_charges_automatically_from_the_start_date(wire: Wire) -> None:
    wire.answer(SUBSCRIPTION)
    subscription = wire.call(
        "create_subscription", Plan(PLAN), "CUST9K3X", start_date=date(2026, 1, 31), payments=3
    )
    assert str(wire.last.url) == f"{RECURRING}/plans/PLAN7Q2M/subscriptions"
    assert wire.last.headers["x-clover-merchant-id"] == MERCHANT_ID
    assert wire.last_json() == {
        "customerId": "CUST9K3X",
        "collectionMethod": "CHARGE_AUTOMATICALLY",
        "startDate": "2026-01-31",
        "endDate": "2026-03-31T00:00:00+00:00",  # the third invoice's day: Jan 31, Feb 28, Mar 31
    }
    assert isinstance(subscription, Subscription)


def test_subscription_reads_updates_cancels_and_invoices(wire: Wire) -> None:
    wire.answer([SUBSCRIPTION])
    found = wire.call("list_subscriptions")
    assert isinstance(found[0], Subscription)
    assert str(wire.last.url) == f"{RECURRING}/subscriptions"
    wire.answer([])
    wire.call("list_subscriptions", Plan(PLAN), limit=2)
    assert str(wire.last.url) == f"{RECURRING}/plans/PLAN7Q2M/subscriptions?limit=2"
    wire.answer(SUBSCRIPTION)
    wire.call("get_subscription", "SUBS4K9X")
    assert str(wire.last.url) == f"{RECURRING}/subscriptions/SUBS4K9X"
    wire.answer(SUBSCRIPTION)
    wire.call("update_subscription", Subscription(SUBSCRIPTION), endDate=date(2027, 1, 1))
    assert wire.last.method == "PUT" and wire.last_json() == {"endDate": "2027-01-01"}
    wire.answer({**SUBSCRIPTION, "active": False})
    canceled = wire.call("cancel_subscription", "SUBS4K9X")
    assert wire.last.method == "PUT" and wire.last_json() == {"active": False}
    assert canceled.active is False
    wire.answer({"object": "list", "data": [{"id": "INV1", "status": "PAID"}], "has_more": False})
    invoices = wire.call("list_invoices", "SUBS4K9X")
    assert str(wire.last.url) == f"{RECURRING}/subscriptions/SUBS4K9X/invoices"
    assert isinstance(invoices.data[0], Invoice) and invoices.data[0].status == "PAID"


def test_the_client_refuses_what_clover_would_before_sending(wire_mode: str) -> None:
    no_merchant = Wire(wire_mode, merchant_id=None)
    with pytest.raises(ValueError, match="X-Clover-Merchant-Id"):
        no_merchant.call("list_plans")
    wire = Wire(wire_mode)
    with pytest.raises(TypeError, match="cents"):
        wire.call("create_plan", "Coffee club", 15.0, "MONTH")
    with pytest.raises(ValueError, match="Plan object"):
        wire.call("create_subscription", "PLAN7Q2M", "CUST9K3X", payments=3)
    with pytest.raises(ValueError, match="not both"):
        wire.call(
            "create_subscription", Plan(PLAN), "C", start_date="2026-02-01",
            end_date="2026-05-01", payments=2,
        )  # fmt: skip
    assert wire.requests == []


def test_soft_descriptor_and_a_new_start_date_go_in_clovers_names(wire: Wire) -> None:
    """docs/recurring-apis-subscriptions: `softDescriptor` on create, `startDate` editable."""
    wire.answer(SUBSCRIPTION)
    wire.call("create_subscription", "PLAN7Q2M", "CUST9K3X", soft_descriptor={"dbaName": "ccc"})
    assert wire.last_json()["softDescriptor"] == {"dbaName": "ccc"}
    wire.answer(SUBSCRIPTION)
    wire.call("update_subscription", "SUBS4K9X", startDate=date(2027, 2, 1))
    assert wire.last_json() == {"startDate": "2027-02-01"}
