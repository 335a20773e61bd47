"""One line of the sandbox's map, `route(path, handler, *methods, auth=..., doc=...)`, and
what it adds to be documented: one `Operation`. Each resource declares its lines in its
own `paths.py`; app.py gathers them.

Everything else in its OpenAPI operation is read from the code: the path and its
parameters, the methods and the security from the route line itself, the request body's
schema from `body` (the route's own request parser, run on a probe), the errors from the
handler's call graph (errors.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from starlette.responses import FileResponse, Response
from starlette.routing import Route

from helpers.sandbox.core.http import Auth, Call, Handler, endpoint
from helpers.sandbox.core.lists import CREATED_FILTERS
from helpers.sandbox.pages import STATIC

# Which Clover host serves the path (helpers/clover/environments.py names them all).
Host = Literal["ecommerce", "tokenizer", "api", "oauth", "checkout"]

HOSTS: dict[Host, dict[str, str]] = {
    "ecommerce": {
        "sandbox": "https://scl-sandbox.dev.clover.com",
        "production": "https://scl.clover.com",
    },
    "tokenizer": {
        "sandbox": "https://token-sandbox.dev.clover.com",
        "production": "https://token.clover.com",
    },
    "api": {"sandbox": "https://apisandbox.dev.clover.com", "production": "https://api.clover.com"},
    "oauth": {"sandbox": "https://sandbox.dev.clover.com", "production": "https://www.clover.com"},
    "checkout": {
        "sandbox": "https://checkout.sandbox.dev.clover.com",
        "production": "https://checkout.clover.com",
    },
}

# Clover's API reference pages, and the query parameters every list of it takes
# (docs: get-charges).
REF = "https://docs.clover.com/reference/"
LIST = ("limit", "starting_after", "ending_before", *CREATED_FILTERS)


@dataclass(frozen=True)
class Operation:
    """A route's documentation: the words, and the parser and example its schema comes from.

    `body`: the request parser the handler itself calls, given the JSON body (or form);
    `example`: a body that passes it (the explorer shows it, the probe answers with it);
    `response`: the component schema of a success (`Charge`), or a media type's raw body;
    `variants`: more bodies the parser passes, down branches the example does not take
    (threeds CLOVER / NON_CLOVER): the schema unites every run (core/probe.py);
    `alternatives`: (parser, example) of the other bodies the handler takes instead, each
    with its own parser (a gift card or ACH token): the body is a `oneOf`;
    `query`: the query parameters the handler reads; `reference`: Clover's page.
    """

    summary: str
    tag: str
    host: Host
    reference: str
    body: Callable[[Mapping[str, Any]], Any] | None = None
    example: Mapping[str, Any] | None = None
    variants: tuple[Mapping[str, Any], ...] = ()
    alternatives: tuple[tuple[Callable[[Mapping[str, Any]], Any], Mapping[str, Any]], ...] = ()
    response: str = "Object"
    media: str = "application/json"
    form: bool = False
    query: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    links: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


class SandboxRoute(Route):
    """A Starlette route that keeps what `route()` was told: the handler, auth and doc."""

    def __init__(
        self,
        path: str,
        endpoint: Any,
        *,
        methods: list[str],
        handler: Any,
        auth: str,
        doc: Operation | None,
    ) -> None:
        super().__init__(path, endpoint, methods=methods)
        self.handler = handler
        self.auth = auth
        self.doc = doc


def route(
    path: str,
    handler: Handler,
    *methods: str,
    auth: Auth = "bearer",
    parse_json: bool = True,
    doc: Operation | None = None,
    unit: bool = True,
) -> Route:
    """One line of the map: a path, its handler, its methods and the auth it declares; with
    `doc`, its operation in the OpenAPI document (`GET /openapi.json`, openapi/)."""
    wrapped = endpoint(handler, auth=auth, parse_json=parse_json, unit=unit)
    return SandboxRoute(path, wrapped, methods=list(methods), handler=handler, auth=auth, doc=doc)


def static_file(name: str, media_type: str, doc: Operation | None = None) -> Route:
    """A file of pages/static (an SDK script) at `/<name>`, as one line of the map."""
    headers = {"cache-control": "no-cache"}

    def serve(call: Call) -> Response:
        return FileResponse(STATIC / name, media_type=media_type, headers=headers)

    serve.__name__ = f"get_{name.replace('.', '_')}"
    return route(f"/{name}", serve, "GET", auth="none", doc=doc)
