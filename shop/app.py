"""The shop's routes: pages for the shopper, ``POST /pay``, and the admin page.

Handlers stay thin: prices come from :mod:`shop.catalog`, moves of an order from
:mod:`shop.orders`, charging and refunding from :mod:`shop.payments`, and every check of
who may do what from :mod:`shop.security` and :mod:`shop.captcha`.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from helpers.clover.cards import test_card
from helpers.clover.client import CloverClient

from . import cart, hosted, payments
from .admin import admin_rows, format_when
from .captcha import Captcha, captcha_for
from .catalog import CATALOG, format_money, parse_money
from .clover import ClientHolder, ensure_local_webhooks
from .config import Settings
from .db import init, opened, transaction
from .orders import IllegalTransition, Order, OrderStatus, create_order, get_order
from .orders import transition as move_order
from .security import (
    SESSION_COOKIE,
    admin_allowed,
    csrf_token,
    new_session,
    parse_form,
    payment_page_csp,
    plain_page_csp,
    read_session,
    valid_csrf,
)

__all__ = ["create_app"]

log = logging.getLogger("shop")
HERE = Path(__file__).resolve().parent

WAIT_REFRESH_S = 2
WAIT_REFRESHES = 30
"""Back from Clover's page, the order page reloads every WAIT_REFRESH_S seconds, at most
WAIT_REFRESHES times (a minute), while it waits for the webhook."""


class _Shop:
    """What every handler needs, built once per app."""

    def __init__(self, settings: Settings, clients: ClientHolder) -> None:
        self.settings = settings
        self.clients = clients
        self.captcha: Captcha = captcha_for(settings)
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.templates.env.filters["money"] = format_money
        self.templates.env.filters["when"] = format_when


def _shop(request: Request) -> _Shop:
    shop: _Shop = request.app.state.shop
    return shop


def _session(request: Request) -> str:
    session_id: str = request.state.session_id
    return session_id


def _customer_ip(request: Request, settings: Settings) -> str:
    """The shopper's IP for Clover's ``x-forwarded-for``."""
    if settings.trust_proxy:
        forwarded = request.headers.get("x-forwarded-for", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first
    return request.client.host if request.client else "127.0.0.1"


class _Guard(BaseHTTPMiddleware):
    """Gives every visitor a signed session cookie and every answer its security headers."""

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        settings = _shop(request).settings
        session_id = read_session(settings.secret_key, request.cookies.get(SESSION_COOKIE))
        cookie = None
        if session_id is None:
            session_id, cookie = new_session(settings.secret_key)
        request.state.session_id = session_id
        response = await call_next(request)
        if cookie is not None:
            response.set_cookie(
                SESSION_COOKIE,
                cookie,
                httponly=True,
                samesite="lax",
                secure=settings.https,
                path=_cookie_path(request),
            )
        response.headers.setdefault("Content-Security-Policy", plain_page_csp())
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Cache-Control", "no-store")
        return response


def _cookie_path(request: Request) -> str:
    """The shop's own path: under a prefix (``/user/ada/clover-shop`` behind Jupyter's
    proxy) the cookie is not sent to the other apps on the same host."""
    return str(request.scope.get("root_path", "")).rstrip("/") + "/"


def _page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    shop = _shop(request)
    context.setdefault("csrf_token", csrf_token(shop.settings.secret_key, _session(request)))
    return shop.templates.TemplateResponse(request, name, context, status_code=status_code)


def _message(
    request: Request, title: str, text: str, status_code: int, *, back: str | None = None
) -> Response:
    """A short page; ``back`` links to where the reader came from (the admin's orders)."""
    return _page(request, "message.html", status_code, title=title, text=text, back=back)


async def _form(request: Request) -> dict[str, str] | None:
    """The posted form, or None when its CSRF token is missing or wrong."""
    form = parse_form(await request.body())
    secret = _shop(request).settings.secret_key
    if not valid_csrf(secret, _session(request), form.get("csrf_token")):
        return None
    return form


def _csrf_refused(request: Request) -> Response:
    return _message(
        request,
        "This form has expired",
        "Please go back, reload the page and try again.",
        403,
    )


# -- shopper pages ------------------------------------------------------------------------


async def products(request: Request) -> Response:
    with opened(_shop(request).settings.database) as connection:
        count = sum(quantity for _, quantity in cart.items(connection, _session(request)))
    return _page(request, "products.html", products=list(CATALOG.values()), cart_count=count)


async def show_cart(request: Request) -> Response:
    with opened(_shop(request).settings.database) as connection:
        lines = cart.items(connection, _session(request))
    total = sum(item.price * quantity for item, quantity in lines)
    return _page(request, "cart.html", lines=lines, total=total)


async def change_cart(request: Request) -> Response:
    form = await _form(request)
    if form is None:
        return _csrf_refused(request)
    with opened(_shop(request).settings.database) as connection:
        try:
            if form.get("action") == "remove":
                cart.remove(connection, _session(request), form.get("sku", ""))
            else:
                quantity = form.get("quantity") or "1"
                if not quantity.isdigit():
                    raise ValueError(f"quantity must be a whole number, not {quantity!r}")
                cart.add(connection, _session(request), form.get("sku", ""), int(quantity))
        except ValueError as error:
            return _message(request, "That could not go in the cart", str(error), 400)
    return RedirectResponse(request.url_for("cart"), status_code=303)


async def checkout(request: Request) -> Response:
    """Turn the cart into a pending order, priced here, and send the shopper to pay it."""
    form = await _form(request)
    if form is None:
        return _csrf_refused(request)
    session_id = _session(request)
    with opened(_shop(request).settings.database) as connection, transaction(connection):
        lines = cart.items(connection, session_id)
        if not lines:
            return RedirectResponse(request.url_for("cart"), status_code=303)
        order = create_order(connection, session_id, lines)
        cart.clear(connection, session_id)
    return RedirectResponse(request.url_for("order", order_id=order.id), status_code=303)


def _own_order(request: Request, order_id: str) -> Order | None:
    """The order if it belongs to this shopper's session; other orders do not exist."""
    with opened(_shop(request).settings.database) as connection:
        order = get_order(connection, order_id)
    if order is None or order.session_id != _session(request):
        return None
    return order


async def show_order(request: Request) -> Response:
    """The payment page while the order is pending; its receipt afterwards (so a reload
    after paying shows the receipt, never a second Pay button)."""
    shop = _shop(request)
    order = _own_order(request, request.path_params["order_id"])
    if order is None:
        return _message(request, "No such order", "We cannot find that order.", 404)
    if order.status is not OrderStatus.PENDING:
        return _page(request, "order.html", order=order)
    if request.query_params.get("from") == "clover":
        # Back from Clover's page: the redirect proves nothing; the signed webhook decides.
        # The page reloads itself (a meta refresh: these pages run no script) until the
        # webhook has moved the order, for a while; then it offers a Refresh link.
        tries = request.query_params.get("tries", "0")
        done = int(tries) + 1 if tries.isdigit() else WAIT_REFRESHES
        refresh = None
        if done < WAIT_REFRESHES:
            refresh = str(request.url_for("order", order_id=order.id)) + (
                f"?from=clover&tries={done}"
            )
        return _page(
            request,
            "order.html",
            order=order,
            waiting=True,
            refresh=refresh,
            refresh_s=WAIT_REFRESH_S,
        )
    client: CloverClient = await run_in_threadpool(shop.clients.get)
    api_access_key = await run_in_threadpool(lambda: client.api_access_key)
    # Behind Jupyter's proxy the sandbox's browser address is a path on the page's own
    # origin; the page and its CSP need the full URL.
    sdk_url = urljoin(str(request.base_url), client.environment.sdk_url)
    shop_script = str(request.url_for("static", path="checkout.js"))
    session_id = _session(request)
    config = {
        "apiAccessKey": api_access_key,
        "merchantId": client.merchant_id,
        "orderId": order.id,
        "payUrl": str(request.url_for("pay")),
        "statusUrl": str(request.url_for("order_status", order_id=order.id)),
        "receiptUrl": str(request.url_for("order", order_id=order.id)),
        "csrfToken": csrf_token(shop.settings.secret_key, session_id),
    }
    # A JSON data block is not run as script; "<" is escaped so it cannot end the block.
    config_json = json.dumps(config).replace("<", "\\u003c")
    response = _page(
        request,
        "pay.html",
        order=order,
        sdk_url=sdk_url,
        shop_script=shop_script,
        config_json=config_json,
        captcha_name=shop.captcha.name,
        captcha=shop.captcha.challenge(order.id),
        environment=client.environment.name,
        test_cards=_test_cards(client, shop.settings),
        hosted_checkout=bool(shop.settings.webhook_secret),
    )
    response.headers["Content-Security-Policy"] = payment_page_csp(
        shop_script,
        sdk_url,
        captcha_scripts=shop.captcha.scripts,
        captcha_frames=shop.captcha.frames,
    )
    return response


def _test_cards(client: CloverClient, settings: Settings) -> list[tuple[str, str]]:
    """The cards the payment page suggests off production: Clover's documented approve and
    decline cards, and on the local sandbox those the shop's settings name (its own
    reasoned declines, which Clover's sandbox would approve)."""
    if client.environment.name == "production":
        return []

    def spaced(number: str) -> str:
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))

    cards = [
        (spaced(test_card("approve").number), "approved"),
        (spaced(test_card("decline").number), "declined"),
    ]
    if client.environment.is_local:
        cards += [(spaced(number), what) for number, what in settings.local_test_cards]
    return cards


