"""Orders' paths (scl host), each with its OpenAPI operation; app.py gathers them."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.examples import THREEDS_VARIANTS
from helpers.sandbox.openapi.operation import LIST, REF, Operation, route
from helpers.sandbox.resources.orders import routes as orders


def routes() -> list[BaseRoute]:
    return [
        route(
            "/v1/orders",
            orders.create_order,
            "POST",
            doc=Operation(
                "Create an order of items",
                "Orders",
                "ecommerce",
                REF + "postorders",
                body=orders.order_request,
                example={"currency": "usd", "items": [{"amount": 1358, "description": "Mug"}]},
                response="Order",
                links={
                    name: {"operationId": name, "parameters": {"order_id": "$response.body#/id"}}
                    for name in ("get_order", "pay_order", "return_order")
                },
            ),
        ),
        route(
            "/v1/orders",
            orders.list_orders,
            "GET",
            doc=Operation(
                "List orders, newest first",
                "Orders",
                "ecommerce",
                REF + "getorders",
                response="OrderList",
                query=(*LIST, "customer", "status"),
            ),
        ),
        route(
            "/v1/orders/{order_id}",
            orders.get_order,
            "GET",
            doc=Operation(
                "Read an order", "Orders", "ecommerce", REF + "getorder", response="Order"
            ),
        ),
        route(
            "/v1/orders/{order_id}/pay",
            orders.pay_order,
            "POST",
            doc=Operation(
                "Pay an order (all that is left, or part) with a token or a customer's card; "
                "3-D Secure in threeds (dev/docs/add-3ds-to-pay-for-an-order)",
                "Orders",
                "ecommerce",
                REF + "postordersidpay",
                body=orders.pay_request,
                example={"source": "clv_..."},
                variants=tuple(
                    {"source": "clv_...", "threeds": v["threeds"]} for v in THREEDS_VARIANTS
                ),
                response="Order",
                headers=("x-forwarded-for",),
            ),
        ),
        route(
            "/v1/orders/{order_id}/returns",
            orders.return_order,
            "POST",
            doc=Operation(
                "Return an order, or some of its items",
                "Orders",
                "ecommerce",
                REF + "postordersidreturns",
                body=orders.return_request,
                example={
                    "items": [
                        {"parent": "ITEM_PARENT_ID", "amount": 1250, "type": "sku", "quantity": 1}
                    ]
                },
                response="Order",
            ),
        ),
    ]
