"""Hosted Checkout: a session made by the merchant's server, a payment page served by Clover
(docs: creating-a-hosted-checkout-session, ecomm-hosted-checkout-webhook).

`POST /invoicingcheckoutservice/v1/checkouts` answers an `href`; the shopper's browser opens
it, sees the cart, types a card into Clover's page (never the merchant's) and pays or
cancels. The page then redirects to the merchant's success, failure or cancel URL, and the
result is POSTed, signed, to the merchant's webhook URL (see webhooks.py). Paying makes an
order of the cart and pays it, so the charge shows its order like any other.

The page is plain HTML with one form, and works without JavaScript: a browser, or a
notebook acting as one, submits it as `application/x-www-form-urlencoded`. Sessions last
15 minutes of real time; the local-only control `/_sandbox/checkout` shortens that.
"""

from __future__ import annotations

import hashlib
import html
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import ApiError, invalid_request, missing
from helpers.sandbox.core.http import Call, error_response, json_response, read_json
from helpers.sandbox.core.state import SandboxState
from helpers.sandbox.core.store import Object, Store
from helpers.sandbox.resources.charges.routes import MAX_AMOUNT
from helpers.sandbox.resources.hosted_checkout import webhooks
from helpers.sandbox.resources.orders import routes as orders
from helpers.sandbox.resources.tokens import cards
from helpers.sandbox.resources.tokens import routes as tokens

SESSION = "checkout_session"
SETTINGS = ("sandbox_setting", "checkout", "_sandbox")
DEFAULT_LIFETIME_S = 15 * 60
MAX_LIFETIME_S = 24 * 3600
MAX_FORM_BYTES = 16 * 1024
MAX_LINE_ITEMS = 100
BODY_FIELDS = ("customer", "shoppingCart", "redirectUrls")
CUSTOMER_FIELDS = ("email", "firstName", "lastName", "phoneNumber")
ITEM_FIELDS = ("name", "price", "unitQty", "note")
REDIRECTS = ("success", "failure", "cancel")
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def lifetime_s(store: Store) -> int:
    kind, key, owner = SETTINGS
    found = store.get(kind, key, owner)
    return int(found["session_lifetime_s"]) if found else DEFAULT_LIFETIME_S


# -- the API: create a session ------------------------------------------------------------


def _line_items(cart: dict[str, Any]) -> list[dict[str, Any]]:
    items = cart.get("lineItems")
    if items is None:
        raise missing("shoppingCart.lineItems", "Send the cart: [{name, price, unitQty}].")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_LINE_ITEMS:
        raise invalid_request(
            f"shoppingCart.lineItems must be a list of 1 to {MAX_LINE_ITEMS} items.",
            param="shoppingCart.lineItems",
        )
    checked = []
    for i, item in enumerate(items):
        prefix = f"shoppingCart.lineItems[{i}]"
        if not isinstance(item, dict):
            raise invalid_request(f"{prefix} must be a JSON object.", param=prefix)
        fields.reject_unknown(item, ITEM_FIELDS, prefix=prefix)
        line = {
            "name": fields.string(item, "name", required=True, max_length=127, prefix=prefix),
            "price": fields.integer(
                item, "price", required=True, maximum=MAX_AMOUNT, prefix=prefix
            ),
            "unitQty": fields.integer(
                item, "unitQty", minimum=1, maximum=10_000, prefix=prefix, unit="units"
            )
            or 1,
        }
        note = fields.string(item, "note", max_length=255, prefix=prefix)
        if note is not None:
            line["note"] = note
        checked.append(line)
    return checked


def _redirects(body: dict[str, Any]) -> dict[str, str]:
    urls = fields.mapping(body, "redirectUrls") or {}
    fields.reject_unknown(urls, REDIRECTS, prefix="redirectUrls")
    for name in REDIRECTS:
        url = fields.string(urls, name, max_length=2048, prefix="redirectUrls")
        parts = urlsplit(url or "")
        if url is not None and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise invalid_request(
                f"redirectUrls.{name} must be an http:// or https:// URL; got {url!r}.",
                param=f"redirectUrls.{name}",
            )
    return dict(urls)


def _customer(body: dict[str, Any]) -> dict[str, Any]:
    customer = fields.mapping(body, "customer") or {}
    fields.reject_unknown(customer, CUSTOMER_FIELDS, prefix="customer")
    fields.email(customer, "email", prefix="customer")
    for name in ("firstName", "lastName", "phoneNumber"):
        fields.string(customer, name, max_length=64, prefix="customer")
    return dict(customer)