def _json(result: payments.PayResult) -> JSONResponse:
    return JSONResponse(result.to_json(), status_code=result.http_status)


async def pay(request: Request) -> Response:
    """``POST /pay`` ``{"order_id", "token", "captcha": {...}}``: never an amount."""
    shop = _shop(request)
    session_id = _session(request)
    if not valid_csrf(shop.settings.secret_key, session_id, request.headers.get("x-csrf-token")):
        return JSONResponse(
            {"outcome": "forbidden", "message": "Your session expired. Please reload the page."},
            status_code=403,
        )
    try:
        body = json.loads(await request.body())
        order_id = str(body["order_id"])
        token = str(body.get("token") or "")
        answer = {str(k): str(v) for k, v in dict(body.get("captcha") or {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return JSONResponse(
            {"outcome": "error", "message": "The payment request was not understood."},
            status_code=400,
        )
    order = _own_order(request, order_id)
    if order is None:
        return JSONResponse(
            {"outcome": "error", "message": "We cannot find that order."}, status_code=404
        )
    customer_ip = _customer_ip(request, shop.settings)
    # The CAPTCHA is checked before anything reaches Clover, on every attempt.
    passed = await run_in_threadpool(shop.captcha.verify, order.id, answer, customer_ip)
    if not passed:
        return JSONResponse(
            {
                "outcome": "captcha_failed",
                "message": "Please answer the check question (it shows you are not a robot).",
                "captcha": shop.captcha.challenge(order.id),
            },
            status_code=403,
        )
    client = await run_in_threadpool(shop.clients.get)
    result = await run_in_threadpool(
        payments.pay,
        shop.settings.database,
        client,
        order.id,
        token,
        customer_ip,
        max_declines=shop.settings.max_declines,
    )
    return _json(result)


async def order_status(request: Request) -> Response:
    order = _own_order(request, request.path_params["order_id"])
    if order is None:
        return JSONResponse({"outcome": "error", "message": "No such order."}, status_code=404)
    result = await run_in_threadpool(payments.status, _shop(request).settings.database, order.id)
    return JSONResponse(result.to_json())


# -- Hosted Checkout ----------------------------------------------------------------------


async def hosted_checkout(request: Request) -> Response:
    """Open a Hosted Checkout session for the order and offer the link to Clover's page.

    A page with a link rather than a redirect: the payment page's CSP allows forms to post
    to this shop only (``form-action 'self'``), and browsers apply that to redirects too.
    """
    shop = _shop(request)
    form = await _form(request)
    if form is None:
        return _csrf_refused(request)
    if not shop.settings.webhook_secret:
        return _message(
            request, "Not available", "Set CLOVER_WEBHOOK_SECRET to use Hosted Checkout.", 503
        )
    order = _own_order(request, request.path_params["order_id"])
    if order is None:
        return _message(request, "No such order", "We cannot find that order.", 404)
    customer = hosted.shopper_from_form(form)
    if isinstance(customer, str):
        return _message(request, "Check your details", customer, 422)
    client = await run_in_threadpool(shop.clients.get)
    try:
        # The local sandbox has one webhook URL per merchant, like Clover's dashboard; a
        # notebook's shop may have taken it. (On Clover it is set once in the dashboard.)
        if await run_in_threadpool(ensure_local_webhooks, client, shop.settings):
            log.info("the sandbox's webhooks point at this shop again")
    except httpx.HTTPError as error:
        log.warning("could not point the sandbox's webhooks at this shop: %s", error)
    back = str(request.url_for("order", order_id=order.id)) + "?from=clover"
    result = await run_in_threadpool(
        hosted.open_session, shop.settings.database, client, order.id, back, customer
    )
    if not result.ok or result.url is None:
        return _message(request, "Clover's page is not available", result.message, 502)
    return _page(request, "hosted.html", order=order, url=result.url)


async def clover_webhook(request: Request) -> Response:
    """``POST /webhooks/clover``: no CSRF token here; the signature proves it is Clover."""
    shop = _shop(request)
    if not shop.settings.webhook_secret:
        return PlainTextResponse("webhooks are off", status_code=404)
    body = await request.body()
    if len(body) > 64 * 1024:
        return PlainTextResponse("too large", status_code=413)
    status, text = await run_in_threadpool(
        lambda: hosted.receive_webhook(
            shop.settings.database,
            body,
            request.headers.get("clover-signature"),
            shop.settings.webhook_secret,
            max_declines=shop.settings.max_declines,
        )
    )
    return PlainTextResponse(text, status_code=status)


# -- admin --------------------------------------------------------------------------------


def _admin_refused(request: Request) -> Response | None:
    password = _shop(request).settings.admin_password
    if not password:
        return _message(
            request,
            "The admin page is off",
            "Set SHOP_ADMIN_PASSWORD in the shop's environment to turn it on.",
            503,
        )
    if not admin_allowed(password, request.headers.get("authorization")):
        response = _message(request, "Sign in", "The admin page needs its password.", 401)
        response.headers["WWW-Authenticate"] = 'Basic realm="shop admin", charset="UTF-8"'
        return response
    return None


async def _admin_form(request: Request) -> Response | dict[str, str]:
    """An admin POST's form, or the answer that refuses it (no password, or a bad CSRF
    token): each admin action starts with these two checks."""
    refused = _admin_refused(request)
    if refused is not None:
        return refused
    form = await _form(request)
    return _csrf_refused(request) if form is None else form


async def admin(request: Request) -> Response:
    refused = _admin_refused(request)
    if refused is not None:
        return refused
    with opened(_shop(request).settings.database) as connection:
        rows = admin_rows(connection)
    return _page(request, "admin.html", rows=rows, new_key=lambda: str(uuid.uuid4()))


def _back_to_admin(request: Request, order_id: str) -> str:
    return str(request.url_for("admin")) + f"#{order_id}"


async def admin_refund(request: Request) -> Response:
    form = await _admin_form(request)
    if isinstance(form, Response):
        return form
    shop = _shop(request)
    order_id = request.path_params["order_id"]
    text = form.get("amount", "").strip()
    back = _back_to_admin(request, order_id)
    try:
        amount = parse_money(text) if text else None
    except ValueError as error:
        return _message(request, "Refund not sent", str(error), 400, back=back)
    if form.get("confirm") != "yes":
        # Money back to a card cannot be undone: the admin says yes on a second page
        # (these pages run no script, so no confirm() dialog).
        with opened(shop.settings.database) as connection:
            order = get_order(connection, order_id)
        if order is None:
            return _message(request, "No such order", f"There is no order {order_id}.", 404)
        return _page(
            request,
            "refund_confirm.html",
            order=order,
            amount=order.refundable if amount is None else amount,
            amount_text=text,
            request_key=form.get("request_key", ""),
            back=back,
        )
    client = await run_in_threadpool(shop.clients.get)
    try:
        await run_in_threadpool(
            lambda: payments.refund(
                shop.settings.database,
                client,
                order_id,
                amount,
                idempotency_key=form.get("request_key") or None,
            )
        )
    except KeyError:
        return _message(request, "No such order", f"There is no order {order_id}.", 404)
    return RedirectResponse(_back_to_admin(request, order_id), status_code=303)


async def admin_fulfil(request: Request) -> Response:
    form = await _admin_form(request)
    if isinstance(form, Response):
        return form
    order_id = request.path_params["order_id"]
    with opened(_shop(request).settings.database) as connection, transaction(connection):
        try:
            move_order(connection, order_id, OrderStatus.FULFILLED)
        except (IllegalTransition, KeyError) as error:
            back = _back_to_admin(request, order_id)
            return _message(request, "Not fulfilled", str(error), 409, back=back)
    return RedirectResponse(_back_to_admin(request, order_id), status_code=303)


async def admin_reconcile(request: Request) -> Response:
    form = await _admin_form(request)
    if isinstance(form, Response):
        return form
    shop = _shop(request)
    order_id = request.path_params["order_id"]
    client = await run_in_threadpool(shop.clients.get)
    with opened(shop.settings.database) as connection:
        by_card = connection.execute(
            "SELECT 1 FROM payment_attempts WHERE order_id = ? LIMIT 1", (order_id,)
        ).fetchone()
    database = shop.settings.database
    try:
        # A card payment is found by the reference it carries; Hosted Checkout's by matching.
        if by_card:
            found = await run_in_threadpool(payments.reconcile, database, client, order_id)
            ok, text = found.ok, found.message
        else:
            matched = await run_in_threadpool(hosted.reconcile, database, client, order_id)
            ok, text = matched.ok, matched.message
    except KeyError:
        return _message(request, "No such order", f"There is no order {order_id}.", 404)
    title = "Reconciled" if ok else "Not reconciled"
    return _message(request, title, text, 200, back=_back_to_admin(request, order_id))


async def favicon(request: Request) -> Response:
    """Browsers ask for ``/favicon.ico`` whatever the page links to; the same SVG."""
    response = FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def create_app(
    settings: Settings | None = None,
    *,
    client: CloverClient | None = None,
    client_factory: Callable[[], CloverClient] | None = None,
) -> Starlette:
    """The shop as an ASGI app. ``client`` (or ``client_factory``) replaces the one made
    from the environment: tests pass a client on a fake or local Clover."""
    settings = settings or Settings.from_env()
    init(settings.database)
    factory = client_factory or ((lambda: client) if client is not None else None)
    routes = [
        Route("/", products, name="products"),
        Route("/cart", show_cart, name="cart"),
        Route("/cart", change_cart, methods=["POST"], name="change_cart"),
        Route("/checkout", checkout, methods=["POST"], name="checkout"),
        Route("/orders/{order_id}", show_order, name="order"),
        Route("/orders/{order_id}/status", order_status, name="order_status"),
        Route("/pay", pay, methods=["POST"], name="pay"),
        Route("/orders/{order_id}/hosted", hosted_checkout, methods=["POST"], name="hosted"),
        Route("/webhooks/clover", clover_webhook, methods=["POST"], name="webhook"),
        Route("/admin", admin, name="admin"),
        Route("/admin/orders/{order_id}/refund", admin_refund, methods=["POST"], name="refund"),
        Route("/admin/orders/{order_id}/fulfil", admin_fulfil, methods=["POST"], name="fulfil"),
        Route(
            "/admin/orders/{order_id}/reconcile",
            admin_reconcile,
            methods=["POST"],
            name="reconcile",
        ),
        Route("/favicon.ico", favicon, name="favicon"),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(_Guard)])
    app.state.shop = _Shop(settings, ClientHolder(factory))
    return app
