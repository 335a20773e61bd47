"""The sandbox's OpenAPI document: valid 3.1, complete, and generated from the code it
describes (the parsers' checks, the handlers' errors), so that it cannot drift."""

from __future__ import annotations

import re
import warnings
from typing import Any

import httpx
import jsonschema
import pytest
from openapi_spec_validator import validate
from starlette.routing import Route

from helpers.clover.environments import ENVIRONMENTS
from helpers.sandbox import app
from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import not_found
from helpers.sandbox.core.probe import Probe
from helpers.sandbox.openapi.document import build, documented, request_schema, undocumented
from helpers.sandbox.openapi.errors import Answer, reached
from helpers.sandbox.openapi.operation import HOSTS, Operation
from tests.support import bearer, charge, tokenize


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build(app.routes())


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: op for path in document["paths"].values() for op in path.values()}


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_the_sandbox_serves_it_and_it_is_the_same(http: httpx.Client) -> None:
    served = http.get("/openapi.json")
    assert served.status_code == 200
    assert served.headers["content-type"] == "application/json"
    assert served.json() == build(app.routes())


def test_the_document_is_built_once_per_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """An app's routes are fixed when it is made: the second request reads the first's build."""
    from helpers.sandbox.openapi import explorer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette suggests httpx2; httpx is what the kit has
        from starlette.testclient import TestClient

    builds = []
    monkeypatch.setattr(explorer, "build", lambda routes: builds.append(1) or {"openapi": "x"})
    with TestClient(app.create_app(seed=1), base_url="http://127.0.0.1:8765") as client:
        first, second = client.get("/openapi.json"), client.get("/openapi.json")
    assert first.json() == second.json() == {"openapi": "x"} and len(builds) == 1


def test_every_clover_route_is_documented(document: dict[str, Any]) -> None:
    assert undocumented(app.routes()) == []
    clover = {(r.path, m) for r in documented(app.routes()) for m in r.methods or () if m != "HEAD"}
    served = {(p, m.upper()) for p, ops in document["paths"].items() for m in ops}
    assert served == clover
    assert len(served) >= 28
    assert not any(p.startswith(("/_sandbox", "/demo")) for p, _ in served)


def test_a_clover_route_added_without_doc_fails_the_check() -> None:
    """The check above is not vacuous: a new Clover route without `doc=` is named."""

    def handler(call: object) -> dict[str, str]:
        return {}

    added = app.route("/v1/subscriptions", handler, "POST")
    local = app.route("/_sandbox/plans", handler, "GET", auth="local")
    assert undocumented([*app.routes(), added, local]) == [added]
    assert isinstance(added, Route)  # still a Starlette route, as before


def test_route_keeps_its_old_signature() -> None:
    def handler(call: object) -> dict[str, str]:
        return {}

    line = app.route("/x", handler, "GET", "POST", auth="none", parse_json=False)
    assert line.path == "/x" and set(line.methods or ()) >= {"GET", "POST"}


def test_each_example_passes_the_parser_it_documents() -> None:
    """What the explorer fills in is a body the sandbox's own checks accept."""
    checked = 0
    for route in documented(app.routes()):
        doc = route.doc
        assert isinstance(doc, Operation)
        if doc.body is not None and doc.example is not None:
            doc.body(dict(doc.example))
            checked += 1
    assert checked >= 8


def test_the_charge_body_is_what_charge_request_checks(document: dict[str, Any]) -> None:
    body = operations(document)["create_charge"]["requestBody"]["content"]["application/json"]
    schema = body["schema"]
    assert schema["required"] == ["amount", "currency", "source"]
    assert schema["additionalProperties"] is False
    props = schema["properties"]
    assert props["amount"] == {"type": "integer", "minimum": 1, "maximum": 99_999_999}
    assert props["source"] == {"type": "string", "maxLength": 100}
    assert props["ecomind"]["enum"] == ["ecom", "moto"]
    assert props["external_reference_id"]["pattern"] == "^(?:[A-Za-z0-9]{1,12})$"
    assert props["capture"] == {"type": "boolean", "default": True}
    nested = props["stored_credentials"]
    assert nested["required"] == ["sequence", "initiator"]
    assert nested["properties"]["initiator"]["enum"] == ["MERCHANT", "CARDHOLDER"]


def test_a_limit_changed_in_the_parser_changes_the_document() -> None:
    """The schema is read from the checks, not written beside them."""

    def parser(body: Any) -> None:
        fields.reject_unknown(body, ("note",))
        fields.string(body, "note", required=True, max_length=7, choices=("a", "b"))

    doc = Operation("x", "x", "ecommerce", "https://docs.clover.com/", body=parser)
    assert request_schema(doc) == {
        "type": "object",
        "properties": {"note": {"type": "string", "maxLength": 7, "enum": ["a", "b"]}},
        "required": ["note"],
        "additionalProperties": False,
    }


def test_a_probe_answers_the_example_so_later_checks_pass() -> None:
    probe = Probe({"currency": "usd", "items": [{"amount": 5}]})
    assert fields.string(probe, "currency", required=True) == "usd"
    assert fields.string(probe, "description") is None
    assert fields.integer(probe, "amount", required=True, minimum=3) == 3
    assert probe.get("items")[0].example == {"amount": 5}


