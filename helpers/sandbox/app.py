"""The sandbox's ASGI app: every Clover host's paths, served from one origin.

The route table below is the map of the sandbox: each Clover endpoint points at the
handler module named after the resource it serves.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from helpers.sandbox.core.errors import ApiError, unexpected
from helpers.sandbox.core.http import endpoint, error_response
from helpers.sandbox.core.state import SandboxState
from helpers.sandbox.core.store import Store
from helpers.sandbox.local import controls as control
from helpers.sandbox.local import demo
from helpers.sandbox.local.faults import quiet_dropped_connections
from helpers.sandbox.pages import STATIC
from helpers.sandbox.resources.charges import routes as charges
from helpers.sandbox.resources.customers import routes as customers
from helpers.sandbox.resources.hosted_checkout import routes as checkout
from helpers.sandbox.resources.hosted_checkout import webhooks
from helpers.sandbox.resources.oauth import routes as oauth
from helpers.sandbox.resources.orders import routes as orders
from helpers.sandbox.resources.pakms import routes as pakms
from helpers.sandbox.resources.refunds import routes as refunds
from helpers.sandbox.resources.tokens import encrypted_pan as pan
from helpers.sandbox.resources.tokens import routes as tokens

# The card field holds the number: it loads nothing but its own script and style and talks
# only to its own origin. Framing stays open, since every merchant page embeds it.
FIELD_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
)


def _static_file(name: str, media_type: str, csp: str | None = None) -> Route:
    headers = {"cache-control": "no-cache"}
    if csp:
        headers["content-security-policy"] = csp

    async def serve(request: Request) -> Response:
        return FileResponse(STATIC / name, media_type=media_type, headers=headers)

    return Route(f"/{name}", serve, methods=["GET"])


async def home(request: Request) -> Response:
    return HTMLResponse(
        "<!doctype html><title>Clover sandbox (local)</title>"
        "<h1>Local Clover sandbox</h1><p>A stand-in for Clover's Ecommerce servers, for "
        "learning. Try the <a href='demo/checkout'>demo checkout</a>, or read the "
        "<a href='_sandbox/merchants'>demo merchants</a>.</p>"
    )


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        error = ApiError(
            404,
            "invalid_request_error",
            "resource_missing",
            f"Unrecognized request URL ({request.method}: {request.url.path}).",
        )
    elif exc.status_code == 405:
        error = ApiError(
            405,
            "invalid_request_error",
            "invalid_request",
            f"{request.method} is not allowed on {request.url.path}.",
        )
    else:
        error = ApiError(
            exc.status_code, "invalid_request_error", "invalid_request", str(exc.detail)
        )
    return error_response(error)


async def unforeseen(request: Request, exc: Exception) -> Response:
    """The last net, for routes outside `endpoint()` (pages, OAuth, controls): the envelope,
    never a traceback. The server's log still gets the traceback."""
    return error_response(unexpected())


def routes() -> list[BaseRoute]:
    table: list[BaseRoute] = [
        Route("/", home, methods=["GET"]),
        # OAuth v2 (www and api hosts)
        Route("/oauth/v2/authorize", oauth.authorize, methods=["GET"]),
        Route("/oauth/v2/authorize", oauth.consent, methods=["POST"]),
        Route("/oauth/v2/token", oauth.json_endpoint(oauth.exchange_code), methods=["POST"]),
        Route("/oauth/v2/refresh", oauth.json_endpoint(oauth.refresh), methods=["POST"]),
        # Ecommerce API (scl host)
        Route("/pakms/apikey", endpoint(pakms.get_apikey), methods=["GET"]),
        Route("/v1/charges", endpoint(charges.create_charge), methods=["POST"]),
        Route("/v1/charges", endpoint(charges.list_charges), methods=["GET"]),
        Route("/v1/charges/{charge_id}", endpoint(charges.get_charge), methods=["GET"]),
        Route(
            "/v1/charges/{charge_id}/capture", endpoint(charges.capture_charge), methods=["POST"]
        ),
        Route("/v1/refunds", endpoint(refunds.create_refund), methods=["POST"]),
        Route("/v1/refunds", endpoint(refunds.list_refunds), methods=["GET"]),
        Route("/v1/refunds/{refund_id}", endpoint(refunds.get_refund), methods=["GET"]),
        Route("/v1/customers", endpoint(customers.create_customer), methods=["POST"]),
        Route("/v1/customers/{customer_id}", endpoint(customers.get_customer), methods=["GET"]),
        Route("/v1/customers/{customer_id}", endpoint(customers.update_customer), methods=["PUT"]),
        Route(
            "/v1/customers/{customer_id}/sources/{card_id}",
            endpoint(customers.delete_source),
            methods=["DELETE"],
        ),
        Route("/v1/orders", endpoint(orders.create_order), methods=["POST"]),
        Route("/v1/orders", endpoint(orders.list_orders), methods=["GET"]),
        Route("/v1/orders/{order_id}", endpoint(orders.get_order), methods=["GET"]),
        Route("/v1/orders/{order_id}/pay", endpoint(orders.pay_order), methods=["POST"]),
        Route("/v1/orders/{order_id}/returns", endpoint(orders.return_order), methods=["POST"]),
        # Hosted Checkout (api host), and the payment page it links to
        Route(
            "/invoicingcheckoutservice/v1/checkouts",
            endpoint(checkout.create_checkout),
            methods=["POST"],
        ),
        Route("/checkout/{session_id}", checkout.page, methods=["GET"]),
        Route("/checkout/{session_id}", checkout.submit, methods=["POST"]),
        # Tokenizer (token host)
        Route("/v1/tokens", endpoint(tokens.create_token, auth="apikey"), methods=["POST"]),
        # iframe SDK (checkout host)
        _static_file("sdk.js", "application/javascript"),
        _static_file("widget.html", "text/html", FIELD_CSP),
        Route("/assets/keys.json", pan.keys_json, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        # Local-only control API
        Route("/_sandbox/merchants", control.merchants, methods=["GET"]),
        Route("/_sandbox/reset", control.reset, methods=["POST"]),
        Route("/_sandbox/health", control.health, methods=["GET"]),
        Route("/_sandbox/webhooks", webhooks.settings, methods=["GET", "POST"]),
        Route("/_sandbox/webhooks/deliveries", webhooks.deliveries, methods=["GET"]),
        Route("/_sandbox/checkout", checkout.settings, methods=["GET", "POST"]),
        Route("/_sandbox/faults", control.faults, methods=["GET", "POST", "DELETE"]),
        Route("/_sandbox/rate-limits", control.rate_limits, methods=["GET", "POST"]),
        Route("/_sandbox/requests", control.requests, methods=["GET"]),
        Route("/_sandbox/clock", control.clock, methods=["POST"]),
        Route("/_sandbox/oauth/lifetimes", control.oauth_lifetimes, methods=["GET", "POST"]),
    ]
    return table + demo.routes


def create_app(seed: int | None = None, db: str | Path | None = None) -> Starlette:
    """A sandbox app with its own state; `seed` makes ids, codes and times repeat."""
    app = Starlette(
        routes=routes(), exception_handlers={HTTPException: http_error, Exception: unforeseen}
    )
    app.router.redirect_slashes = False  # /v1/charges/ is not Clover's path: a 404, not a 307
    app.state.sandbox = SandboxState.create(Store(seed=seed, db_path=db))
    quiet_dropped_connections()
    return app
