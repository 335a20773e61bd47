"""Refunds' paths (scl host), each with its OpenAPI operation; app.py gathers them."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.operation import LIST, REF, Operation, route
from helpers.sandbox.resources.refunds import routes as refunds


def routes() -> list[BaseRoute]:
    return [
        route(
            "/v1/refunds",
            refunds.create_refund,
            "POST",
            doc=Operation(
                "Refund a captured charge, or void an authorization",
                "Refunds",
                "ecommerce",
                REF + "createrefund",
                body=refunds.refund_request,
                example={"charge": "CHARGE_ID"},
                response="Refund",
                links={
                    "read": {
                        "operationId": "get_refund",
                        "parameters": {"refund_id": "$response.body#/id"},
                    }
                },
            ),
        ),
        route(
            "/v1/refunds",
            refunds.list_refunds,
            "GET",
            doc=Operation(
                "List refunds, newest first",
                "Refunds",
                "ecommerce",
                REF + "listrefunds",
                response="RefundList",
                query=(*LIST, "charge"),
            ),
        ),
        route(
            "/v1/refunds/{refund_id}",
            refunds.get_refund,
            "GET",
            doc=Operation(
                "Read a refund", "Refunds", "ecommerce", REF + "getrefund", response="Refund"
            ),
        ),
    ]
