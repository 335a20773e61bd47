"""What Clover's recurring pages show that the sandbox once answered otherwise (issue 24,
read whole: https://docs.clover.com/docs/working-with-recurring-payments-and-subscriptions,
https://docs.clover.com/docs/recurring-apis-subscriptions). The pages' samples as a whole
are replayed in tests/contract/pages/; these tests pin each difference alone."""

from __future__ import annotations

import re

from helpers.sandbox import app
from helpers.sandbox.openapi.document import build
from tests.resources.recurring.test_http import (
    advance,
    customer,
    headers,
    plan,
    refused,
    subscribe,
)

CLOVER_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")


def test_a_subscription_shows_the_amount_and_note_it_bills_and_additional_charges(http, merchant):
    the_plan = plan(http, merchant, note="Beans every month")
    sub = subscribe(http, merchant, the_plan["id"], customer(http, merchant)["id"]).json()
    assert sub["amount"] == 1500 and sub["note"] == "Beans every month"
    assert sub["additionalCharges"] == [] and sub["object"] == "subscription"
    own = subscribe(
        http, merchant, the_plan["id"], customer(http, merchant)["id"], amount=900, note="mine"
    ).json()
    assert own["amount"] == 900 and own["note"] == "mine" and own["total"] == 900


def test_last_run_date_appears_once_the_subscription_has_run(http, merchant):
    the_plan = plan(http, merchant)
    sub = subscribe(http, merchant, the_plan["id"], customer(http, merchant)["id"]).json()
    assert "lastRunDate" not in sub  # as the page's create and get samples
    advance(http, advance="P1D")
    url = f"/recurring/v1/subscriptions/{sub['id']}"
    ran = http.get(url, headers=headers(merchant)).json()
    assert CLOVER_TIME.match(ran["lastRunDate"]), ran


def test_times_are_written_as_the_plans_page_writes_them(http, merchant):
    the_plan = plan(http, merchant)
    assert CLOVER_TIME.match(the_plan["createdTime"]), the_plan
    sub = subscribe(
        http,
        merchant,
        the_plan["id"],
        customer(http, merchant)["id"],
        startDate="2026-02-01@10:00:00.000+0000",  # the @ form of the page's older samples
    ).json()
    assert sub["startDate"] == "2026-02-01T10:00:00.000+0000", sub


def test_cancel_as_the_page_sends_it_active_false_as_a_string(http, merchant):
    the_plan = plan(http, merchant)
    sub = subscribe(http, merchant, the_plan["id"], customer(http, merchant)["id"]).json()
    url = f"/recurring/v1/subscriptions/{sub['id']}"
    canceled = http.put(url, headers=headers(merchant), json={"active": "false"})
    assert canceled.status_code == 200, canceled.text
    assert canceled.json()["active"] is False
    wrong = http.put(url, headers=headers(merchant), json={"active": "no"})
    refused(wrong, 400, "active")


def test_a_plan_edit_with_amount_as_an_empty_string_leaves_the_amount(http, merchant):
    the_plan = plan(http, merchant)
    url = f"/recurring/v1/plans/{the_plan['id']}"
    edited = http.put(url, headers=headers(merchant), json={"name": "Plan_name", "amount": ""})
    assert edited.status_code == 200, edited.text
    assert edited.json()["amount"] == 1500 and edited.json()["name"] == "Plan_name"


def test_a_plans_interval_is_not_editable_and_the_answer_says_what_to_do(http, merchant):
    the_plan = plan(http, merchant)
    url = f"/recurring/v1/plans/{the_plan['id']}"
    for name, value in (("interval", "WEEK"), ("intervalCount", 2)):
        error = refused(http.put(url, headers=headers(merchant), json={name: value}), 400, name)
        assert "create a new plan" in error["message"]
    assert http.get(url, headers=headers(merchant)).json()["interval"] == "MONTH"


def test_only_a_future_subscriptions_start_date_is_editable(http, merchant):
    the_plan = plan(http, merchant)
    buyer = customer(http, merchant)
    later = subscribe(http, merchant, the_plan["id"], buyer["id"], startDate="2026-03-01").json()
    url = f"/recurring/v1/subscriptions/{later['id']}"
    moved = http.put(url, headers=headers(merchant), json={"startDate": "2026-04-01"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["startDate"] == "2026-04-01T00:00:00.000+0000"
    assert moved.json()["nextBillingDate"] == "2026-04-01T00:00:00.000+0000"
    past = http.put(url, headers=headers(merchant), json={"startDate": "2026-01-01"})
    refused(past, 400, "startDate")
    advance(http, to="2026-04-02")
    started = http.put(url, headers=headers(merchant), json={"startDate": "2026-06-01"})
    assert "started" in refused(started, 400, "startDate")["message"]
    assert http.get(url, headers=headers(merchant)).json()["startDate"].startswith("2026-04-01")


def test_a_soft_descriptors_dba_name_is_held_to_38_characters(http, merchant):
    """docs/recurring-apis-subscriptions links docs/setting-soft-descriptors: 38 at most."""
    the_plan = plan(http, merchant)
    buyer = customer(http, merchant)["id"]
    long = subscribe(http, merchant, the_plan["id"], buyer, softDescriptor={"dbaName": "x" * 39})
    refused(long, 400, "softDescriptor.dbaName")
    kept = subscribe(http, merchant, the_plan["id"], buyer, softDescriptor={"dbaName": "ccc"})
    assert kept.json()["softDescriptor"] == {"dbaName": "ccc"}


def test_collection_method_is_documented_as_the_one_method_clover_allows():
    """ "Currently, CHARGE_AUTOMATICALLY is the only method allowed": the OpenAPI document
    offered two more methods that no Clover page names."""
    document = build(app.routes())
    create = document["paths"]["/recurring/v1/plans/{plan_id}/subscriptions"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["collectionMethod"]["enum"] == ["CHARGE_AUTOMATICALLY"]
    assert "collectionMethod" in body["required"]
    assert body["properties"]["softDescriptor"]["properties"]["dbaName"]["maxLength"] == 38


def test_a_soft_descriptor_takes_the_fields_of_clovers_soft_descriptor_page(http, merchant):
    """docs/setting-soft-descriptors' fields in camelCase; a misspelt one is named."""
    the_plan = plan(http, merchant)
    buyer = customer(http, merchant)["id"]
    full = {"dbaName": "Pinewood", "city": "Sunnyvale", "region": "CA", "countryCode": "840"}
    kept = subscribe(http, merchant, the_plan["id"], buyer, softDescriptor=full)
    assert kept.status_code == 200 and kept.json()["softDescriptor"] == full
    typo = subscribe(http, merchant, the_plan["id"], buyer, softDescriptor={"dba_name": "x"})
    refused(typo, 400, "softDescriptor.dba_name")
