"""Export the sandbox's OpenAPI document as a Postman collection and environments.

    .venv/bin/python tools/postman.py --out dist/

writes `clover-sandbox.postman_collection.json` (Collection Format v2.1: one folder per tag,
one request per operation, each with its documented example body) and two environments:
`local-sandbox` (the demo merchant's published keys, http://127.0.0.1:8765 for every host)
and `clover-sandbox` (Clover's sandbox hosts, keys left for you to paste). Credentials and
hosts are variables, never written into a request. Where the document links one answer to
the next request (token -> charge -> capture -> refund), the request saves the id into the
variable the next one uses, so the folder runs top to bottom in Postman's runner.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers.sandbox import app  # noqa: E402
from helpers.sandbox.core.merchants import DEMO_MERCHANTS  # noqa: E402
from helpers.sandbox.openapi.document import build  # noqa: E402
from helpers.sandbox.openapi.operation import HOSTS  # noqa: E402

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
LOCAL_URL = "http://127.0.0.1:8765"
PARAMETER = re.compile(r"{(\w+)}")
RESPONSE_ID = "$response.body#/id"


def _host_variable(operation: dict[str, Any]) -> str:
    """`{{ecommerce_url}}`: the variable of the Clover host that serves the operation."""
    production = operation["servers"][-1]["url"]
    host = next(name for name, urls in HOSTS.items() if urls["production"] == production)
    return f"{host}_url"


def _auth(operation: dict[str, Any]) -> dict[str, Any]:
    security = operation["security"]
    if not security:
        return {"type": "noauth"}
    if "apikey" in security[0]:
        key = [
            {"key": "key", "value": "apikey", "type": "string"},
            {"key": "value", "value": "{{api_access_key}}", "type": "string"},
            {"key": "in", "value": "header", "type": "string"},
        ]
        return {"type": "apikey", "apikey": key}
    return {"type": "bearer", "bearer": [{"key": "token", "value": "{{private_key}}"}]}


def _saves(operation: dict[str, Any]) -> list[str]:
    """Variables this request's answer fills for the requests its links lead to."""
    names: list[str] = []
    for link in operation["responses"]["200"].get("links", {}).values():
        for name, value in {**link.get("parameters", {}), **link.get("requestBody", {})}.items():
            if value == RESPONSE_ID and name not in names:
                names.append(name)
    return names


def _filled(example: dict[str, Any], linked: set[str]) -> dict[str, Any]:
    """The example body, with fields another request's answer fills as variables."""
    return {k: f"{{{{{k}}}}}" if k in linked else v for k, v in example.items()}


def _request(path: str, method: str, operation: dict[str, Any], linked: set[str]) -> dict[str, Any]:
    host = _host_variable(operation)
    postman_path = PARAMETER.sub(r"{{\1}}", path)
    headers = [
        {"key": p["name"], "value": str(p.get("example", f"{{{{{p['name']}}}}}"))}
        for p in operation["parameters"]
        if p["in"] == "header"
    ]
    request: dict[str, Any] = {
        "method": method.upper(),
        "header": headers,
        "auth": _auth(operation),
        "url": {
            "raw": f"{{{{{host}}}}}{postman_path}",
            "host": [f"{{{{{host}}}}}"],
            "path": [part for part in postman_path.split("/") if part],
        },
        "description": f"{operation['summary']}. Clover's page: {operation['externalDocs']['url']}",
    }
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is not None:
        body = _filled(content.get("example", {}), linked)
        request["header"].append({"key": "Content-Type", "value": "application/json"})
        request["body"] = {
            "mode": "raw",
            "raw": json.dumps(body, indent=2),
            "options": {"raw": {"language": "json"}},
        }
    item: dict[str, Any] = {
        "id": operation["operationId"],
        "name": operation["summary"],
        "request": request,
    }
    saves = _saves(operation)
    if saves:
        script = [f"pm.collectionVariables.set({n!r}, pm.response.json().id);" for n in saves]
        script = ["if (pm.response.code === 200) {", *script, "}"]
        item["event"] = [{"listen": "test", "script": {"type": "text/javascript", "exec": script}}]
    return item


def collection(document: dict[str, Any]) -> dict[str, Any]:
    operations = [
        (path, method, op) for path, ops in document["paths"].items() for method, op in ops.items()
    ]
    linked = {name for _, _, op in operations for name in _saves(op)}
    folders: dict[str, list[dict[str, Any]]] = {}
    for path, method, op in operations:
        folders.setdefault(op["tags"][0], []).append(_request(path, method, op, linked))
    variables = sorted(linked | {p for path, _, _ in operations for p in PARAMETER.findall(path)})
    return {
        "info": {
            "name": "Clover Ecommerce (local sandbox)",
            "description": document["info"]["description"],
            "schema": SCHEMA,
        },
        "item": [{"name": tag, "item": items} for tag, items in folders.items()],
        "variable": [{"key": name, "value": ""} for name in variables],
    }


def environment(name: str, hosts: dict[str, str], keys: dict[str, str]) -> dict[str, Any]:
    values = [{"key": f"{h}_url", "value": url, "type": "default"} for h, url in hosts.items()]
    values += [{"key": k, "value": v, "type": "secret"} for k, v in keys.items()]
    for value in values:
        value["enabled"] = True
    return {"name": name, "values": values, "_postman_variable_scope": "environment"}


def export(out: Path) -> list[Path]:
    document = build(app.routes())
    demo = DEMO_MERCHANTS[0]
    local_keys = {"private_key": demo.private_key, "api_access_key": demo.api_access_key}
    files = {
        "clover-sandbox.postman_collection.json": collection(document),
        "local-sandbox.postman_environment.json": environment(
            "local-sandbox", dict.fromkeys(HOSTS, LOCAL_URL), local_keys
        ),
        "clover-sandbox.postman_environment.json": environment(
            "clover-sandbox",
            {host: urls["sandbox"] for host, urls in HOSTS.items()},
            dict.fromkeys(local_keys, ""),
        ),
    }
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        path = out / name
        path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="folder to write to")
    args = parser.parse_args(argv)
    for path in export(args.out):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
