"""The OpenAPI document of the routes merged after it: gift cards, recurring payments,
3-D Secure and ACH. Their bodies come from their own parsers (the probe walks each branch),
their answers match the shapes documented, and the chains between them are links."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema
import pytest

from helpers.sandbox import app
from helpers.sandbox.core import fields
from helpers.sandbox.core.probe import Probe, merge
from helpers.sandbox.openapi import examples
from helpers.sandbox.openapi.document import build, documented
from helpers.sandbox.openapi.errors import reached
from helpers.sandbox.openapi.operation import Operation
from helpers.sandbox.resources.charges import declines
from tests.support import bearer, charge

NEW_PATHS = (
    "/v1/balance_inquiry",
    "/v1/reload",
    "/v1/cashout",
    "/v1/activate",
    "/v1/refunds/{refund_id}/cancel",
    "/recurring/v1/plans",
    "/recurring/v1/plans/{plan_id}",
    "/recurring/v1/plans/{plan_id}/subscriptions",
    "/recurring/v1/subscriptions",
    "/recurring/v1/subscriptions/{subscription_id}",
    "/recurring/v1/subscriptions/{subscription_id}/invoices",
    "/clover3DS/clover3DS-sdk.js",
    "/v1/charges/finalize_payment",
    "/threeds/method",
    "/threeds/acs",
    "/clover3DS/method-notification",
)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build(app.routes())


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: op for path in document["paths"].values() for op in path.values()}


def body_schema(op: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = op["requestBody"]["content"]["application/json"]["schema"]
    return schema


def test_the_new_routes_are_in_the_document_and_cite_clover(document: dict[str, Any]) -> None:
    assert set(NEW_PATHS) <= set(document["paths"])
    assert len(document["paths"]) == 41  # and /ach.html, /wallet.html, Apple Pay's domain file
    assert sum(len(ops) for ops in document["paths"].values()) == 54
    for op in operations(document).values():
        assert op["externalDocs"]["url"].startswith("https://docs.clover.com/"), op
    ops = operations(document)
    assert ops["list_plans"]["parameters"][0]["name"] == "x-clover-merchant-id" or any(
        p["name"] == "x-clover-merchant-id" and p["in"] == "header"
        for p in ops["list_plans"]["parameters"]
    )
    assert {p["name"] for p in ops["list_invoices"]["parameters"]} >= {"limit", "offset"}


def test_every_example_variant_and_alternative_passes_its_parser() -> None:
    checked = 0
    for route in documented(app.routes()):
        doc = route.doc
        assert isinstance(doc, Operation)
        for body in doc.variants:
            assert doc.body is not None
            doc.body(dict(body))
            checked += 1
        for parser, example in doc.alternatives:
            parser(dict(example))
            checked += 1
    assert checked >= 4


def test_threeds_is_described_down_both_of_its_branches(document: dict[str, Any]) -> None:
    """The probe follows CLOVER (browser_info) and NON_CLOVER (authentication_result)."""
    schema = body_schema(operations(document)["create_charge"])
    assert schema["required"] == ["amount", "currency", "source"]  # threeds stays optional
    threeds = schema["properties"]["threeds"]
    assert threeds["additionalProperties"] is False
    assert "required" not in threeds  # each branch needs a different object
    browser = threeds["properties"]["browser_info"]["properties"]
    assert {"browser_ip", "browser_user_agent", "browser_color_depth"} <= set(browser)
    result = threeds["properties"]["authentication_result"]
    assert result["required"] == ["authentication_status", "cryptogram"]
    assert "REJECTED" in result["properties"]["authentication_status"]["enum"]


def test_order_pay_takes_threeds_and_finalize_payment_is_documented(
    document: dict[str, Any],
) -> None:
    """https://docs.clover.com/dev/docs/add-3ds-to-pay-for-an-order and
    https://docs.clover.com/docs/3ds-secure-configure-sdk (finalize_payment)."""
    ops = operations(document)
    pay = body_schema(ops["pay_order"])["properties"]["threeds"]
    assert {"browser_info", "authentication_result"} <= set(pay["properties"])
    finalize = body_schema(ops["finalize_payment"])
    assert finalize["required"] == ["charge_id", "threeds"]
    assert finalize["properties"]["threeds"]["required"] == ["source", "flow_status"]
    assert "docs.clover.com" in ops["finalize_payment"]["externalDocs"]["url"]


def test_a_token_body_is_one_of_a_card_a_gift_card_a_bank_account_or_apple_pay(
    document: dict[str, Any],
) -> None:
    op = operations(document)["create_token"]
    assert op["requestBody"]["required"] is True
    card, gift_card, ach, apple_pay = body_schema(op)["oneOf"]
    assert apple_pay["required"] == ["encryptedWallet"]
    payment_data = apple_pay["properties"]["encryptedWallet"]["properties"]["applePayPaymentData"]
    assert payment_data["properties"]["version"]["enum"] == ["EC_v1", "RSA_v1"]
    assert card["required"] == ["card"] and "multipay" in card["properties"]
    assert gift_card["required"] == ["gift_card"]
    assert gift_card["properties"]["gift_card"]["properties"]["number"]["maxLength"] == 19
    assert ach["required"] == ["ach"]
    fields_of_ach = ach["properties"]["ach"]
    assert "bank_routing_number" in fields_of_ach["required"]
    assert fields_of_ach["properties"]["check_type"]["enum"] == [
        "personal_check",
        "corporate_check",
    ]
    whole = body_schema(op)
    for body in (
        {"card": {"number": "4242424242424242"}},
        {"gift_card": {"number": "7777010000000001"}},
        examples.ACH_EXAMPLE,
        examples.APPLE_PAY_EXAMPLE,
    ):
        jsonschema.validate(body, {"oneOf": whole["oneOf"]})  # exactly one matches
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"card": {}, "ach": {}}, {"oneOf": whole["oneOf"]})