def _session_id(store: Store) -> str:
    """A UUID, as Clover's session ids are, drawn from the seeded sequence."""
    digest = hashlib.sha256(store.sequence.secret(32).encode()).hexdigest()
    return str(uuid.UUID(digest[:32], version=4))


def create_checkout(call: Call) -> Any:
    if not call.headers.get("x-clover-merchant-id", "").strip():
        raise missing(
            "x-clover-merchant-id",
            "Hosted Checkout needs the header X-Clover-Merchant-Id with the merchant's id.",
        )
    body = call.body
    fields.reject_unknown(body, BODY_FIELDS)
    customer = _customer(body)
    cart = fields.mapping(body, "shoppingCart", required=True)
    assert cart is not None
    fields.reject_unknown(cart, ("lineItems",), prefix="shoppingCart")
    items = _line_items(cart)
    redirects = _redirects(body)
    total = sum(item["price"] * item["unitQty"] for item in items)
    if not 1 <= total <= MAX_AMOUNT:
        raise invalid_request(
            f"shoppingCart.lineItems add up to {total} cents; the cart "
            f"must come to 1 to {MAX_AMOUNT}.",
            param="shoppingCart.lineItems",
        )
    store = call.store
    session_id = _session_id(store)
    created = store.sequence.created_ms()
    lifetime = lifetime_s(store)
    scheme = call.headers.get("x-forwarded-proto", "http").split(",")[0].strip() or "http"
    host = call.headers.get("host", "127.0.0.1")
    store.put(
        SESSION,
        {
            "id": session_id,
            "created": created,
            "items": items,
            "total": total,
            "customer": customer,
            "redirectUrls": redirects,
            "_status": "open",
            "_expires_at": time.time() + lifetime,
            "_merchant": call.merchant_id,
        },
    )
    return {
        "href": f"{scheme}://{host}/checkout/{session_id}",
        "checkoutSessionId": session_id,
        "createdTime": created,
        "expirationTime": created + lifetime * 1000,
    }


# -- the page -----------------------------------------------------------------------------


def _find(state: SandboxState, session_id: str) -> Object | None:
    for merchant_id in state.merchants:
        found = state.store.get(SESSION, session_id, merchant_id)
        if found is not None:
            return found
    return None


def _money(cents: int) -> str:
    return f"${cents // 100:,}.{cents % 100:02d}"


STYLE = """
body{font:15px system-ui,sans-serif;background:#f4f6f8;color:#1d2329;margin:0}
main{max-width:480px;margin:32px auto;background:#fff;border:1px solid #d5dae0;
border-radius:10px;padding:20px 24px}
.banner{background:#fff7d6;border:1px solid #e8d48a;padding:6px 10px;border-radius:6px;
font-size:13px}
table{width:100%;border-collapse:collapse;margin:12px 0}
td{padding:4px 0;border-bottom:1px solid #eef0f2}td.n{text-align:right}
tr.total td{font-weight:700;border:0}
label{display:block;margin-top:10px;font-size:13px;font-weight:600}
input{width:100%;box-sizing:border-box;padding:8px;font:inherit;border:1px solid #b8c0c8;
border-radius:6px}
.row{display:flex;gap:10px}.row>div{flex:1}
.error{color:#b3261e;background:#fdecea;padding:8px 10px;border-radius:6px}
button{margin-top:16px;padding:10px 16px;font:inherit;font-weight:600;border-radius:6px;
border:0;background:#1f7a4d;color:#fff;cursor:pointer}
button.secondary{background:none;color:#3b444d;border:1px solid #b8c0c8;margin-left:8px}
"""


def _page(title: str, content: str, status: int = 200) -> HTMLResponse:
    document = (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{content}</main></body></html>"
    )
    return HTMLResponse(
        document,
        status,
        headers={
            "content-security-policy": PAGE_CSP,
            "cache-control": "no-store",
            "referrer-policy": "no-referrer",
            "x-content-type-options": "nosniff",
        },
    )


