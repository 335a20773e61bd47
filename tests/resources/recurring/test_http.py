"""The recurring API over HTTP: plans, subscriptions, invoices on the sandbox clock,
declines retried five times, revoked cards, cancels, and every refusal naming its field."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from helpers.sandbox.server import Sandbox
from tests.support import assert_error, bearer, tokenize

DECLINING = {"number": "4005571702222222"}  # a documented decline test card
MONTHLY = {"name": "Coffee club", "amount": 1500, "interval": "Month", "intervalCount": 1}


def refused(response: httpx.Response, status: int, param: str) -> dict[str, Any]:
    """Clover's envelope, with the field named; the code is whatever the case calls for."""
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["param"] == param, error
    if status != 404:  # a 404 names the object ("No such customer"), the param the field
        assert param.split("[")[0] in error["message"], error
    return error


def headers(merchant: dict[str, str]) -> dict[str, str]:
    return bearer(merchant, **{"x-clover-merchant-id": merchant["merchant_id"]})


def customer(http: httpx.Client, merchant: dict[str, str], **card: Any) -> dict[str, Any]:
    body = {"source": tokenize(http, merchant, **card), "email": "ada@example.com"}
    response = http.post("/v1/customers", headers=bearer(merchant), json=body)
    assert response.status_code == 200, response.text
    return response.json()


def plan(http: httpx.Client, merchant: dict[str, str], **body: Any) -> dict[str, Any]:
    response = http.post("/recurring/v1/plans", headers=headers(merchant), json={**MONTHLY, **body})
    assert response.status_code == 200, response.text
    return response.json()


def subscribe(
    http: httpx.Client, merchant: dict[str, str], plan_id: str, customer_id: str, **body: Any
) -> httpx.Response:
    return http.post(
        f"/recurring/v1/plans/{plan_id}/subscriptions",
        headers=headers(merchant),
        json={"customerId": customer_id, "collectionMethod": "CHARGE_AUTOMATICALLY", **body},
    )


def invoices(http: httpx.Client, merchant: dict[str, str], sub_id: str) -> list[dict[str, Any]]:
    url = f"/recurring/v1/subscriptions/{sub_id}/invoices"
    return http.get(url, headers=headers(merchant), params={"limit": 100}).json()["data"]


def advance(http: httpx.Client, **body: Any) -> dict[str, Any]:
    response = http.post("/_sandbox/clock", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_plan_is_created_read_listed_updated_and_deleted(http, merchant):
    created = plan(http, merchant, tipAmount=100, taxRateUuids=["TAXRATE000825"], note="beans")
    assert created["interval"] == "MONTH" and created["active"] is True
    assert created["createdTime"].endswith(".000+0000") and created["subscriptionCount"] == 0
    url = f"/recurring/v1/plans/{created['id']}"
    assert http.get(url, headers=headers(merchant)).json() == created
    listed = http.get("/recurring/v1/plans", headers=headers(merchant)).json()
    assert [p["id"] for p in listed] == [created["id"]]
    changed = http.put(url, headers=headers(merchant), json={"amount": 1800, "active": False})
    assert changed.json()["amount"] == 1800 and changed.json()["active"] is False
    assert http.delete(url, headers=headers(merchant)).json()["deletedTime"]
    assert_error(http.get(url, headers=headers(merchant)), 404, "resource_missing")


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"name": "ab"}, "name"),
        ({"name": None}, "name"),
        ({"amount": 0}, "amount"),
        ({"amount": 15.5}, "amount"),
        ({"interval": "Fortnight"}, "interval"),
        ({"intervalCount": 0}, "intervalCount"),
        ({"tipAmount": -1}, "tipAmount"),
        ({"taxRateUuids": ["NOSUCHRATE000"]}, "taxRateUuids[0]"),
        ({"taxRateUuids": "TAXRATE000825"}, "taxRateUuids"),
        ({"note": "x" * 256}, "note"),
        ({"currency": "usd"}, "currency"),
    ],
)
def test_a_bad_plan_is_refused_naming_the_field(http, merchant, body, param):
    response = http.post("/recurring/v1/plans", headers=headers(merchant), json={**MONTHLY, **body})
    refused(response, 400, param)


