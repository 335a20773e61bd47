"""Clover-shaped errors: every failure the sandbox answers goes through `ApiError`.

Clover wraps errors in one envelope, `{"message": "400 Bad Request", "error": {...}}`,
except a bare 401 which is only `{"message": "401 Unauthorized"}`. Handlers raise; the
app renders (`ApiError` is the app's one exception handler). Messages name the field and
say how to fix it, because the reader is usually a learner looking at a notebook cell.

Every error the sandbox answers is built in this module, by name, so that the same
situation always reads the same wherever it is met (a revoked card on a charge or on a
save, say). Generic field checks (`invalid_request`, `missing()`) take their message from
`core/fields.py`, which writes it from the field's name and limits.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any


def status_line(status: int) -> str:
    """`400 Bad Request`, as Clover writes it in the envelope's `message`."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


class ApiError(Exception):
    """An answer other than success, with everything needed to render Clover's envelope."""

    def __init__(
        self,
        status: int,
        type: str,
        code: str | None,
        message: str,
        *,
        param: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type
        self.code = code
        self.message = message
        self.param = param
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type}
        if self.code:
            error["code"] = self.code
        error["message"] = self.message
        if self.param:
            error["param"] = self.param
        error.update(self.extra)
        return {"message": status_line(self.status), "error": error}


class Unauthorized(ApiError):
    """Clover's bare 401: no error object, nothing that tells a prober what was wrong."""

    def __init__(self) -> None:
        super().__init__(401, "authentication_error", None, "401 Unauthorized")

    def body(self) -> dict[str, Any]:
        return {"message": "401 Unauthorized"}


INVALID = "invalid_request_error"


# -- generic -----------------------------------------------------------------------------


def invalid_request(
    message: str, param: str | None = None, code: str = "invalid_request"
) -> ApiError:
    return ApiError(400, INVALID, code, message, param=param)


def not_an_object(param: str) -> ApiError:
    """An entry of a list of objects (an order's item, a cart's line) that is not one."""
    return invalid_request(f"{param} must be a JSON object.", param=param)


def bad_limit(raw: str, maximum: int = 100, minimum: int = 1) -> ApiError:
    """A list's `limit` query parameter out of range, or not a number."""
    return invalid_request(
        f"limit must be a whole number from {minimum} to {maximum}; got {raw!r}.", param="limit"
    )


def bad_offset(raw: str) -> ApiError:
    """A list's `offset` query parameter that is not a whole number."""
    return invalid_request(f"offset must be a whole number; got {raw!r}.", param="offset")


def bad_interval(raw: str) -> ApiError:
    """A recurring plan's `interval`, in a body or a filter, that is not one of Clover's."""
    return invalid_request(
        f"interval must be one of Day, Week, Month, Year; got {raw[:20]!r}.", param="interval"
    )


def bad_seed(value: object) -> ApiError:
    """A local control's `seed` (a reset's, a fault's) that is not a whole number."""
    return invalid_request(
        f"seed must be a whole number of at least 0; got {value!r}.", param="seed"
    )


def missing(param: str, hint: str = "") -> ApiError:
    """A required parameter left out: code `invalid_request`, `param` naming it. Clover's
    error codes page (https://docs.clover.com/docs/ecommerce-error-codes) gives `missing`
    another meaning, "the token request failed upstream", and no code of its own to a
    missing parameter; the kit's choice (docs/choices.md, General)."""
    text = f"Missing required parameter: {param}."
    return ApiError(400, INVALID, "invalid_request", f"{text} {hint}".strip(), param=param)


def card_error(code: str, message: str, param: str) -> ApiError:
    return ApiError(400, "card_error", code, message, param=param)


def not_found(kind: str, object_id: str, param: str | None = None) -> ApiError:
    return ApiError(
        404, INVALID, "resource_missing", f"No such {kind}: '{object_id}'.", param=param
    )


def processing_error(message: str) -> ApiError:
    return ApiError(400, INVALID, "processing_error", message)


def conflict(message: str, param: str | None = None) -> ApiError:
    """409: the request is fine, but the object's state does not allow it now."""
    return ApiError(409, INVALID, "invalid_request", message, param=param)


def email_invalid(param: str, value: str) -> ApiError:
    return ApiError(
        400,
        INVALID,
        "email_invalid",
        f"{param} is not a valid email address: {value!r}.",
        param=param,
    )


