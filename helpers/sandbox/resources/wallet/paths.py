"""Apple Pay's domain-verification path (a placeholder here; see routes.py); app.py
gathers it."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.operation import Operation, route
from helpers.sandbox.resources.wallet import routes as wallet


def routes() -> list[BaseRoute]:
    return [
        route(
            "/.well-known/apple-developer-merchantid-domain-association",
            wallet.domain_association,
            "GET",
            auth="none",
            doc=Operation(
                "Apple Pay's domain-verification file (a placeholder: a shop hosts its own)",
                "iframe SDK",
                "checkout",
                "https://docs.clover.com/dev/docs/clover-iframe-features-apple-pay",
                media="text/plain",
            ),
        ),
    ]
