"""3-D Secure in the browser: the issuer's challenge page, and the dashboard switch.

`GET /clover3DS/challenge/{transaction_id}` is the page the 3DS script
(`/clover3DS/clover3DS-sdk.js`, the stand-in for Clover's script of that path, dev:
configure-3d-secure-sdk-with-iframe-and-api-integration) shows the shopper in a frame;
`POST` to it is the shopper's answer, which finishes the waiting charge (see model.py).
The page then tells the script, which fires `executePatch` on the merchant's page.

`POST /_sandbox/threeds {"merchant_id", "required"}` (LOCAL ONLY) stands in for the 3DS
switch on Clover's Merchant Dashboard.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import ApiError, invalid_request
from helpers.sandbox.core.http import Call, parse_form, read_body
from helpers.sandbox.pages.render import render
from helpers.sandbox.resources.charges import model as charges
from helpers.sandbox.resources.threeds import model

MAX_FORM_BYTES = 4 * 1024


PAGE_HEADERS = {
    # framed by the merchant's page (any origin); loads only its own script
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
        "form-action 'self'; base-uri 'none'"
    ),
    "cache-control": "no-store",
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
}


def _page(call: Call, authentication: Any, status: int = 200, **context: Any) -> Response:
    charge = charges.find(call.store, authentication["_merchant"], authentication["charge"])
    return render(
        "threeds_challenge.html",
        status,
        PAGE_HEADERS,
        title="Verify it's you",
        authentication=authentication,
        charge=charge,
        code=model.CHALLENGE_CODE,
        **context,
    )


def _missing(transaction_id: str) -> Response:
    return render(
        "checkout_message.html",
        404,
        title="No such authentication",
        text=f"There is no 3-D Secure challenge {transaction_id[:20]!r} here.",
    )


def challenge_page(call: Call) -> Response:
    """`GET /clover3DS/challenge/{transaction_id}`: the issuer asks for a one-time code."""
    authentication = model.find(call.store, call.path["transaction_id"])
    if authentication is None:
        return _missing(call.path["transaction_id"])
    return _page(call, authentication, finished=authentication["status"] != "pending")


async def answer_challenge(call: Call) -> Response:
    """`POST /clover3DS/challenge/{transaction_id}`: the shopper's code, or Cancel."""
    transaction_id = call.path["transaction_id"]
    try:
        form = parse_form(await read_body(call.request, MAX_FORM_BYTES))
    except ApiError:
        return render("checkout_message.html", 413, title="Form too large", text="Too large.")
    authentication = model.find(call.store, transaction_id)
    if authentication is None:
        return _missing(transaction_id)
    charge = charges.find(call.store, authentication["_merchant"], authentication["charge"])
    if authentication["status"] != "pending" or charge is None or charge.get("refunded"):
        return _page(call, authentication, 409, finished=True)
    passed = form.get("action") != "cancel" and form.get("code", "").strip() == model.CHALLENGE_CODE
    charges.complete_challenge(call.store, charge, passed)
    authentication["status"] = "succeeded" if passed else "failed"
    model.save(call.store, authentication)
    return _page(call, authentication, finished=True)


def dashboard_setting(call: Call) -> Any:
    """`POST {"merchant_id", "required": bool}` turns a merchant's 3DS requirement on or
    off; `GET` lists the merchants that require it. A reset turns it off for everyone."""
    required = call.state.settings.threeds_required
    if call.request.method == "POST":
        fields.reject_unknown(call.body, ("merchant_id", "required"))
        merchant_id = fields.string(call.body, "merchant_id", required=True, max_length=13)
        if merchant_id not in call.state.merchants:
            raise invalid_request(
                f"merchant_id {merchant_id!r} is not a demo merchant of this sandbox "
                "(GET /_sandbox/merchants lists them).",
                param="merchant_id",
            )
        if fields.boolean(call.body, "required", True):
            required.add(merchant_id)
        else:
            required.discard(merchant_id)
    return {"required": sorted(required)}