def _message(title: str, text: str, status: int) -> HTMLResponse:
    return _page(title, f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>", status)


def _checkout_form(
    state: SandboxState,
    session: Object,
    error: str = "",
    kept: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    kept = kept or {}
    merchant = state.merchants[session["_merchant"]]
    rows = "".join(
        f"<tr><td>{html.escape(item['name'])}"
        + (f" &times; {item['unitQty']}" if item["unitQty"] > 1 else "")
        + f"</td><td class='n'>{_money(item['price'] * item['unitQty'])}</td></tr>"
        for item in session["items"]
    )

    def field(name: str, label: str, autocomplete: str, extra: str = "") -> str:
        value = html.escape(kept.get(name, ""), quote=True)
        return (
            f"<label for='{name}'>{label}</label><input id='{name}' name='{name}' "
            f"autocomplete='{autocomplete}' value='{value}' {extra}>"
        )

    numeric = "inputmode='numeric' required"
    content = (
        f"<p class='banner'>Local Clover sandbox: use test cards only.</p>"
        f"<h1>{html.escape(merchant.name)}</h1>"
        f"<table aria-label='Your order'>{rows}<tr class='total'><td>Total</td>"
        f"<td class='n' data-total='{session['total']}'>{_money(session['total'])}</td></tr>"
        f"</table>"
        + (f"<p class='error' role='alert'>{html.escape(error)}</p>" if error else "")
        + "<form method='post'>"
        + field("cardholder", "Name on card", "cc-name")
        + field("number", "Card number", "cc-number", numeric)
        + "<div class='row'><div>"
        + field("expiry", "Expiry (MM/YY)", "cc-exp", "required placeholder='MM/YY'")
        + "</div><div>"
        + field("cvv", "CVV", "cc-csc", numeric)
        + "</div><div>"
        + field("zip", "ZIP / postal code", "postal-code")
        + "</div></div>"
        + f"<button name='action' value='pay'>Pay {_money(session['total'])}</button>"
        + "<button class='secondary' name='action' value='cancel' formnovalidate>"
        + "Cancel</button></form>"
    )
    return _page(f"Checkout: {merchant.name}", content, status)


def _closed(session: Object) -> Response:
    """Where a finished session sends the browser: its redirect URL, or a result page."""
    status = session["_status"]
    target = {"paid": "success", "declined": "failure", "canceled": "cancel"}.get(status)
    url = session["redirectUrls"].get(target or "")
    if url:
        return RedirectResponse(url, status_code=303)
    texts = {
        "paid": ("Payment approved", "Thank you: your payment went through."),
        "declined": ("Payment declined", "Your card was declined. No money was taken."),
        "canceled": ("Checkout canceled", "You canceled this checkout."),
    }
    title, text = texts.get(status, ("Checkout closed", "This checkout is closed."))
    return _message(title, text, 200)


def _session_or_page(request: Request) -> Object | Response:
    state: SandboxState = request.app.state.sandbox
    session = _find(state, request.path_params["session_id"])
    if session is None:
        return _message(
            "Checkout not found",
            "This checkout link is not valid. Go back to the shop and start the checkout again.",
            404,
        )
    if session["_status"] == "open" and time.time() >= session["_expires_at"]:
        session["_status"] = "expired"
        state.store.put(SESSION, session)
        state.store.commit()
    if session["_status"] == "expired":
        return _message(
            "Checkout expired",
            "This checkout session has expired. Go back to the shop and start the checkout again.",
            410,
        )
    if session["_status"] != "open":
        return _closed(session)
    return session


async def page(request: Request) -> Response:
    """`GET /checkout/{session_id}`: the cart and the card form."""
    found = _session_or_page(request)
    if isinstance(found, Response):
        return found
    return _checkout_form(request.app.state.sandbox, found)


def _card(form: dict[str, str]) -> dict[str, str]:
    """The form's card as the tokenizer takes it; a shopper-facing message if it is off."""
    number = "".join(ch for ch in form.get("number", "") if ch not in " -")
    if not fields.ascii_digits(number) or not 12 <= len(number) <= 19:
        raise ValueError("Check the card number: 12 to 19 digits.")
    brand = cards.brand_of(number)
    if brand is None:
        raise ValueError(
            "This shop takes Visa, Mastercard, American Express, Discover, "
            "Diners Club and JCB cards."
        )
    month, _, year = form.get("expiry", "").replace(" ", "").partition("/")
    if not (fields.ascii_digits(month) and fields.ascii_digits(year) and len(year) in (2, 4)):
        raise ValueError("Enter the expiry date as MM/YY.")
    card = {
        "number": number,
        "exp_month": month,
        "exp_year": year,
        "cvv": form.get("cvv", "").strip(),
        "brand": brand,
    }
    for name, wire in (("zip", "address_zip"), ("cardholder", "name")):
        value = form.get(name, "").strip()[:60]
        if value:
            card[wire] = value
    return card


def _shopper_message(error: ApiError) -> str:
    by_param = {
        "card.number": "Check the card number.",
        "card.exp_month": "Check the expiry date.",
        "card.exp_year": "Check the expiry date.",
        "card.cvv": "Check the security code (CVV).",
    }
    if error.code == "expired_card":
        return "This card has expired."
    return by_param.get(error.param or "", error.message)


def _internal_call(
    state: SandboxState,
    merchant_id: str,
    body: dict[str, Any],
    path: dict[str, str] | None = None,
    ip: str = "",
) -> Call:
    headers = Headers(headers={"x-forwarded-for": ip} if ip else {})
    return Call(state, state.merchants[merchant_id], body, path or {}, QueryParams(""), headers)


def _pay(state: SandboxState, session: Object, card: dict[str, str], ip: str) -> str:
    """Tokenize, make the cart an order and pay it; the charge id (approved or declined)."""
    merchant_id = session["_merchant"]
    token = tokens.create_token(_internal_call(state, merchant_id, {"card": card}))
    order_body: dict[str, Any] = {
        "currency": "usd",
        "items": [
            {
                "type": "sku",
                "amount": item["price"],
                "quantity": item["unitQty"],
                "description": item["name"],
            }
            for item in session["items"]
        ],
    }
    if session["customer"].get("email"):
        order_body["email"] = session["customer"]["email"]
    order = orders.create_order(_internal_call(state, merchant_id, order_body))
    try:
        paid = orders.pay_order(
            _internal_call(
                state, merchant_id, {"source": token["id"]}, {"order_id": order["id"]}, ip
            )
        )
    except ApiError as error:
        if error.status != 402:
            raise
        return str(error.extra["charge"])
    return str(paid["charge"])


async def submit(request: Request) -> Response:
    """`POST /checkout/{session_id}`: the form's Pay or Cancel button."""
    state: SandboxState = request.app.state.sandbox
    found = _session_or_page(request)
    if isinstance(found, Response):
        return found
    session = found
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        return _message("Form too large", "The form sent was too large.", 413)
    form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    if form.get("action") == "cancel":
        session["_status"] = "canceled"
        state.store.put(SESSION, session)
        state.store.commit()
        return _closed(session)
    kept = {k: form.get(k, "") for k in ("cardholder", "zip")}  # never the number or CVV
    try:
        card = _card(form)
    except ValueError as problem:
        return _checkout_form(state, session, str(problem), kept, 422)
    ip = (
        request.headers.get("x-forwarded-for", "").split(",")[0].strip()
        or (request.client.host if request.client else "")
        or "0.0.0.0"
    )
    try:
        charge_id = _pay(state, session, card, ip)
    except ApiError as error:
        return _checkout_form(state, session, _shopper_message(error), kept, 422)
    charge = state.store.get("charge", charge_id, session["_merchant"])
    assert charge is not None
    approved = charge["status"] == "succeeded"
    session.update(_status="paid" if approved else "declined", _charge=charge_id)
    state.store.put(SESSION, session)
    state.store.commit()
    webhooks.send(
        state.store,
        session["_merchant"],
        {
            "type": "PAYMENT",
            "status": "APPROVED" if approved else "DECLINED",
            "id": charge_id,
            "merchantId": session["_merchant"],
            "data": session["id"],
            "message": "Payment approved." if approved else "The card was declined.",
            "created": charge["created"],
        },
    )
    return _closed(session)


# -- the local-only control ---------------------------------------------------------------


async def settings(request: Request) -> Response:
    """`POST {"session_lifetime_s": N}` sets how long new sessions last (default 900);
    `GET` reads it. A reset goes back to 15 minutes."""
    state: SandboxState = request.app.state.sandbox
    if request.method == "POST":
        try:
            body = await read_json(request)
            fields.reject_unknown(body, ("session_lifetime_s",))
            seconds = fields.integer(
                body, "session_lifetime_s", required=True, maximum=MAX_LIFETIME_S, unit="seconds"
            )
        except ApiError as error:
            return error_response(error)
        kind, key, owner = SETTINGS
        state.store.put(kind, {"id": key, "session_lifetime_s": seconds, "_merchant": owner})
        state.store.commit()
    return json_response(200, {"session_lifetime_s": lifetime_s(state.store)})