def test_each_route_lists_the_errors_its_code_can_raise(document: dict[str, Any]) -> None:
    ops = operations(document)

    def statuses(op_id: str) -> set[str]:
        return {s for s in ops[op_id]["responses"] if s != "200"}

    assert {"400", "401", "402", "404", "429"} <= statuses("create_charge")
    assert "card_declined" in ops["create_charge"]["responses"]["402"]["description"]
    assert "amount_too_large" in ops["create_charge"]["responses"]["400"]["description"]
    assert "402" not in statuses("get_charge") and "404" in statuses("get_charge")
    assert "charge_already_captured" in ops["capture_charge"]["responses"]["400"]["description"]
    assert "429" not in statuses("exchange_code")  # auth none: no rate limits, no bearer
    assert "invalid_client" in ops["exchange_code"]["responses"]["401"]["description"]
    assert "invalid_grant" in ops["exchange_code"]["responses"]["400"]["description"]
    assert "409" in statuses("pay_order")


def test_security_schemes_and_servers(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer"
    assert schemes["apikey"] == {**schemes["apikey"], "in": "header", "name": "apikey"}
    ops = operations(document)
    assert ops["create_token"]["security"] == [{"apikey": []}]
    assert ops["create_charge"]["security"] == [{"bearer": []}]
    assert ops["exchange_code"]["security"] == []
    urls = [s["url"] for s in ops["create_token"]["servers"]]
    assert urls == [".", "https://token-sandbox.dev.clover.com", "https://token.clover.com"]


def test_the_hosts_are_the_clients_own() -> None:
    """The sandbox may not import the client, so its copy of the hosts is checked here."""
    for name in ("sandbox", "production"):
        env = ENVIRONMENTS[name]
        assert HOSTS["ecommerce"][name] == env.ecommerce_url
        assert HOSTS["tokenizer"][name] == env.tokenizer_url
        assert HOSTS["api"][name] == env.hosted_checkout_url == env.oauth_token_url
        assert HOSTS["oauth"][name] == env.oauth_authorize_url
        assert HOSTS["checkout"][name] == env.checkout_url


def test_real_answers_match_the_documented_shapes(
    http: httpx.Client, merchant: dict[str, str], document: dict[str, Any]
) -> None:
    components = document["components"]["schemas"]

    def check(name: str, answer: httpx.Response) -> None:
        schema = {**components[name], "components": {"schemas": components}}
        jsonschema.validate(answer.json(), schema)

    token = tokenize(http, merchant)
    made = charge(http, merchant, source=token, capture=False)
    check("Charge", made)
    charge_id = made.json()["id"]
    check("Charge", http.post(f"/v1/charges/{charge_id}/capture", headers=bearer(merchant)))
    check("ChargeList", http.get("/v1/charges", headers=bearer(merchant)))
    refund = http.post("/v1/refunds", headers=bearer(merchant), json={"charge": charge_id})
    check("Refund", refund)
    check("Error", http.get("/v1/charges/NOPE", headers=bearer(merchant)))
    check("Error", http.get("/v1/charges", headers={"authorization": "Bearer nope"}))
    check("ApiKey", http.get("/pakms/apikey", headers=bearer(merchant)))
    check("CardKeys", http.get("/assets/keys.json"))


def test_the_explorer_is_linked_served_locally_and_relative(
    http: httpx.Client, merchant: dict[str, str]
) -> None:
    assert "href='explorer'" in http.get("/").text
    page = http.get("/explorer")
    assert page.status_code == 200
    html = page.text
    assert merchant["private_key"] in html and merchant["api_access_key"] in html
    sources = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert sources and not [s for s in sources if s.startswith(("/", "http:", "https:", "//"))]
    assert http.get("/explorer/assets/swagger-ui-bundle.js").status_code == 200
    assert http.get("/static/explorer.js").status_code == 200


def _handler_for_the_walk(call: Any) -> None:
    fields.integer(call.body, "n", code="invalid_n", maximum=5, too_large_code="n_too_large")
    raise not_found("widget", "x")


def test_the_error_walk_follows_calls_and_their_constant_codes() -> None:
    """A new handler's errors are found with no documentation step: through fields.integer
    with the codes its call site passes, and the builder it raises itself."""
    found = reached([_handler_for_the_walk])
    assert Answer(400, "invalid_request_error", "invalid_n") in found
    assert Answer(400, "invalid_request_error", "n_too_large") in found
    assert Answer(400, "invalid_request_error", "invalid_request") in found
    assert Answer(404, "invalid_request_error", "resource_missing") in found
    assert not any(a.status >= 500 for a in found)


def test_the_document_marks_the_fields_clover_requires_on_sessions_and_customers(
    document: dict[str, Any],
) -> None:
    """creating-a-hosted-checkout-session requires the customer's firstName, lastName, email
    and phoneNumber; ecommerce-saving-card requires a new customer's email and source."""
    paths = document["paths"]

    def body(path: str) -> dict[str, Any]:
        content = paths[path]["post"]["requestBody"]["content"]["application/json"]
        schema = content["schema"]
        ref = schema.get("$ref")
        if ref:
            schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
        return schema

    session = body("/invoicingcheckoutservice/v1/checkouts")
    assert "customer" in session["required"]
    customer = session["properties"]["customer"]
    assert set(customer["required"]) == {"firstName", "lastName", "email", "phoneNumber"}
    assert {"email", "source"} <= set(body("/v1/customers")["required"])