def unexpected() -> ApiError:
    """What a failure nobody foresaw answers: the envelope, never a traceback."""
    return ApiError(
        500,
        "api_error",
        "processing_error",
        "The sandbox hit an unexpected error. It keeps serving; please report this.",
    )


# -- HTTP plumbing (core/http.py, app.py) -------------------------------------------------


def merchant_mismatch(merchant_id: str, named: str) -> ApiError:
    return ApiError(
        401,
        "authentication_error",
        "merchant_mismatch",
        f"These credentials were issued for merchant {merchant_id}, "
        f"but X-Clover-Merchant-Id names {named[:13]!r}: use the access token "
        "stored for that merchant (each merchant's install has its own).",
        param="x-clover-merchant-id",
    )


def body_too_large(limit: int) -> ApiError:
    return ApiError(413, INVALID, "invalid_request", f"Request body is larger than {limit} bytes.")


def body_too_slow(seconds: float) -> ApiError:
    """408: the headers came, the body did not; the connection is closed, not held."""
    return ApiError(
        408,
        INVALID,
        "invalid_request",
        f"The request body did not arrive within {seconds:g} s: send the whole body "
        "right after the headers.",
        headers={"connection": "close"},
    )


def not_on_the_wire(param: str, problem: str, *, in_name: bool = False) -> ApiError:
    """A value JSON or UTF-8 cannot carry (or a number no field could hold), refused before
    it is stored: stored, it would make every later answer about the object unreadable."""
    subject = f"The name of {param}" if in_name else param
    return invalid_request(f"{subject} {problem}.", param=param)


def storage_failed() -> ApiError:
    """503: the database refused the write; memory was rolled back, so nothing happened."""
    return ApiError(
        503,
        "api_error",
        "processing_error",
        "The sandbox could not save this request to its database, so nothing was done. "
        "Free disk space or fix the database file's permissions (the sandbox's console "
        "names the file), then retry with the same idempotency-key.",
    )


def idempotency_key_reused() -> ApiError:
    return ApiError(
        400,
        "idempotency_error",
        "idempotency_error",
        "This idempotency-key was already used with another request. "
        "Reuse a key only to retry the very same request; use a new key "
        "for a new one.",
        param="idempotency-key",
    )


def unknown_url(method: str, path: str) -> ApiError:
    return ApiError(
        404, INVALID, "resource_missing", f"Unrecognized request URL ({method}: {path})."
    )


def method_not_allowed(method: str, path: str, allowed: list[str]) -> ApiError:
    """A 405 names the methods the path takes, in the message and in `Allow` (RFC 9110)."""
    return ApiError(
        405,
        INVALID,
        "invalid_request",
        f"{method} is not allowed on {path}; it takes {', '.join(allowed) or 'no method'}.",
        headers={"Allow": ", ".join(allowed)},
    )


def http_status(status: int, detail: str) -> ApiError:
    return ApiError(status, INVALID, "invalid_request", detail)


# -- tokens and cards on file -----------------------------------------------------------


def invalid_source() -> ApiError:
    return invalid_request("Please provide a valid source or token.", param="source")


def card_revoked() -> ApiError:
    """A multi-pay token whose card was removed from its customer (charged or saved)."""
    return ApiError(
        400,
        INVALID,
        "card_on_file_missing",
        "The card behind the multi-pay token in source was revoked: ask the "
        "customer for their card again.",
        param="source",
    )


def no_card_on_file(customer_id: str) -> ApiError:
    return ApiError(
        400,
        INVALID,
        "card_on_file_missing",
        f"Customer {customer_id} has no card on file (it was revoked, or never "
        f"saved): add one with PUT /v1/customers/{customer_id} and a new "
        "source token.",
        param="source",
    )


def token_already_used(saving: bool = False) -> ApiError:
    """A single-use `clv_` token sent again, to charge (the default) or to save a card."""
    fix = (
        "Tokenize the card again to save it, or charge it first with intent "
        "'save_credential_on_file' to keep it usable."
        if saving
        else "Tokenize the card again for a new charge."
    )
    return ApiError(
        400,
        INVALID,
        "token_already_used",
        f"The token in source was already used: a clv_ token can be charged once. {fix}",
        param="source",
    )


