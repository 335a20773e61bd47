"""The sandbox's ASGI app: every Clover host's paths, served from one origin.

Each resource declares its own lines of the map in its `paths.py` (resources/*/paths.py):
a path, a plain handler, the auth it declares and its OpenAPI operation. `routes()` below
gathers them into the route table; every route is wrapped by `endpoint()` (core/http.py)
with its auth: `bearer` or `apikey` for Clover's API, `none` where the request proves
itself (OAuth, the checkout link, pages), `local` for the local-only controls. Handlers
raise `ApiError`; `endpoint()` renders it (the app's handlers below are the net for the rest).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount
from starlette.staticfiles import StaticFiles

from helpers.sandbox.core.errors import (
    ApiError,
    http_status,
    method_not_allowed,
    unexpected,
    unknown_url,
)
from helpers.sandbox.core.http import Call, api_error, error_response
from helpers.sandbox.core.routing import NarrowingRouter
from helpers.sandbox.core.state import Sandbox
from helpers.sandbox.core.store import Store
from helpers.sandbox.local import paths as local
from helpers.sandbox.local.faults import quiet_dropped_connections
from helpers.sandbox.local.guard import Addresses, LocalGuard, Refusals
from helpers.sandbox.openapi import explorer
from helpers.sandbox.openapi.operation import route
from helpers.sandbox.pages import STATIC
from helpers.sandbox.pages.render import NOT_FRAMED, render
from helpers.sandbox.resources.app_webhooks import paths as app_webhooks
from helpers.sandbox.resources.charges import paths as charges
from helpers.sandbox.resources.customers import paths as customers
from helpers.sandbox.resources.gift_cards import paths as gift_cards
from helpers.sandbox.resources.hosted_checkout import paths as hosted_checkout
from helpers.sandbox.resources.iframe import paths as iframe
from helpers.sandbox.resources.oauth import paths as oauth
from helpers.sandbox.resources.orders import paths as orders
from helpers.sandbox.resources.pakms import paths as pakms
from helpers.sandbox.resources.recurring import paths as recurring
from helpers.sandbox.resources.refunds import paths as refunds
from helpers.sandbox.resources.threeds import paths as threeds
from helpers.sandbox.resources.tokens import paths as tokens
from helpers.sandbox.resources.wallet import paths as wallet
from helpers.sandbox.state import SandboxState

# Clover's products, in the order the OpenAPI document and the explorer list them.
# /v1/refunds/{refund_id}/cancel (gift cards) comes before /v1/refunds.
CLOVER = (
    oauth,
    pakms,
    charges,
    gift_cards,
    refunds,
    customers,
    orders,
    recurring,
    hosted_checkout,
    tokens,
    iframe,
    threeds,
    wallet,
)


def home(call: Call) -> Response:
    return render("home.html", headers=NOT_FRAMED)


def routes() -> list[BaseRoute]:
    """The route table: the home page, each product's paths, then the sandbox's own."""
    table: list[BaseRoute] = [route("/", home, "GET", auth="none")]
    for product in CLOVER:
        table += product.routes()
    return [
        *table,
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        # This map, as OpenAPI 3.1, and the explorer page that shows it (local)
        route("/openapi.json", explorer.document, "GET", auth="none"),
        route("/explorer", explorer.page, "GET", auth="none"),
        Mount("/explorer/assets", StaticFiles(directory=explorer.ASSETS), name="explorer"),
        *local.controls_routes(),
        *app_webhooks.routes(),
        *local.demo_routes(),
    ]


async def http_error(request: Request, exc: Exception) -> Response:
    """A path or method no route takes, in Clover's envelope."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        error = unknown_url(request.method, request.url.path)
    elif exc.status_code == 405:
        error = method_not_allowed(request.method, request.url.path, _allowed(request))
    else:
        error = http_status(exc.status_code, str(exc.detail))
    return error_response(error)


def _allowed(request: Request) -> list[str]:
    """The methods the routes of this path take, for a 405's `Allow` (RFC 9110 15.5.6)."""
    methods: set[str] = set()
    for candidate in request.app.routes:
        found, _ = candidate.matches(request.scope)
        if found is not Match.NONE:
            methods |= set(getattr(candidate, "methods", None) or ())
    return sorted(methods)


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
        middleware=[
            Middleware(LocalGuard, addresses=addresses, refused=refused),
        ],
        exception_handlers={
            ApiError: api_error,
            HTTPException: http_error,
            Exception: unforeseen,
        },
    )
    # /v1/charges/ is not Clover's path: a 404, not a 307
    app.router = NarrowingRouter(routes(), redirect_slashes=False)
    app.state.addresses = addresses
    app.state.guard_refused = refused
    sandbox: Sandbox = SandboxState.create(Store(seed=seed, db_path=db))  # mypy checks it fits
    app.state.sandbox = sandbox
    quiet_dropped_connections()
    return app
