"""The local-only control API (`/_sandbox/*`) and the demo shop beside the sandbox: not
Clover's paths, so not in the OpenAPI document; app.py gathers them."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.local import controls, demo
from helpers.sandbox.openapi.operation import route


def controls_routes() -> list[BaseRoute]:
    return [
        route("/_sandbox/merchants", controls.merchants, "GET", "POST", auth="local"),
        route("/_sandbox/reset", controls.reset, "POST", auth="local"),
        route("/_sandbox/health", controls.health, "GET", auth="local"),
        route("/_sandbox/webhooks", controls.webhook_settings, "GET", "POST", auth="local"),
        route("/_sandbox/webhooks/deliveries", controls.webhook_deliveries, "GET", auth="local"),
        route("/_sandbox/checkout", controls.checkout, "GET", "POST", auth="local"),
        route("/_sandbox/faults", controls.faults, "GET", "POST", "DELETE", auth="local"),
        route("/_sandbox/rate-limits", controls.rate_limits, "GET", "POST", auth="local"),
        route("/_sandbox/requests", controls.requests, "GET", auth="local"),
        route("/_sandbox/clock", controls.clock, "GET", "POST", auth="local", unit=False),
        route("/_sandbox/oauth/lifetimes", controls.oauth_lifetimes, "GET", "POST", auth="local"),
        route("/_sandbox/oauth/site-urls", controls.site_urls, "GET", "POST", auth="local"),
    ]


def demo_routes() -> list[BaseRoute]:
    """The demo shop: a merchant's page and server next to the sandbox."""
    return [
        route("/demo", demo.demo_index, "GET", auth="none"),
        route("/demo/checkout", demo.checkout_page, "GET", auth="none"),
        route("/demo/charge", demo.charge, "POST", auth="none", parse_json=False),
    ]
