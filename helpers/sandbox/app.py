"""The sandbox's ASGI app: every Clover host's paths, served from one origin.

The route table below is the map of the sandbox. Every route is a plain handler wrapped by
`endpoint()` (core/http.py) with the auth it declares: `bearer` or `apikey` for Clover's
API, `none` where the request proves itself (OAuth, the checkout link, pages), `local` for
the local-only controls. Handlers raise `ApiError`; the app renders it, once, below.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from helpers import card_rules
from helpers.sandbox.core.errors import (
    ApiError,
    http_status,
    method_not_allowed,
    unexpected,
    unknown_url,
)
from helpers.sandbox.core.http import Auth, Call, Handler, api_error, endpoint, error_response
from helpers.sandbox.core.state import SandboxState
from helpers.sandbox.core.store import Store
from helpers.sandbox.local import controls, demo
from helpers.sandbox.local.faults import quiet_dropped_connections
from helpers.sandbox.local.guard import Addresses, LocalGuard, Refusals
from helpers.sandbox.pages import STATIC
from helpers.sandbox.pages.render import render
from helpers.sandbox.resources.app_webhooks import routes as app_webhooks
from helpers.sandbox.resources.charges import routes as charges
from helpers.sandbox.resources.customers import routes as customers
from helpers.sandbox.resources.gift_cards import routes as gift_cards
from helpers.sandbox.resources.hosted_checkout import routes as hosted_checkout
from helpers.sandbox.resources.oauth import routes as oauth
from helpers.sandbox.resources.orders import routes as orders
from helpers.sandbox.resources.pakms import routes as pakms
from helpers.sandbox.resources.recurring import routes as recurring
from helpers.sandbox.resources.refunds import routes as refunds
from helpers.sandbox.resources.threeds import routes as threeds
from helpers.sandbox.resources.tokens import routes as tokens

# The card field holds the number: it loads nothing but its own script and style and talks
# only to its own origin. Framing stays open, since every merchant page embeds it.
FIELD_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
)


def _static_file(name: str, media_type: str) -> Route:
    headers = {"cache-control": "no-cache"}

    def serve(call: Call) -> Response:
        return FileResponse(STATIC / name, media_type=media_type, headers=headers)

    return route(f"/{name}", serve, "GET", auth="none")


def card_field(call: Call) -> Response:
    """`GET /widget.html`: one card field of the iframe SDK, with the card rules it checks
    (helpers/card_rules.py, the tokenizer's own) written in as data."""
    headers = {"cache-control": "no-cache", "content-security-policy": FIELD_CSP}
    return render("widget.html", headers=headers, card_rules=card_rules.as_json())


def home(call: Call) -> Response:
    return render("home.html")


def route(
    path: str, handler: Handler, *methods: str, auth: Auth = "bearer", parse_json: bool = True
) -> Route:
    """One line of the map: a path, its handler, its methods and the auth it declares."""
    return Route(path, endpoint(handler, auth=auth, parse_json=parse_json), methods=list(methods))


def routes() -> list[BaseRoute]:
    return [
        route("/", home, "GET", auth="none"),
        # OAuth v2 (www and api hosts)
        route("/oauth/v2/authorize", oauth.authorize, "GET", auth="none"),
        route("/oauth/v2/authorize", oauth.consent, "POST", auth="none", parse_json=False),
        route("/oauth/v2/token", oauth.exchange_code, "POST", auth="none"),
        route("/oauth/v2/refresh", oauth.refresh, "POST", auth="none"),
        # Ecommerce API (scl host)
        route("/pakms/apikey", pakms.get_apikey, "GET"),
        route("/v1/charges", charges.create_charge, "POST"),
        route("/v1/charges", charges.list_charges, "GET"),
        route("/v1/charges/{charge_id}", charges.get_charge, "GET"),
        route("/v1/charges/{charge_id}/capture", charges.capture_charge, "POST"),
        route("/v1/balance_inquiry", gift_cards.balance_inquiry, "POST"),
        route("/v1/reload", gift_cards.reload, "POST"),
        route("/v1/cashout", gift_cards.cashout, "POST"),
        route("/v1/refunds", refunds.create_refund, "POST"),
        route("/v1/refunds", refunds.list_refunds, "GET"),
        route("/v1/refunds/{refund_id}", refunds.get_refund, "GET"),
        route("/v1/customers", customers.create_customer, "POST"),
        route("/v1/customers/{customer_id}", customers.get_customer, "GET"),
        route("/v1/customers/{customer_id}", customers.update_customer, "PUT"),
        route("/v1/customers/{customer_id}/sources/{card_id}", customers.delete_source, "DELETE"),
        route("/v1/orders", orders.create_order, "POST"),
        route("/v1/orders", orders.list_orders, "GET"),
        route("/v1/orders/{order_id}", orders.get_order, "GET"),
        route("/v1/orders/{order_id}/pay", orders.pay_order, "POST"),
        route("/v1/orders/{order_id}/returns", orders.return_order, "POST"),
        # Recurring payments: plans, subscriptions and their invoices (api host)
        route("/recurring/v1/plans", recurring.create_plan, "POST"),
        route("/recurring/v1/plans", recurring.list_plans, "GET"),
        route("/recurring/v1/plans/{plan_id}", recurring.get_plan, "GET"),
        route("/recurring/v1/plans/{plan_id}", recurring.update_plan, "PUT"),
        route("/recurring/v1/plans/{plan_id}", recurring.delete_plan, "DELETE"),
        route("/recurring/v1/plans/{plan_id}/subscriptions", recurring.create_subscription, "POST"),
        route(
            "/recurring/v1/plans/{plan_id}/subscriptions", recurring.list_plan_subscriptions, "GET"
        ),
        route("/recurring/v1/subscriptions", recurring.list_subscriptions, "GET"),
        route("/recurring/v1/subscriptions/{subscription_id}", recurring.get_subscription, "GET"),
        route(
            "/recurring/v1/subscriptions/{subscription_id}", recurring.update_subscription, "PUT"
        ),
        route(
            "/recurring/v1/subscriptions/{subscription_id}",
            recurring.cancel_subscription,
            "DELETE",
        ),
        route(
            "/recurring/v1/subscriptions/{subscription_id}/invoices",
            recurring.list_invoices,
            "GET",
        ),
        # Hosted Checkout (api host), and the payment page it links to
        route("/invoicingcheckoutservice/v1/checkouts", hosted_checkout.create_checkout, "POST"),
        route("/checkout/{session_id}", hosted_checkout.page, "GET", auth="none"),
        route(
            "/checkout/{session_id}", hosted_checkout.submit, "POST", auth="none", parse_json=False
        ),
        # Tokenizer (token host)
        route("/v1/tokens", tokens.create_token, "POST", auth="apikey"),
        # iframe SDK (checkout host)
        _static_file("sdk.js", "application/javascript"),
        route("/widget.html", card_field, "GET", auth="none"),
        route("/assets/keys.json", tokens.keys_json, "GET", auth="none"),
        # 3-D Secure script (checkout host) and the issuer's challenge page it frames
        _static_file("clover3DS/clover3DS-sdk.js", "application/javascript"),
        route("/clover3DS/challenge/{transaction_id}", threeds.challenge_page, "GET", auth="none"),
        route(
            "/clover3DS/challenge/{transaction_id}",
            threeds.answer_challenge,
            "POST",
            auth="none",
            parse_json=False,
        ),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        # Local-only control API
        route("/_sandbox/merchants", controls.merchants, "GET", "POST", auth="local"),
        route("/_sandbox/reset", controls.reset, "POST", auth="local"),
        route("/_sandbox/health", controls.health, "GET", auth="local"),
        route("/_sandbox/webhooks", controls.webhook_settings, "GET", "POST", auth="local"),
        route("/_sandbox/webhooks/deliveries", controls.webhook_deliveries, "GET", auth="local"),
        route("/_sandbox/app-webhooks", app_webhooks.settings, "GET", "POST", auth="local"),
        route("/_sandbox/app-webhooks/verify", app_webhooks.verify, "POST", auth="local"),
        route("/_sandbox/app-webhooks/deliveries", app_webhooks.deliveries, "GET", auth="local"),
        route("/_sandbox/app-webhooks/trigger", app_webhooks.trigger, "POST", auth="local"),
        route("/_sandbox/checkout", controls.checkout, "GET", "POST", auth="local"),
        route("/_sandbox/faults", controls.faults, "GET", "POST", "DELETE", auth="local"),
        route("/_sandbox/rate-limits", controls.rate_limits, "GET", "POST", auth="local"),
        route("/_sandbox/requests", controls.requests, "GET", auth="local"),
        route("/_sandbox/clock", controls.clock, "GET", "POST", auth="local"),
        route("/_sandbox/threeds", threeds.dashboard_setting, "GET", "POST", auth="local"),
        route("/_sandbox/oauth/lifetimes", controls.oauth_lifetimes, "GET", "POST", auth="local"),
        route("/_sandbox/oauth/site-urls", controls.site_urls, "GET", "POST", auth="local"),
        # The demo shop: a merchant's page and server next to the sandbox (local-only)
        route("/demo", demo.demo_index, "GET", auth="none"),
        route("/demo/checkout", demo.checkout_page, "GET", auth="none"),
        route("/demo/charge", demo.charge, "POST", auth="none", parse_json=False),
    ]


async def http_error(request: Request, exc: Exception) -> Response:
    """A path or method no route takes, in Clover's envelope."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        error = unknown_url(request.method, request.url.path)
    elif exc.status_code == 405:
        error = method_not_allowed(request.method, request.url.path)
    else:
        error = http_status(exc.status_code, str(exc.detail))
    return error_response(error)


async def unforeseen(request: Request, exc: Exception) -> Response:
    """The last net, for what no `endpoint()` wraps (static files): the envelope, never a
    traceback. The server's log still gets the traceback."""
    return error_response(unexpected())


def create_app(
    seed: int | None = None,
    db: str | Path | None = None,
    *,
    public_urls: tuple[str, ...] = (),
) -> Starlette:
    """A sandbox app with its own state; `seed` makes ids, codes and times repeat.

    `public_urls` are the addresses a browser reaches it at besides loopback (default:
    `CLOVER_SANDBOX_PUBLIC_URL`); the first is the address its checkout links carry.
    Every request first passes the local guard (local/guard.py): Host, Origin, JSON controls.
    """
    addresses = Addresses.from_environment(public_urls)
    refused = Refusals()
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(LocalGuard, addresses=addresses, refused=refused)],
        exception_handlers={
            ApiError: api_error,
            HTTPException: http_error,
            Exception: unforeseen,
        },
    )
    app.router.redirect_slashes = False  # /v1/charges/ is not Clover's path: a 404, not a 307
    app.state.addresses = addresses
    app.state.guard_refused = refused
    app.state.sandbox = SandboxState.create(Store(seed=seed, db_path=db))
    quiet_dropped_connections()
    return app
