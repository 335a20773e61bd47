"""A demo merchant shop served next to the sandbox: a checkout page and its server.

The page (``GET /demo/checkout``) shows the iframe + API flow end to end in a plain
browser. Its "server" (``POST /demo/charge``) charges the token the way a merchant's
backend would: over the sandbox's public HTTP API, with the merchant's private key,
an idempotency key and the shopper's IP. It deliberately uses no sandbox internals,
so it reads like code a learner would write for their own shop.
"""

from __future__ import annotations

import json
import re
import uuid
from http import HTTPStatus
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from helpers.sandbox.core.http import Call
from helpers.sandbox.core.money import MAX_AMOUNT
from helpers.sandbox.pages.render import NOT_FRAMED, render

DEFAULT_AMOUNT = 2500
TOKEN_PATTERN = re.compile(r"^clv_[A-Za-z0-9]+$")
# Fixed namespace: the same merchant and token always give the same idempotency key,
# so a retried Pay (network hiccup, double click) can never charge twice.
IDEMPOTENCY_NAMESPACE = uuid.UUID("5b7c1f0e-3c2a-4e39-9d8b-7a0c4f5e2d11")


def _error(
    status: int,
    code: str,
    message: str,
    *,
    param: str | None = None,
    error_type: str = "invalid_request_error",
) -> JSONResponse:
    """Answer in Clover's error envelope, so the page handles demo and API errors alike."""
    error: dict[str, Any] = {"type": error_type, "code": code, "message": message}
    if param is not None:
        error["param"] = param
    body = {"message": f"{status} {HTTPStatus(status).phrase}", "error": error}
    return JSONResponse(body, status_code=status)


def _sandbox(request: Request) -> httpx.AsyncClient:
    """Talk to this very sandbox over HTTP, in-process, as a merchant server would."""
    transport = httpx.ASGITransport(app=request.app, raise_app_exceptions=False)
    # A loopback name: the sandbox's local guard refuses any Host it does not serve.
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", timeout=30.0)


async def _find_merchant(
    client: httpx.AsyncClient, merchant_id: str | None
) -> dict[str, Any] | JSONResponse:
    """The merchant's credentials, or a Clover-shaped error saying why there are none."""
    response = await client.get("/_sandbox/merchants")
    try:
        merchants = response.json()
    except ValueError:
        merchants = None
    if response.status_code != 200 or not isinstance(merchants, list):
        return _error(
            502, "processing_error", "Could not list the sandbox merchants.", error_type="api_error"
        )
    if not merchants:
        return _error(404, "resource_missing", "The sandbox has no merchants.")
    if not merchant_id:
        return merchants[0]
    for merchant in merchants:
        if merchant.get("merchant_id") == merchant_id:
            return merchant
    return _error(404, "resource_missing", "No such merchant.", param="merchant")


def _parse_amount(value: Any) -> int | JSONResponse:
    """Cents as a positive int; strings of digits are accepted from query strings."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value) if len(value) <= 18 else MAX_AMOUNT + 1  # int() fails past 4,300
    if isinstance(value, bool) or not isinstance(value, int):
        return _error(
            400,
            "invalid_charge_amount",
            "Amount must be a positive integer number of cents.",
            param="amount",
        )
    if value <= 0:
        return _error(
            400, "invalid_charge_amount", "Amount must be greater than zero.", param="amount"
        )
    if value > MAX_AMOUNT:
        return _error(
            400, "amount_too_large", f"Amount must be at most {MAX_AMOUNT} cents.", param="amount"
        )
    return value


async def checkout_page(call: Call) -> Response:
    request = call.request
    """Render the checkout page for one merchant and amount."""
    amount = _parse_amount(request.query_params.get("amount", str(DEFAULT_AMOUNT)))
    if isinstance(amount, JSONResponse):
        return amount
    try:
        async with _sandbox(request) as client:
            merchant = await _find_merchant(client, request.query_params.get("merchant"))
    except httpx.HTTPError:
        return _error(
            502,
            "processing_error",
            "The sandbox could not be reached.",
            error_type="api_connection_error",
        )
    if isinstance(merchant, JSONResponse):
        return merchant
    config = {
        "merchantId": merchant["merchant_id"],
        "merchantName": merchant.get("name") or merchant["merchant_id"],
        # The PAKMS key is public by design: it only lets a browser create tokens.
        "apiAccessKey": merchant["api_access_key"],
        "amount": amount,
        "currency": "usd",
    }
    headers = {"Cache-Control": "no-store", **NOT_FRAMED}
    return render("demo_checkout.html", headers=headers, config=config)


async def charge(call: Call) -> Response:
    request = call.request
    """The shop's server: charge a clv_ token for an amount, answer the charge or the error."""
    try:
        body = json.loads(await request.body() or b"null")
    except ValueError:
        return _error(400, "invalid_request", "Request body must be JSON.")
    if not isinstance(body, dict):
        return _error(400, "invalid_request", "Request body must be a JSON object.")

    token = body.get("token")
    if token is None or token == "":
        return _error(400, "invalid_request", "A clv_ token is required.", param="token")
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return _error(400, "invalid_request", "The token must be a clv_ card token.", param="token")
    # A real shop prices the order on its own server and never takes the amount from the
    # page, which the shopper controls. This demo does, so that any amount can be tried.
    if "amount" not in body:
        return _error(400, "invalid_request", "An amount in cents is required.", param="amount")
    amount = _parse_amount(body["amount"])
    if isinstance(amount, JSONResponse):
        return amount
    merchant_id = body.get("merchant")
    if merchant_id is not None and not isinstance(merchant_id, str):
        return _error(400, "invalid_request", "merchant must be a merchant id.", param="merchant")

    shopper_ip = request.client.host if request.client else "127.0.0.1"
    try:
        async with _sandbox(request) as client:
            merchant = await _find_merchant(client, merchant_id)
            if isinstance(merchant, JSONResponse):
                return merchant
            key = uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{merchant['merchant_id']}:{token}")
            response = await client.post(
                "/v1/charges",
                json={"amount": amount, "currency": "usd", "source": token},
                headers={
                    "Authorization": f"Bearer {merchant['private_key']}",
                    "idempotency-key": str(key),
                    "x-forwarded-for": shopper_ip,
                },
            )
    except httpx.HTTPError:
        return _error(
            502,
            "processing_error",
            "The payment service could not be reached.",
            error_type="api_connection_error",
        )
    try:
        answer = response.json()
    except ValueError:
        return _error(
            502,
            "processing_error",
            f"The payment service answered HTTP {response.status_code} without JSON.",
            error_type="api_error",
        )
    return JSONResponse(answer, status_code=response.status_code)


def demo_index(call: Call) -> Response:
    request = call.request
    """/demo leads to the checkout page, keeping any query string."""
    query = request.url.query
    return RedirectResponse("demo/checkout" + (f"?{query}" if query else ""), status_code=307)