def customer_not_found_as_source(customer_id: str) -> ApiError:
    return ApiError(
        404,
        INVALID,
        "resource_missing",
        f"No such customer: '{customer_id}'. The source must be a clv_ "
        "token or the id of one of your customers.",
        param="source",
    )


def card_already_on_file(brand: str, last4: str, customer_id: str, card_id: str) -> ApiError:
    return conflict(
        f"The card in source ({brand} ending {last4}) is already on file for customer "
        f"{customer_id} as card {card_id}.",
        param="source",
    )


def token_saved_elsewhere(card_id: str) -> ApiError:
    return conflict(
        f"The token in source is already saved as card {card_id} of another customer.",
        param="source",
    )


# -- charges, refunds, orders -------------------------------------------------------------


def charge_already_captured(charge_id: str) -> ApiError:
    return ApiError(
        400, INVALID, "charge_already_captured", f"Charge {charge_id} has already been captured."
    )


def charge_already_refunded(charge_id: str) -> ApiError:
    return ApiError(
        400,
        INVALID,
        "charge_already_refunded",
        f"Charge {charge_id} has already been refunded in full.",
    )


def order_charges_refunded(order_id: str) -> ApiError:
    """`charge_already_refunded` for an order return: none of its charges holds money."""
    return ApiError(
        400,
        INVALID,
        "charge_already_refunded",
        f"Order {order_id}'s charges hold no captured money to refund: "
        "they were refunded already, or are authorizations never "
        "captured (void those with POST /v1/refunds).",
    )


def order_already_returned(order_id: str) -> ApiError:
    """`charge_already_refunded` for an order whose every payment was returned."""
    return ApiError(
        400,
        INVALID,
        "charge_already_refunded",
        f"Order {order_id} was already returned: everything paid for it has been refunded.",
    )


def order_already_paid(order_id: str) -> ApiError:
    return ApiError(
        409, INVALID, "order_already_paid", f"Order with id {order_id} has been already paid."
    )


def authorization_waiting(order_id: str, charge_id: str) -> ApiError:
    return conflict(
        f"Order {order_id} has an authorization waiting, charge "
        f"{charge_id}: capture it (POST /v1/charges/{charge_id}/capture) "
        "or void it (POST /v1/refunds) before paying the order again."
    )


# -- OAuth (RFC 6749's names; Clover's own wording may differ) --------------------------


def invalid_grant(message: str, param: str) -> ApiError:
    return ApiError(400, INVALID, "invalid_grant", message, param=param)


def invalid_client(message: str, param: str = "client_id") -> ApiError:
    return ApiError(401, "authentication_error", "invalid_client", message, param=param)


def redirect_uri_not_registered(redirect_uri: str, client_id: str, sites: list[str]) -> ApiError:
    """Clover takes a redirect_uri only at or below the app's Site URL (docs: build/cors)."""
    known = ", ".join(sites) or "none yet"
    return invalid_request(
        f"redirect_uri {redirect_uri[:120]} is not the Site URL of app {client_id} or a "
        f"path below it (this app's: {known}). Clover checks it against App Settings > "
        "REST Configuration > Site URL; in the local sandbox, add yours with "
        'POST /_sandbox/oauth/site-urls {"client_id": ..., "url": ...}.',
        param="redirect_uri",
    )


def consent_not_from_page() -> ApiError:
    """The consent form without a valid token: sent by another page, or stale."""
    return ApiError(
        403,
        INVALID,
        "csrf_token_invalid",
        "This consent form did not come from the consent page: its csrf_token is missing, "
        "made for another request or more than an hour old. Open /oauth/v2/authorize in "
        "the browser again and press Allow or Deny there.",
        param="csrf_token",
    )


def merchant_not_installed(merchant_id: str) -> ApiError:
    return ApiError(
        404,
        INVALID,
        "resource_missing",
        f"No such merchant: merchant_id {merchant_id!r} has not installed this app.",
        param="merchant_id",
    )


# -- local-only: who may drive the sandbox (local/guard.py) ------------------------------


