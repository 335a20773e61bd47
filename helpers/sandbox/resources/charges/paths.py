"""Charges' paths (scl host), each with its OpenAPI operation; app.py gathers them."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.examples import THREEDS_VARIANTS
from helpers.sandbox.openapi.operation import LIST, REF, Operation, route
from helpers.sandbox.resources.charges import routes as charges
from helpers.sandbox.resources.threeds import model as threeds_model
from helpers.sandbox.resources.threeds.paths import THREEDS_FLOW


def routes() -> list[BaseRoute]:
    return [
        route(
            "/v1/charges",
            charges.create_charge,
            "POST",
            doc=Operation(
                "Create a charge: a sale, or an authorization with capture false (a card, "
                "gift card or ACH token; 3-D Secure in threeds)",
                "Charges",
                "ecommerce",
                REF + "createcharge",
                body=charges.model.charge_request,
                example={"amount": 1358, "currency": "usd", "source": "clv_...", "capture": False},
                variants=THREEDS_VARIANTS,
                response="Charge",
                headers=("x-forwarded-for",),
                links={
                    "capture": {
                        "operationId": "capture_charge",
                        "parameters": {"charge_id": "$response.body#/id"},
                    },
                    "refund": {
                        "operationId": "create_refund",
                        "requestBody": {"charge": "$response.body#/id"},
                    },
                    "read": {
                        "operationId": "get_charge",
                        "parameters": {"charge_id": "$response.body#/id"},
                    },
                },
            ),
        ),
        route(
            "/v1/charges",
            charges.list_charges,
            "GET",
            doc=Operation(
                "List charges, newest first",
                "Charges",
                "ecommerce",
                REF + "listcharges",
                response="ChargeList",
                query=(*LIST, "customer", "is_threeds", "threeds_validation_result"),
            ),
        ),
        route(
            "/v1/charges/finalize_payment",
            charges.finalize_payment,
            "POST",
            doc=Operation(
                "Finalize a 3-D Secure payment after its method flow or challenge: success, "
                "a decline (402), or after a method flow a challenge",
                "Charges",
                "ecommerce",
                THREEDS_FLOW,
                body=threeds_model.finalize_request,
                example={
                    "charge_id": "ABC123DEF4567",
                    "threeds": {"source": "CLOVER", "flow_status": "Y"},
                },
                response="Charge",
            ),
        ),
        route(
            "/v1/charges/{charge_id}",
            charges.get_charge,
            "GET",
            doc=Operation(
                "Read a charge", "Charges", "ecommerce", REF + "getcharge", response="Charge"
            ),
        ),
        route(
            "/v1/charges/{charge_id}/capture",
            charges.capture_charge,
            "POST",
            doc=Operation(
                "Capture an authorization, all of it or part",
                "Charges",
                "ecommerce",
                REF + "capturecharge",
                body=charges.capture_request,
                example={},
                response="Charge",
                links={
                    "refund": {
                        "operationId": "create_refund",
                        "requestBody": {"charge": "$response.body#/id"},
                    }
                },
            ),
        ),
    ]
