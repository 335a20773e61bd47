"""tools/postman.py: the collection and environments exported from the OpenAPI document,
checked for the v2.1 format's required keys, completeness, credentials as variables, and
run (token -> charge -> capture -> refund) against a live local sandbox."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpers.sandbox import app
from helpers.sandbox.core.merchants import DEMO_MERCHANTS
from helpers.sandbox.openapi.document import build

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"{{(\w+)}}")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("postman")
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "postman.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return {path.name: json.loads(path.read_text()) for path in out.iterdir()}


def requests_of(collection: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for folder in collection["item"] for item in folder["item"]]


def test_three_files_in_the_v2_1_format(exported: dict[str, Any]) -> None:
    assert sorted(exported) == [
        "clover-sandbox.postman_collection.json",
        "clover-sandbox.postman_environment.json",
        "local-sandbox.postman_environment.json",
    ]
    collection = exported["clover-sandbox.postman_collection.json"]
    assert {"info", "item"} <= collection.keys()  # the schema's required keys
    assert collection["info"]["schema"].endswith("/v2.1.0/collection.json")
    assert collection["info"]["name"]
    for item in requests_of(collection):
        assert {"name", "request"} <= item.keys()
        request = item["request"]
        assert request["method"] in ("GET", "POST", "PUT", "DELETE")
        assert request["url"]["raw"].startswith("{{")
    for name in ("local-sandbox", "clover-sandbox"):
        environment = exported[f"{name}.postman_environment.json"]
        assert environment["name"] == name
        assert all({"key", "value", "enabled"} <= v.keys() for v in environment["values"])


def test_every_operation_is_a_request(exported: dict[str, Any]) -> None:
    document = build(app.routes())
    wanted = sorted(op["operationId"] for ops in document["paths"].values() for op in ops.values())
    items = requests_of(exported["clover-sandbox.postman_collection.json"])
    assert sorted(item["id"] for item in items) == wanted


def test_credentials_are_variables_never_written_into_requests(exported: dict[str, Any]) -> None:
    text = json.dumps(exported["clover-sandbox.postman_collection.json"])
    demo = DEMO_MERCHANTS[0]
    assert demo.private_key not in text and demo.api_access_key not in text
    assert "{{private_key}}" in text and "{{api_access_key}}" in text
    local = {v["key"]: v for v in exported["local-sandbox.postman_environment.json"]["values"]}
    assert local["private_key"]["value"] == demo.private_key
    assert local["private_key"]["type"] == "secret"
    clover = {v["key"]: v for v in exported["clover-sandbox.postman_environment.json"]["values"]}
    assert clover["private_key"]["value"] == ""  # yours to paste, never the demo's
    assert clover["tokenizer_url"]["value"] == "https://token-sandbox.dev.clover.com"


def _send(http: httpx.Client, item: dict[str, Any], variables: dict[str, str]) -> httpx.Response:
    """What Postman's runner does with one request: variables in, the test script's saves out."""

    def fill(text: str) -> str:
        return VARIABLE.sub(lambda m: variables[m.group(1)], text)

    request = item["request"]
    headers = {h["key"]: fill(h["value"]) for h in request["header"]}
    auth = request["auth"]
    if auth["type"] == "bearer":
        headers["authorization"] = f"Bearer {fill(auth['bearer'][0]['value'])}"
    elif auth["type"] == "apikey":
        settings = {entry["key"]: entry["value"] for entry in auth["apikey"]}
        headers[settings["key"]] = fill(settings["value"])
    url = fill(request["url"]["raw"]).removeprefix(str(http.base_url).rstrip("/"))
    body = fill(request["body"]["raw"]) if "body" in request else None
    answer = http.request(request["method"], url, headers=headers, content=body)
    for event in item.get("event", []):
        for line in event["script"]["exec"]:
            saved = re.match(r"pm\.collectionVariables\.set\('(\w+)'", line.strip())
            if saved and answer.status_code == 200:
                variables[saved.group(1)] = answer.json()["id"]
    return answer


def test_the_collection_runs_the_payment_flow(exported: dict[str, Any], http: httpx.Client) -> None:
    items = {i["id"]: i for i in requests_of(exported["clover-sandbox.postman_collection.json"])}
    environment = exported["local-sandbox.postman_environment.json"]["values"]
    variables = {v["key"]: v["value"] for v in environment}
    variables.update(
        dict.fromkeys([k for k in variables if k.endswith("_url")], str(http.base_url))
    )
    for step in ("create_token", "create_charge", "capture_charge", "create_refund"):
        answer = _send(http, items[step], variables)
        assert answer.status_code == 200, (step, answer.text)
    charge = http.get(
        f"/v1/charges/{variables['charge']}",
        headers={"authorization": f"Bearer {variables['private_key']}"},
    ).json()
    assert charge["captured"] and charge["refunded"]
