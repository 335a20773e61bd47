"""PAKMS's path (scl host): the public key the tokenizer takes, with its OpenAPI operation;
app.py gathers it."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.operation import REF, Operation, route
from helpers.sandbox.resources.pakms import routes as pakms


def routes() -> list[BaseRoute]:
    return [
        route(
            "/pakms/apikey",
            pakms.get_apikey,
            "GET",
            doc=Operation(
                "The merchant's public key for the tokenizer (PAKMS)",
                "Tokens",
                "ecommerce",
                REF + "getapikey",
                response="ApiKey",
            ),
        ),
    ]
