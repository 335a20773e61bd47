"""Hosted Checkout's paths (api host), and the payment page it links to, each with its
OpenAPI operation; app.py gathers them."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.operation import Operation, route
from helpers.sandbox.resources.hosted_checkout import routes as hosted_checkout


def routes() -> list[BaseRoute]:
    return [
        route(
            "/invoicingcheckoutservice/v1/checkouts",
            hosted_checkout.create_checkout,
            "POST",
            doc=Operation(
                "Create a Hosted Checkout session",
                "Hosted Checkout",
                "api",
                "https://docs.clover.com/dev/docs/creating-a-hosted-checkout-session",
                body=hosted_checkout.checkout_request,
                example={
                    "customer": {
                        "firstName": "Ada",
                        "lastName": "Lovelace",
                        "email": "ada@example.com",
                        "phoneNumber": "555-555-0002",
                    },
                    "shoppingCart": {"lineItems": [{"name": "Mug", "price": 1358}]},
                },
                response="CheckoutSession",
                headers=("x-clover-merchant-id",),
            ),
        ),
        route(
            "/checkout/{session_id}",
            hosted_checkout.page,
            "GET",
            auth="none",
            doc=Operation(
                "The shopper's payment page of a session (HTML)",
                "Hosted Checkout",
                "checkout",
                "https://docs.clover.com/dev/docs/creating-a-hosted-checkout-session",
                media="text/html",
            ),
        ),
        route(
            "/checkout/{session_id}",
            hosted_checkout.submit,
            "POST",
            auth="none",
            parse_json=False,
            doc=Operation(
                "The payment page's form: pay or cancel (a browser posts it; redirects)",
                "Hosted Checkout",
                "checkout",
                "https://docs.clover.com/dev/docs/creating-a-hosted-checkout-session",
                media="text/html",
            ),
        ),
    ]