def test_the_merchant_header_is_required_and_merchants_are_apart(http, merchant, other_merchant):
    response = http.post("/recurring/v1/plans", headers=bearer(merchant), json=MONTHLY)
    assert_error(response, 400, "invalid_request", "X-Clover-Merchant-Id")
    mine = plan(http, merchant)
    theirs = http.get(f"/recurring/v1/plans/{mine['id']}", headers=headers(other_merchant))
    assert_error(theirs, 404, "resource_missing")


def test_a_year_of_monthly_renewals_is_charged_once_each_in_order(http, merchant):
    the_plan = plan(http, merchant, taxRateUuids=["TAXRATE000825"], tipAmount=100)
    buyer = customer(http, merchant)
    created = subscribe(http, merchant, the_plan["id"], buyer["id"], startDate="2026-01-31")
    assert created.status_code == 200, created.text
    sub = created.json()
    assert sub["startDate"] == "2026-01-31T00:00:00.000+0000" and sub["active"] is True
    moved = advance(http, to="2027-01-30")
    assert moved["renewal_attempts"] == 12 and moved["now_iso"].startswith("2027-01-30")
    bills = invoices(http, merchant, sub["id"])
    assert [b["dueDate"][:10] for b in bills[:3]] == ["2026-01-31", "2026-02-28", "2026-03-31"]
    assert {b["status"] for b in bills} == {"PAID"} and len(bills) == 12
    assert bills[0]["total"] == 1500 + 124 + 100  # 8.25% of $15.00, rounded half up
    charges = http.get(
        "/v1/charges", headers=bearer(merchant), params={"customer": buyer["id"], "limit": 100}
    ).json()["data"]
    assert sorted(c["id"] for c in charges) == sorted(b["charges"][0] for b in bills)
    first = next(c for c in charges if c["id"] == bills[0]["charges"][0])
    assert first["stored_credentials"] == {
        "sequence": "SUBSEQUENT",
        "is_scheduled": True,
        "initiator": "MERCHANT",
    }
    assert first["tax_amount"] == 124 and first["tip_amount"] == 100
    assert first["created"] // 86_400_000 == 1769817600000 // 86_400_000  # 2026-01-31
    read = http.get(f"/recurring/v1/plans/{the_plan['id']}", headers=headers(merchant)).json()
    assert read["subscriptionPaidTotalAmount"] == 12 * 1724 and read["subscriptionCount"] == 1


def test_a_declined_renewal_is_tried_five_times_then_the_subscription_deactivated(http, merchant):
    the_plan = plan(http, merchant)
    buyer = customer(http, merchant)
    sub = subscribe(http, merchant, the_plan["id"], buyer["id"]).json()
    advance(http, advance="P1D")  # the first invoice, paid with the good card
    swap = {"source": tokenize(http, merchant, **DECLINING)}
    http.put(f"/v1/customers/{buyer['id']}", headers=bearer(merchant), json=swap)
    advance(http, advance="P1M")  # the second is due: declined, then a retry a day
    [paid, dunning] = invoices(http, merchant, sub["id"])
    assert paid["status"] == "PAID"
    assert dunning["status"] == "OPEN" and dunning["attempts"] == 1
    assert dunning["lastError"]["code"] == "card_declined" and dunning["nextAttemptDate"]
    advance(http, advance="P3D")
    assert invoices(http, merchant, sub["id"])[1]["attempts"] == 4
    url = f"/recurring/v1/subscriptions/{sub['id']}"
    assert http.get(url, headers=headers(merchant)).json()["active"] is True
    advance(http, advance="P1D")
    [_, failed] = invoices(http, merchant, sub["id"])
    assert failed["status"] == "FAILED" and failed["attempts"] == 5 and len(failed["charges"]) == 5
    after = http.get(url, headers=headers(merchant)).json()
    assert after["active"] is False and after["nextBillingDate"] is None
    advance(http, advance="P3M")
    assert len(invoices(http, merchant, sub["id"])) == 2  # nothing more is billed


