"""Hosted Checkout: a session made by the merchant's server, a payment page served by Clover
(docs: creating-a-hosted-checkout-session, ecomm-hosted-checkout-webhook).

`POST /invoicingcheckoutservice/v1/checkouts` answers an `href`; the shopper's browser opens
it, sees the cart, types a card into Clover's page (never the merchant's) and pays or
cancels. The page then redirects to the merchant's success, failure or cancel URL, and the
result is POSTed, signed, to the merchant's webhook URL (see core/webhooks.py). Paying makes an
order of the cart and pays it (model.py), so the charge shows its order like any other.

The page is plain HTML with one form, and works without JavaScript: a browser, or a
notebook acting as one, submits it as `application/x-www-form-urlencoded`. Sessions last
15 minutes of real time; the local-only control `/_sandbox/checkout` shortens that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import RedirectResponse, Response

from helpers import card_rules
from helpers.sandbox.core import fields, times, webhooks
from helpers.sandbox.core.errors import (
    ApiError,
    bad_item_count,
    invalid_request,
    missing,
    not_an_object,
)
from helpers.sandbox.core.http import Call, parse_form, read_body
from helpers.sandbox.core.money import MAX_AMOUNT
from helpers.sandbox.core.probe import Probe
from helpers.sandbox.core.store import Object
from helpers.sandbox.pages.render import render
from helpers.sandbox.resources.hosted_checkout import model

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
PAGE_HEADERS = {
    "content-security-policy": PAGE_CSP,
    "cache-control": "no-store",
    # `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null`
    # with the page's own form, which the local guard must refuse as it would a forgery.
    # The merchant's redirect URLs still get no Referer (they are other origins).
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
}


# -- the API: create a session ------------------------------------------------------------


def _line_items(cart: Mapping[str, Any]) -> list[dict[str, Any]]:
    items = cart.get("lineItems")
    if items is None:
        raise missing("shoppingCart.lineItems", "Send the cart: [{name, price, unitQty}].")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_LINE_ITEMS:
        raise bad_item_count("shoppingCart.lineItems", MAX_LINE_ITEMS)
    checked = []
    for i, item in enumerate(items):
        prefix = f"shoppingCart.lineItems[{i}]"
        if not isinstance(item, dict):
            raise not_an_object(prefix)
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


def _redirects(body: Mapping[str, Any]) -> dict[str, str]:
    urls = fields.mapping(body, "redirectUrls") or {}
    fields.reject_unknown(urls, REDIRECTS, prefix="redirectUrls")
    for name in REDIRECTS:
        url = fields.string(urls, name, max_length=2048, prefix="redirectUrls")
        if url is not None:
            fields.web_url(url, f"redirectUrls.{name}")
    return dict(urls)


def _customer(body: Mapping[str, Any]) -> dict[str, Any]:
    """The shopper: Clover's page lists `customer.firstName`, `lastName`, `email` and
    `phoneNumber` as required (https://docs.clover.com/docs/creating-a-hosted-checkout-session),
    so a session without any of them, or with one left blank, is refused naming it."""
    hint = (
        "Hosted Checkout needs the shopper's firstName, lastName, email and phoneNumber "
        "in the customer object."
    )
    if not isinstance(body, Probe) and body.get("customer") is None:
        raise missing("customer", hint)
    customer = fields.mapping(body, "customer", required=True)
    assert customer is not None
    fields.reject_unknown(customer, CUSTOMER_FIELDS, prefix="customer")
    if not isinstance(customer, Probe):
        for name in CUSTOMER_FIELDS:
            value = customer.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise missing(f"customer.{name}", hint)
    fields.email(customer, "email", prefix="customer", required=True)
    for name in ("firstName", "lastName", "phoneNumber"):
        fields.string(customer, name, max_length=64, prefix="customer", required=True)
    return dict(customer)


def checkout_request(
    body: Mapping[str, Any],
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, str]]:
    """A session's customer, cart and redirect URLs, checked (docs:
    creating-a-hosted-checkout-session)."""
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
    return customer, items, redirects


def create_checkout(call: Call) -> Any:
    if not call.headers.get("x-clover-merchant-id", "").strip():
        raise missing(
            "x-clover-merchant-id",
            "Hosted Checkout needs the header X-Clover-Merchant-Id with the merchant's id.",
        )
    customer, items, redirects = checkout_request(call.body)
    lifetime = call.state.settings.checkout_session_lifetime_s
    session = model.create(call.store, call.merchant_id, items, customer, redirects, lifetime)
    # The sandbox's own configured address, never the request's Host or X-Forwarded-*
    # headers, which whoever sends the request chooses (local/guard.py: Addresses).
    base_url = call.request.app.state.addresses.base_url
    return {
        "href": f"{base_url}/checkout/{session['id']}",
        "checkoutSessionId": session["id"],
        # Strings, not the "Unix time" the page says: what Clover's answers carry
        # (core/times.py; docs/choices.md, Hosted Checkout).
        "createdTime": times.wire(session["created"]),
        "expirationTime": times.wire(session["created"] + lifetime * 1000),
    }


# -- the page -----------------------------------------------------------------------------


def _message(title: str, text: str, status: int) -> Response:
    return render("checkout_message.html", status, PAGE_HEADERS, title=title, text=text)


def _checkout_form(
    call: Call,
    session: Object,
    error: str = "",
    kept: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    merchant = call.state.merchants[session["_merchant"]]
    return render(
        "checkout.html",
        status,
        PAGE_HEADERS,
        title=f"Checkout: {merchant.name}",
        merchant_name=merchant.name,
        items=session["items"],
        total=session["total"],
        error=error,
        kept=kept or {},
    )


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


def _session_or_page(call: Call) -> Object | Response:
    store = call.store
    session = model.find(store, call.state.merchants, call.path["session_id"])
    if session is None:
        return _message(
            "Checkout not found",
            "This checkout link is not valid. Go back to the shop and start the checkout again.",
            404,
        )
    model.expire_if_due(store, session)
    store.commit()
    if session["_status"] == "expired":
        return _message(
            "Checkout expired",
            "This checkout session has expired. Go back to the shop and start the checkout again.",
            410,
        )
    if session["_status"] == model.PAYING:
        return _message(
            "Payment in progress",
            "This checkout is being paid right now (from another tab or a second click). "
            "Wait a moment, then reload this page to see the result.",
            409,
        )
    if session["_status"] != "open":
        return _closed(session)
    return session


def page(call: Call) -> Response:
    """`GET /checkout/{session_id}`: the cart and the card form."""
    found = _session_or_page(call)
    if isinstance(found, Response):
        return found
    return _checkout_form(call, found)


def _card(form: dict[str, str]) -> dict[str, str]:
    """The form's card as the tokenizer takes it; a shopper-facing message if it is off."""
    number = "".join(ch for ch in form.get("number", "") if ch not in " -")
    if not fields.ascii_digits(number) or not 12 <= len(number) <= 19:
        raise ValueError("Check the card number: 12 to 19 digits.")
    brand = card_rules.brand_of(number)
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