def test_links_follow_the_chains(document: dict[str, Any]) -> None:
    ops = operations(document)

    def links(op_id: str) -> dict[str, Any]:
        found: dict[str, Any] = ops[op_id]["responses"]["200"]["links"]
        return found

    assert links("create_plan")["create_subscription"]["parameters"] == {
        "plan_id": "$response.body#/id"
    }
    assert links("create_subscription")["list_invoices"]["parameters"] == {
        "subscription_id": "$response.body#/id"
    }
    token = links("create_token")
    assert token["charge"]["requestBody"]["source"] == "$response.body#/id"
    assert token["balance_inquiry"]["requestBody"] == {"source": "$response.body#/id"}
    for op in ops.values():
        for link in op["responses"]["200"].get("links", {}).values():
            assert link["operationId"] in ops


def test_each_new_route_lists_its_errors(document: dict[str, Any]) -> None:
    ops = operations(document)

    def description(op_id: str, status: str) -> str:
        text: str = ops[op_id]["responses"][status]["description"]
        return text

    assert "invalid_number" in description("create_token", "400")  # a card's, a gift card's
    assert "amount_too_large" in description("reload", "400")
    assert "resource_missing" in description("get_subscription", "404")
    assert "409" in ops["delete_plan"]["responses"]
    finalize = ops["finalize_payment"]["responses"]
    assert {"400", "402", "404", "409"} <= set(finalize)  # fields, decline, charge, too early


def test_the_walk_finds_each_decline_code() -> None:
    """`declines.error` builds its code from `decline.code`: every Decline's code is found."""
    codes = {a.code for a in reached([declines.error]) if a.status == 402}
    assert codes == {d.code for d in declines.REASONS.values()} | {"card_declined"}


def test_merge_unites_two_runs() -> None:
    first, second = Probe({"kind": "a"}), Probe({"kind": "b"})
    for probe, name in ((first, "a_only"), (second, "b_only")):
        fields.reject_unknown(probe, ("kind", "a_only", "b_only"))
        fields.string(probe, "kind", required=True, choices=("a", "b"))
        fields.integer(probe, name, required=True, maximum=9)
    merged = merge(first.schema(), second.schema())
    assert merged["required"] == ["kind"]
    assert merged["additionalProperties"] is False
    assert merged["properties"]["a_only"] == {"type": "integer", "minimum": 0, "maximum": 9}
    assert merged["properties"]["b_only"] == merged["properties"]["a_only"]


def test_a_left_out_nested_object_is_walked_with_a_variant() -> None:
    probe = Probe({}, [{"inner": {"mode": "deep"}}])
    inner = fields.mapping(probe, "inner")
    assert inner is not None and inner.get("mode") == "deep"


def test_real_answers_of_the_new_routes_match_the_documented_shapes(
    http: httpx.Client, merchant: dict[str, str], document: dict[str, Any]
) -> None:
    components = document["components"]["schemas"]

    def check(name: str, answer: httpx.Response) -> dict[str, Any]:
        assert answer.status_code == 200, answer.text
        jsonschema.validate(
            answer.json(), {**components[name], "components": document["components"]}
        )
        body: dict[str, Any] = answer.json()
        return body

    key = {"apikey": merchant["api_access_key"]}
    gift = check(
        "Token",
        http.post("/v1/tokens", headers=key, json={"gift_card": {"number": "7777010000000001"}}),
    )
    source = {"source": gift["id"]}
    check(
        "GiftCardBalance", http.post("/v1/balance_inquiry", headers=bearer(merchant), json=source)
    )
    reload = {**source, "amount": 500, "currency": "usd"}
    check("GiftCardMovement", http.post("/v1/reload", headers=bearer(merchant), json=reload))
    check("GiftCardMovement", http.post("/v1/cashout", headers=bearer(merchant), json=source))
    ach_body = {"ach": {**dict(examples.ACH_EXAMPLE["ach"])}}
    ach = check("Token", http.post("/v1/tokens", headers=key, json=ach_body))
    check("Charge", charge(http, merchant, source=ach["id"]))

    def recurring() -> dict[str, str]:  # a fresh idempotency key each
        return bearer(merchant, **{"x-clover-merchant-id": merchant["merchant_id"]})

    plan_body = {"name": "Coffee club", "amount": 1500, "interval": "MONTH", "intervalCount": 1}
    plan = check("Plan", http.post("/recurring/v1/plans", headers=recurring(), json=plan_body))
    check("PlanList", http.get("/recurring/v1/plans", headers=recurring()))
    card = http.post("/v1/tokens", headers=key, json=examples.CARD_EXAMPLE).json()["id"]
    buyer = http.post(
        "/v1/customers", headers=bearer(merchant), json={"source": card, "email": "ada@example.com"}
    ).json()
    subscribe = {"customerId": buyer["id"], "collectionMethod": "CHARGE_AUTOMATICALLY"}
    url = f"/recurring/v1/plans/{plan['id']}/subscriptions"
    sub = check("Subscription", http.post(url, headers=recurring(), json=subscribe))
    check("SubscriptionList", http.get(url, headers=recurring()))
    assert http.post("/_sandbox/clock", json={"advance_ms": 40 * 86_400_000}).status_code == 200
    invoices = f"/recurring/v1/subscriptions/{sub['id']}/invoices"
    listed = check("InvoiceList", http.get(invoices, headers=recurring()))
    assert listed["data"], "the clock moved past the start: an invoice was billed"
    check(
        "Subscription", http.delete(f"/recurring/v1/subscriptions/{sub['id']}", headers=recurring())
    )
