"""Customers' paths (scl host): cards on file, each with its OpenAPI operation; app.py
gathers them."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.operation import REF, Operation, route
from helpers.sandbox.resources.customers import routes as customers


def routes() -> list[BaseRoute]:
    return [
        route(
            "/v1/customers",
            customers.create_customer,
            "POST",
            doc=Operation(
                "Save a card on file: a customer with the card of a token",
                "Customers",
                "ecommerce",
                REF + "createcustomer",
                body=customers.create_request,
                example={"source": "clv_...", "email": "learner@example.com"},
                response="Customer",
                links={
                    name: {"operationId": name, "parameters": {"customer_id": "$response.body#/id"}}
                    for name in ("get_customer", "update_customer")
                },
            ),
        ),
        route(
            "/v1/customers/{customer_id}",
            customers.get_customer,
            "GET",
            doc=Operation(
                "Read a customer",
                "Customers",
                "ecommerce",
                REF + "getcustomer",
                response="Customer",
            ),
        ),
        route(
            "/v1/customers/{customer_id}",
            customers.update_customer,
            "PUT",
            doc=Operation(
                "Update a customer's details, or add a card",
                "Customers",
                "ecommerce",
                REF + "updatecustomer",
                body=customers.update_request,
                example={"firstName": "Ada"},
                response="Customer",
            ),
        ),
        route(
            "/v1/customers/{customer_id}/sources/{card_id}",
            customers.delete_source,
            "DELETE",
            doc=Operation(
                "Revoke a card on file",
                "Customers",
                "ecommerce",
                REF + "revokecard",
                response="DeletedCard",
            ),
        ),
    ]