async def submit(call: Call) -> Response:
    """`POST /checkout/{session_id}`: the form's Pay or Cancel button."""
    store, request = call.store, call.request
    found = _session_or_page(call)
    if isinstance(found, Response):
        return found
    session = found
    try:
        raw = await read_body(request, MAX_FORM_BYTES)
    except ApiError:
        return _message("Form too large", "The form sent was too large.", 413)
    # The body can arrive long after the headers: whatever happened to the session
    # meanwhile (a Cancel, an expiry, another Pay) wins over this submit, so look again.
    found = _session_or_page(call)
    if isinstance(found, Response):
        return found
    session = found
    form = parse_form(raw)
    if form.get("action") == "cancel":
        model.close(store, session, "canceled")
        store.commit()
        return _closed(session)
    kept = {k: form.get(k, "") for k in ("cardholder", "zip")}  # never the number or CVV
    try:
        card = _card(form)
    except ValueError as problem:
        return _checkout_form(call, session, str(problem), kept, 422)
    ip = (
        request.headers.get("x-forwarded-for", "").split(",")[0].strip()
        or (request.client.host if request.client else "")
        or "0.0.0.0"
    )
    if not model.claim(store, session):  # nothing awaited since the look above, but say it
        return _closed(session)
    try:
        charge = model.pay(store, session, card, ip)
    except ApiError as error:
        model.release(session)
        return _checkout_form(call, session, _shopper_message(error), kept, 422)
    except BaseException:
        model.release(session)
        raise
    approved = charge["status"] == "succeeded"
    model.close(store, session, "paid" if approved else "declined", charge["id"])
    store.commit()  # the webhook reports what is already durable
    webhooks.send(
        store,
        session["_merchant"],
        {
            "type": "PAYMENT",
            "status": "APPROVED" if approved else "DECLINED",
            "id": charge["id"],
            "merchantId": session["_merchant"],
            "data": session["id"],
            # Clover's wording (docs: ecomm-hosted-checkout-webhook): "Approved for 100 or
            # Decline for 100", the amount in cents
            "message": f"{'Approved' if approved else 'Decline'} for {charge['amount']}",
            "created": charge["created"],
        },
    )
    return _closed(session)