def test_a_revoked_card_fails_five_times_before_the_subscription_is_deactivated(http, merchant):
    """Clover: "deactivated if the customer's invoice payment fails after five attempts.
    Failures can occur due to invalid or missing customer information or card data"
    (docs/recurring-apis-subscriptions). The kit deactivated at the first."""
    the_plan = plan(http, merchant)
    buyer = customer(http, merchant)
    sub = subscribe(http, merchant, the_plan["id"], buyer["id"]).json()
    card_id = buyer["sources"]["data"][0]
    http.delete(f"/v1/customers/{buyer['id']}/sources/{card_id}", headers=bearer(merchant))
    url = f"/recurring/v1/subscriptions/{sub['id']}"
    advance(http, advance="P2D")
    [bill] = invoices(http, merchant, sub["id"])
    assert bill["status"] == "OPEN" and bill["attempts"] == 2
    assert bill["lastError"]["code"] == "card_on_file_missing"
    assert http.get(url, headers=headers(merchant)).json()["active"] is True
    advance(http, advance="P3D")
    [bill] = invoices(http, merchant, sub["id"])
    assert bill["status"] == "FAILED" and bill["attempts"] == 5
    assert http.get(url, headers=headers(merchant)).json()["active"] is False


def test_a_plan_carries_developer_app_id(http, merchant):
    """docs/working-with-recurring-payments-and-subscriptions: a plan names its app."""
    created = plan(http, merchant)
    assert created["developerAppId"] == merchant["app_id"]


def test_plan_and_subscription_lists_answer_a_json_array(http, merchant):
    """Clover's samples answer the lists as a JSON array, not the kit's envelope."""
    the_plan = plan(http, merchant)
    sub = subscribe(http, merchant, the_plan["id"], customer(http, merchant)["id"]).json()
    for path in (
        "/recurring/v1/plans",
        "/recurring/v1/subscriptions",
        f"/recurring/v1/plans/{the_plan['id']}/subscriptions",
    ):
        listed = http.get(path, headers=headers(merchant)).json()
        assert isinstance(listed, list) and [o["id"] for o in listed] in (
            [the_plan["id"]],
            [sub["id"]],
        ), path


def test_plan_search_filters_by_interval_interval_count_active_and_name(http, merchant):
    """getplans (https://docs.clover.com/dev/reference/getplans): `active`, `name`,
    `interval`, `intervalCount`, sorted by name, `limit` at least 10."""
    monthly = plan(http, merchant, name="Monthly box")
    quarterly = plan(http, merchant, name="Quarterly box", intervalCount=3)
    weekly = plan(http, merchant, name="A weekly box", interval="Week")
    http.put(
        f"/recurring/v1/plans/{weekly['id']}", headers=headers(merchant), json={"active": False}
    )

    def ids(**query: Any) -> list[str]:
        answer = http.get("/recurring/v1/plans", headers=headers(merchant), params=query)
        assert answer.status_code == 200, answer.text
        return [p["id"] for p in answer.json()]

    assert ids() == [weekly["id"], monthly["id"], quarterly["id"]]  # by name
    assert ids(interval="MONTH") == [monthly["id"], quarterly["id"]]
    assert ids(interval="Month", intervalCount=3) == [quarterly["id"]]
    assert ids(active="false") == [weekly["id"]]
    assert ids(name="Monthly box") == [monthly["id"]]
    assert ids(limit=10, offset=2) == [quarterly["id"]]
    listed = http.get("/recurring/v1/plans", headers=headers(merchant), params={"limit": 5})
    refused(listed, 400, "limit")
    bad = http.get(
        "/recurring/v1/plans", headers=headers(merchant), params={"interval": "Fortnight"}
    )
    refused(bad, 400, "interval")


