"""The sandbox's OpenAPI 3.1 document, generated from its route table on every request.

Why generated, and why this way: a description written by hand beside the code drifts the
day a field's limit changes. Here every part comes from what the sandbox runs:

- paths, methods and security from the route lines (`route(..., doc=...)`) each resource
  declares in its paths.py and app.py gathers;
- request bodies from the route's own request parser (the function its handler calls, such
  as `charges.model.charge_request`), run on a recording probe (core/probe.py): the
  `fields.*` checks it calls record name, type, required, limits, enum and pattern instead
  of validating. We chose the probe over turning the field checks into declarative data
  because the parsers stay ordinary Python (loops over field tables, checks between fields,
  nested objects), nothing is declared twice, and the resources' validation code needs no
  rewrite: a route added later is documented by one argument, `doc=Operation(...)`, and
  tests/sandbox/test_openapi.py fails for a Clover route without one. A parser that
  branches (`threeds` CLOVER or NON_CLOVER) is run once per `variants` body and the runs
  united; a route whose handler takes other bodies through other parsers (a gift card or
  ACH token) lists them as `alternatives`, and its body is their `oneOf`;
- the errors each route can answer from its handler's call graph (errors.py) plus what the
  `endpoint()` wrapper answers around it;
- answer shapes from schemas.py, which the schemathesis run checks against real answers.

The `/_sandbox` controls, the demo shop and the sandbox's own pages are local, not Clover's:
they are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import reduce
from typing import Any

from helpers.sandbox.core.errors import status_line
from helpers.sandbox.core.lists import CREATED_FILTERS
from helpers.sandbox.core.probe import Probe, merge
from helpers.sandbox.openapi.errors import PAGE, Answer, reached, wrapper_answers
from helpers.sandbox.openapi.operation import HOSTS, Operation, SandboxRoute
from helpers.sandbox.openapi.schemas import COMPONENTS, Schema

OPENAPI = "3.1.0"
SECURITY_SCHEMES: dict[str, Schema] = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "An Ecommerce private key, or an OAuth access token "
        "(docs.clover.com/dev/docs/use-oauth-2-0).",
    },
    "apikey": {
        "type": "apiKey",
        "in": "header",
        "name": "apikey",
        "description": "The merchant's public PAKMS key (GET /pakms/apikey), for the tokenizer.",
    },
}
SECURITY: dict[str, list[dict[str, list[str]]]] = {
    "bearer": [{"bearer": []}],
    "apikey": [{"apikey": []}],
    "none": [],
}
HEADERS: dict[str, Schema] = {
    "x-forwarded-for": {
        "description": "The shopper's IP address; Clover requires it with every charge.",
        "schema": {"type": "string", "minLength": 1, "pattern": r"\S"},
        "example": "203.0.113.7",
    },
    "x-clover-merchant-id": {
        "description": "The merchant's id (Hosted Checkout requires it).",
        "schema": {"type": "string", "minLength": 1, "pattern": r"\S"},
    },
}
QUERY: dict[str, Schema] = {
    "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
    "offset": {"type": "integer", "minimum": 0, "default": 0},
    "starting_after": {"type": "string"},
    "ending_before": {"type": "string"},
    **{name: {"type": "integer", "minimum": 0} for name in CREATED_FILTERS},
}
PATH_PARAMETER = re.compile(r"{(\w+)}")


# The sandbox's own pages and controls: local, not Clover's, so not in the document.
LOCAL_PAGES = ("/", "/openapi.json", "/explorer")
LOCAL_PREFIXES = ("/_sandbox/", "/demo")


def is_clovers(route: SandboxRoute) -> bool:
    """A path Clover serves, which the document must describe."""
    local = route.path in LOCAL_PAGES or route.path.startswith(LOCAL_PREFIXES)
    return route.auth != "local" and not local


def undocumented(routes: Iterable[Any]) -> list[SandboxRoute]:
    """Clover's routes that carry no `doc`: each is a test failure."""
    return [r for r in routes if isinstance(r, SandboxRoute) and is_clovers(r) and r.doc is None]


def documented(routes: Iterable[Any]) -> list[SandboxRoute]:
    """The routes that carry a doc, in the route table's order."""
    return [r for r in routes if isinstance(r, SandboxRoute) and r.doc is not None]


