"""3-D Secure in the browser: the issuer's method URL and challenge page (its ACS), Clover's
method notification, and the dashboard switch.

The 3DS script (`/clover3DS/clover3DS-sdk.js`, the stand-in for Clover's script of that
path; https://docs.clover.com/docs/3ds-secure-configure-sdk) drives them:
- `perform3DSFingerPrinting(...)` posts `threeDSMethodData` (EMV 3-D Secure's base64url
  JSON of `threeDSServerTransID` and `threeDSMethodNotificationURL`) to the issuer's
  method URL in a hidden frame; the issuer's page posts it on to Clover's
  `method_notification_url`, whose page tells the script, which fires `executePatch`.
- `perform3DSChallenge({messageVersion, acsTransID, acsUrl, threeDSServerTransID})` posts a
  `creq` (base64url JSON of those ids) to the issuer's ACS in a frame; the shopper's code or
  Cancel is recorded there, and the page tells the script, which fires `executePatch`.
The merchant's server then calls `POST /v1/charges/finalize_payment` (charges/model.py).

Local pages (the issuer's are the kit's, docs/choices.md, 3-D Secure): `/threeds/method`
and `/threeds/acs`; the ACS's code is 1234. A bad or unknown `creq` or
`threeDSMethodData` answers a 400 or 404 page naming the field, never a 500.

`POST /_sandbox/threeds {"merchant_id", "required"}` (LOCAL ONLY) stands in for the 3DS
switch on Clover's Merchant Dashboard.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from starlette.responses import Response

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import ApiError, invalid_request
from helpers.sandbox.core.http import Call, parse_form, read_body
from helpers.sandbox.core.store import Object
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


class PageError(Exception):
    """A page's input that cannot be used: shown as an HTML page, not a JSON error."""

    def __init__(self, status: int, title: str, text: str) -> None:
        super().__init__(text)
        self.status, self.title, self.text = status, title, text


def _message(error: PageError) -> Response:
    """The page of a refused input (each status written out, so the OpenAPI document can
    list it as a page)."""
    page = {"title": error.title, "text": error.text}
    if error.status == 404:
        return render("checkout_message.html", 404, PAGE_HEADERS, **page)
    if error.status == 408:
        return render("checkout_message.html", 408, PAGE_HEADERS, **page)
    if error.status == 409:
        return render("checkout_message.html", 409, PAGE_HEADERS, **page)
    if error.status == 413:
        return render("checkout_message.html", 413, PAGE_HEADERS, **page)
    return render("checkout_message.html", 400, PAGE_HEADERS, **page)


def decode(value: str | None, field: str) -> dict[str, Any]:
    """EMV 3-D Secure's base64url-encoded JSON object (`creq`, `threeDSMethodData`)."""
    if not value:
        raise PageError(400, f"Missing {field}", f"Post {field}: the 3DS script sends it.")
    try:
        padded = value + "=" * (-len(value) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        raise PageError(400, f"Bad {field}", f"{field} must be base64url-encoded JSON.") from None
    if not isinstance(decoded, dict):
        raise PageError(400, f"Bad {field}", f"{field} must encode a JSON object.")
    return decoded


def encode(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _authentication(call: Call, server_id: Any, stage: str) -> Object:
    authentication = model.find(call.store, server_id) if isinstance(server_id, str) else None
    if authentication is None:
        raise PageError(
            404,
            "No such authentication",
            f"There is no 3-D Secure transaction {str(server_id)[:40]!r} here.",
        )
    if stage == "challenge" and authentication["stage"] != "challenge":
        raise PageError(409, "No challenge", "This transaction has no challenge to answer.")
    return authentication


async def _form(call: Call) -> dict[str, str]:
    if call.request.method == "GET":
        return dict(call.request.query_params)
    try:
        return parse_form(await read_body(call.request, MAX_FORM_BYTES))
    except ApiError as error:  # too large, too slow, or characters the wire cannot carry
        raise PageError(error.status, "Form refused", error.message) from None


# -- the issuer's method URL, and Clover's method notification ----------------------------


async def method_page(call: Call) -> Response:
    """`POST /threeds/method`: the issuer reads the browser (here: notes it was there),
    then posts `threeDSMethodData` on to the notification URL, in the same hidden frame."""
    try:
        form = await _form(call)
        raw = form.get("threeDSMethodData")
        data = decode(raw, "threeDSMethodData")
        authentication = _authentication(call, data.get("threeDSServerTransID"), "method")
    except PageError as error:
        return _message(error)
    authentication["method_seen"] = True
    model.save(call.store, authentication)
    notify = data.get("threeDSMethodNotificationURL")
    return render(
        "threeds_method.html",
        200,
        PAGE_HEADERS,
        title="Issuer's method page",
        notify=notify if isinstance(notify, str) else "",
        method_data=raw,
    )


async def method_notification(call: Call) -> Response:
    """`POST /clover3DS/method-notification`: the method flow is done; the page tells the
    3DS script (`executePatch`, `_3DSStatus` `Y`)."""
    try:
        form = await _form(call)
        data = decode(form.get("threeDSMethodData"), "threeDSMethodData")
        authentication = _authentication(call, data.get("threeDSServerTransID"), "method")
    except PageError as error:
        return _message(error)
    return render(
        "threeds_done.html",
        200,
        PAGE_HEADERS,
        title="Method flow complete",
        flow="method",
        trans_status="Y",
        server_id=authentication["id"],
    )


# -- the issuer's challenge page (ACS) ----------------------------------------------------


def _charge_of(call: Call, authentication: Object) -> Object | None:
    return charges.find(call.store, authentication["_merchant"], authentication["charge"])


async def acs_page(call: Call) -> Response:
    """`GET /threeds/acs?creq=...`: the issuer's challenge page (a notebook can open it)."""
    return await _acs(call)


async def answer_acs(call: Call) -> Response:
    """`POST /threeds/acs`: the script's `creq` opens the page; the page's form sends the
    shopper's code (or Cancel), which is recorded, and the page tells the 3DS script."""
    return await _acs(call)


async def _acs(call: Call) -> Response:
    try:
        form = await _form(call)
        creq = decode(form.get("creq"), "creq")
        authentication = _authentication(call, creq.get("threeDSServerTransID"), "challenge")
        if creq.get("acsTransID") != authentication.get("acs_transaction_id"):
            raise PageError(400, "Bad creq", "creq.acsTransID does not match this challenge.")
    except PageError as error:
        return _message(error)
    charge = _charge_of(call, authentication)
    action = form.get("action") if call.request.method == "POST" else None
    if action is None or authentication["status"] != "pending":
        return render(
            "threeds_challenge.html",
            200,
            PAGE_HEADERS,
            title="Verify it's you",
            authentication=authentication,
            charge=charge,
            code=model.CHALLENGE_CODE,
            creq=form["creq"],
            finished=authentication["status"] != "pending",
        )
    passed = action != "cancel" and form.get("code", "").strip() == model.CHALLENGE_CODE
    authentication["status"] = "succeeded" if passed else "failed"
    model.save(call.store, authentication)
    return render(
        "threeds_done.html",
        200,
        PAGE_HEADERS,
        title="Verified" if passed else "Not verified",
        flow="challenge",
        trans_status="Y" if passed else "N",
        server_id=authentication["id"],
    )


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