def test_a_plan_with_active_subscriptions_cannot_be_deactivated(http, merchant):
    """docs/working-with-recurring-payments-and-subscriptions; the kit allowed it."""
    the_plan = plan(http, merchant)
    sub = subscribe(http, merchant, the_plan["id"], customer(http, merchant)["id"]).json()
    url = f"/recurring/v1/plans/{the_plan['id']}"
    error = refused(http.put(url, headers=headers(merchant), json={"active": False}), 409, "active")
    assert "cancel" in error["message"]
    assert http.get(url, headers=headers(merchant)).json()["active"] is True
    http.delete(f"/recurring/v1/subscriptions/{sub['id']}", headers=headers(merchant))
    changed = http.put(url, headers=headers(merchant), json={"active": False})
    assert changed.status_code == 200 and changed.json()["active"] is False


def test_a_subscription_names_customer_uuid_embeds_its_plan_and_carries_total(http, merchant):
    """docs/recurring-apis-subscriptions' sample answer: `customerUuid`, the whole `plan`,
    `total`; the request still names the customer `customerId`."""
    the_plan = plan(http, merchant, taxRateUuids=["TAXRATE000825"], tipAmount=100)
    buyer = customer(http, merchant)
    sub = subscribe(http, merchant, the_plan["id"], buyer["id"]).json()
    assert sub["customerUuid"] == buyer["id"] and "customerId" not in sub
    assert sub["plan"]["id"] == the_plan["id"] and sub["plan"]["name"] == the_plan["name"]
    assert sub["plan"]["interval"] == "MONTH" and sub["plan"]["amount"] == 1500
    assert sub["total"] == 1500 + 124 + 100
    read = http.get(f"/recurring/v1/subscriptions/{sub['id']}", headers=headers(merchant))
    assert read.json() == sub