def request_schema(doc: Operation) -> Schema | None:
    """The body's JSON Schema: the parser's checks, recorded by running it on a probe."""
    if doc.body is None:
        return None
    schema = _probed(doc.body, [doc.example or {}, *doc.variants])
    if not doc.alternatives:
        return schema
    others = [_probed(parser, [example]) for parser, example in doc.alternatives]
    return {"oneOf": [schema, *others]}


def _probed(parser: Callable[[Mapping[str, Any]], Any], bodies: list[Mapping[str, Any]]) -> Schema:
    """The parser's schema, from one run on a probe per body, united."""
    schemas = []
    for body in bodies:
        probe = Probe(body, [b for b in bodies if b is not body])
        parser(probe)
        schemas.append(probe.schema())
    return reduce(merge, schemas)


def answers(route: SandboxRoute) -> set[Answer]:
    """Every error the route can answer: its handler's, and the wrapper's around it."""
    return reached([route.handler]) | wrapper_answers(route.auth in ("bearer", "apikey"))


def _error_responses(found: set[Answer]) -> dict[str, Schema]:
    responses: dict[str, Schema] = {}
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    page = {
        "text/html": {"schema": {"type": "string"}},
        "application/json": {"schema": {"$ref": "#/components/schemas/Object"}},
    }
    for status in sorted({a.status for a in found}):
        here = [a for a in found if a.status == status]
        codes = sorted({a.code or "(bare 401)" for a in here if a.type != PAGE})
        content: Schema = {}
        kinds = []
        if codes:
            content |= error
            kinds.append(f"error.code is one of {', '.join(codes)}")
        if any(a.type == PAGE for a in here):
            content |= page
            kinds.append("a page or a redirect")
        description = f"{status_line(status)}: {' or '.join(kinds)}."
        responses[str(status)] = {"description": description, "content": content}
    return responses


def _parameters(route: SandboxRoute, doc: Operation) -> list[Schema]:
    parameters: list[Schema] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in PATH_PARAMETER.findall(route.path)
    ]
    parameters += [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": QUERY.get(name, {"type": "string"}),
        }
        for name in doc.query
    ]
    parameters += [
        {"name": name, "in": "header", "required": True, **HEADERS[name]} for name in doc.headers
    ]
    return parameters


def operation(route: SandboxRoute, method: str) -> Schema:
    doc = route.doc
    assert doc is not None
    success: Schema = {"description": "Success."}
    if doc.media == "application/json":
        schema = {"$ref": f"#/components/schemas/{doc.response}"}
        success["content"] = {doc.media: {"schema": schema}}
    else:
        success["content"] = {doc.media: {"schema": {"type": "string"}}}
    if doc.links:
        success["links"] = {name: dict(link) for name, link in doc.links.items()}
    found = answers(route)
    result: Schema = {
        "operationId": route.handler.__name__,
        "summary": doc.summary,
        "tags": [doc.tag],
        "externalDocs": {"url": doc.reference},
        "security": SECURITY[route.auth],
        "parameters": _parameters(route, doc),
        "responses": {"200": success, **_error_responses(found)},
        "servers": [
            {"url": ".", "description": "This local sandbox"},
            {"url": HOSTS[doc.host]["sandbox"], "description": "Clover's sandbox"},
            {"url": HOSTS[doc.host]["production"], "description": "Clover's production"},
        ],
    }
    body = request_schema(doc)
    if body is not None:
        media = "application/x-www-form-urlencoded" if doc.form else "application/json"
        content: Schema = {"schema": body}
        if doc.example is not None:
            content["example"] = dict(doc.example)
        result["requestBody"] = {
            "required": bool(body.get("required") or "oneOf" in body),
            "content": {media: content},
        }
    return result


def build(routes: Iterable[Any], version: str = "1") -> dict[str, Any]:
    """The whole document for the sandbox's route table."""
    paths: dict[str, dict[str, Schema]] = {}
    for route in documented(routes):
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue
            paths.setdefault(route.path, {})[method.lower()] = operation(route, method)
    return {
        "openapi": OPENAPI,
        "info": {
            "title": "Clover Ecommerce API (local sandbox)",
            "version": version,
            "description": "Clover's card-not-present API as the kit's local sandbox serves it, "
            "generated from the sandbox's own routes and checks. Each operation lists the "
            "Clover host that serves it in production.",
        },
        "servers": [{"url": ".", "description": "This local sandbox"}],
        "paths": paths,
        "components": {"schemas": COMPONENTS, "securitySchemes": SECURITY_SCHEMES},
    }