def foreign_host(host: str, base_url: str) -> ApiError:
    """A `Host` the sandbox does not serve: what a DNS-rebinding page sends."""
    shown = host[:80] if host.isascii() and host.isprintable() else repr(host[:80])
    return ApiError(
        403,
        INVALID,
        "host_not_allowed",
        f"Host {shown or '(missing)'!s} is not an address this local sandbox serves: open it "
        f"at {base_url} (or localhost), or start it with --public-url (or "
        "CLOVER_SANDBOX_PUBLIC_URL) naming the address your browser uses.",
        param="host",
    )


def foreign_origin(origin: str, method: str, path: str) -> ApiError:
    """A state-changing request sent by a page of another site (cross-site forgery)."""
    shown = origin[:80] if origin.isascii() and origin.isprintable() else repr(origin[:80])
    return ApiError(
        403,
        INVALID,
        "origin_not_allowed",
        f"{method} {path} came from a page at {shown}, not from this sandbox's own pages: "
        "the local sandbox takes changes only from its own pages, from the public URL it "
        "was started with (--public-url), or from programs (no Origin header).",
        param="origin",
    )


def not_json_control(content_type: str) -> ApiError:
    shown = content_type[:80] if content_type.isascii() else repr(content_type[:80])
    return ApiError(
        415,
        INVALID,
        "unsupported_media_type",
        f"Content-Type must be application/json, not {shown}: the /_sandbox/ controls take a "
        "JSON body only, sent with the header 'Content-Type: application/json'.",
        param="content-type",
    )


# -- local-only: faults and rate limits ---------------------------------------------------


def injected_error(status: int) -> ApiError:
    return ApiError(
        status,
        "api_error",
        "processing_error",
        "A fault injected by the local sandbox replaced the answer. Your request "
        "may have been carried out: retry it with the same idempotency-key, or "
        "read the object back, before you try anything new.",
    )


def injected_rate_limit(retry_after: int) -> ApiError:
    return ApiError(
        429,
        "rate_limit_error",
        "rate_limit",
        f"Too many requests (a fault injected by the local sandbox). Nothing was "
        f"done: wait {retry_after} s, as Retry-After says, then send it again.",
        headers={"retry-after": str(retry_after)},
    )


def rate_limited(limit: str, value: int, retry_after: int) -> ApiError:
    """Clover's 429 past a documented limit, with the header named after that limit."""
    what = "in progress at once" if "Concurrent" in limit else "a second"
    scope = "per app" if limit.startswith("cross") else "per access token"
    return ApiError(
        429,
        "rate_limit_error",
        "rate_limit",
        f"Too many requests: the limit is {value} {what} {scope}. Wait "
        f"{retry_after} s (retry-after), then send the request again.",
        headers={f"X-RateLimit-{limit}": str(value), "retry-after": str(retry_after)},
    )


# -- recurring payments (resources/recurring) ----------------------------------------------


def merchant_header_missing(what: str) -> ApiError:
    return missing(
        "X-Clover-Merchant-Id",
        f"{what} needs the header X-Clover-Merchant-Id with the merchant's id.",
    )


def plan_inactive(plan_id: str) -> ApiError:
    return conflict(
        f"planId {plan_id} is a plan that is not active: it takes no new subscriptions. "
        'Set it active ({"active": true}) first.',
        param="planId",
    )


def plan_has_subscriptions(plan_id: str, count: int, doing: str = "deleting") -> ApiError:
    """A plan with active subscriptions can be neither deactivated (Clover's page) nor
    deleted (the kit's choice)."""
    return conflict(
        f"planId {plan_id} still has {count} active subscription(s): cancel them before "
        f"{doing} the plan.",
        param="active" if doing == "deactivating" else "planId",
    )


def subscription_canceled(subscription_id: str) -> ApiError:
    return conflict(
        f"subscriptionId {subscription_id} is canceled; it cannot change. Create a new "
        "subscription for the customer instead.",
        param="subscriptionId",
    )


def start_date_not_in_future(param: str, start: str, now: str) -> ApiError:
    return invalid_request(
        f"{param} must be in the future; got {start}, and it is {now} now. Leave it out to "
        "start tomorrow.",
        param=param,
    )


def subscriber_without_card(customer_id: str) -> ApiError:
    return ApiError(
        400,
        INVALID,
        "card_on_file_missing",
        f"customerId {customer_id} has no card on file, and a subscription charges the card "
        f"on file: save one first with PUT /v1/customers/{customer_id} and a source token.",
        param="customerId",
    )