def test_a_subscription_takes_the_documented_level2_object(http, merchant):
    """createsubscription (https://docs.clover.com/dev/reference/createsubscription) lists
    `softDescriptor` and `level2` objects; the kit refused `level2` as unknown."""
    the_plan = plan(http, merchant)
    level2 = {"taxAmount": 1.24, "pcOrderNumber": "PO-7"}
    answer = subscribe(
        http, merchant, the_plan["id"], customer(http, merchant)["id"], level2=level2
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["level2"] == level2


def test_cancel_stops_billing_and_an_end_date_ends_it(http, merchant):
    the_plan = plan(http, merchant, interval="Week")
    buyer = customer(http, merchant)
    ending = subscribe(
        http, merchant, the_plan["id"], buyer["id"], startDate="2026-01-06", endDate="2026-01-20"
    ).json()
    canceled = subscribe(http, merchant, the_plan["id"], buyer["id"]).json()
    advance(http, advance="P8D")
    gone = http.delete(f"/recurring/v1/subscriptions/{canceled['id']}", headers=headers(merchant))
    assert gone.json()["active"] is False and gone.json()["deletedTime"]
    again = http.put(
        f"/recurring/v1/subscriptions/{canceled['id']}",
        headers=headers(merchant),
        json={"note": "x"},
    )
    assert_error(again, 409, "invalid_request", "subscriptionId")
    advance(http, advance="P2M")
    assert len(invoices(http, merchant, canceled["id"])) == 2
    assert [b["dueDate"][:10] for b in invoices(http, merchant, ending["id"])] == [
        "2026-01-06",
        "2026-01-13",
        "2026-01-20",
    ]
    read = http.get(f"/recurring/v1/subscriptions/{ending['id']}", headers=headers(merchant))
    assert read.json()["active"] is False


@pytest.mark.parametrize(
    ("body", "status", "param"),
    [
        ({"customerId": "NOSUCHCUSTOMR"}, 404, "customerId"),
        ({"customerId": None}, 400, "customerId"),
        ({"collectionMethod": "SEND_INVOICE"}, 400, "collectionMethod"),
        ({"collectionMethod": "BY_HAND"}, 400, "collectionMethod"),
        ({"startDate": "2026-01-04"}, 400, "startDate"),
        ({"startDate": "soon"}, 400, "startDate"),
        ({"startDate": "2026-02-01", "endDate": "2026-01-15"}, 400, "endDate"),
        ({"amount": "15"}, 400, "amount"),
        ({"interval": "MONTH"}, 400, "interval"),
    ],
)
def test_a_bad_subscription_is_refused_naming_the_field(http, merchant, body, status, param):
    the_plan = plan(http, merchant)
    buyer = customer(http, merchant)
    response = subscribe(http, merchant, the_plan["id"], buyer["id"], **body)
    refused(response, status, param)


def test_a_subscription_needs_an_active_plan_and_a_card_on_file(http, merchant):
    the_plan = plan(http, merchant)
    buyer = customer(http, merchant)
    card_id = buyer["sources"]["data"][0]
    http.delete(f"/v1/customers/{buyer['id']}/sources/{card_id}", headers=bearer(merchant))
    no_card = subscribe(http, merchant, the_plan["id"], buyer["id"])
    assert_error(no_card, 400, "card_on_file_missing", "customerId")
    url = f"/recurring/v1/plans/{the_plan['id']}"
    http.put(url, headers=headers(merchant), json={"active": False})
    inactive = subscribe(http, merchant, the_plan["id"], customer(http, merchant)["id"])
    assert_error(inactive, 409, "invalid_request", "planId")
    http.put(url, headers=headers(merchant), json={"active": True})
    subscribe(http, merchant, the_plan["id"], customer(http, merchant)["id"])
    assert_error(http.delete(url, headers=headers(merchant)), 409, "invalid_request", "planId")


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({}, "advance_ms"),
        ({"advance_ms": 1, "to": "2027-01-01"}, "to"),
        ({"advance": "1 year"}, "advance"),
        ({"advance": "P"}, "advance"),
        ({"to": "2025-01-01"}, "to"),
        ({"advance": "P60Y"}, "advance"),
    ],
)
def test_the_clock_control_refuses_naming_the_field(http, body, param):
    error = refused(http.post("/_sandbox/clock", json=body), 400, param)
    assert error["type"] == "invalid_request_error"


def test_the_clock_reads_and_moves_by_durations_and_to_dates(http):
    now = http.get("/_sandbox/clock").json()
    assert now["now_iso"] == "2026-01-05T09:00:00.000Z"
    assert advance(http, advance="P1M")["now_iso"] == "2026-02-05T09:00:00.000Z"
    assert advance(http, to="2026-03-01T00:00:00Z")["now_iso"] == "2026-03-01T00:00:00.000Z"
    march = advance(http, advance_ms=86_400_000)["now"]
    assert march == 1772323200000 + 86_400_000  # advance_ms works as it always did


def test_renewals_repeat_under_a_seed_and_the_clock_moves_without_one():
    def run(seed: int | None) -> list[Any]:
        with Sandbox(seed=seed) as sandbox, httpx.Client(base_url=sandbox.url) as http:
            merchant = http.get("/_sandbox/merchants").json()[0]
            the_plan = plan(http, merchant)
            sub = subscribe(http, merchant, the_plan["id"], customer(http, merchant)["id"]).json()
            before = http.get("/_sandbox/clock").json()["now"]
            after = advance(http, advance="P3M")["now"]
            assert after - before >= 89 * 86_400_000
            return [
                (b["id"], b["charges"], b["dueDate"]) for b in invoices(http, merchant, sub["id"])
            ]

    assert run(11) == run(11)
    assert len(run(None)) == 3
