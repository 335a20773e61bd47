"""The request plumbing every Clover endpoint shares.

`endpoint()` turns a plain handler `(Call) -> body` into a Starlette endpoint that
authenticates the caller, parses and bounds the JSON body, applies idempotency to POSTs,
commits the store before answering, and renders every failure in Clover's envelope.
Handlers therefore only validate and act, and cannot leak a traceback.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import Response

from helpers.sandbox.core.errors import ApiError, Unauthorized, invalid_request, unexpected
from helpers.sandbox.core.fields import ascii_digits, type_name
from helpers.sandbox.core.merchants import Merchant
from helpers.sandbox.core.state import SandboxState
from helpers.sandbox.core.store import Store

log = logging.getLogger("helpers.sandbox")

MAX_BODY_BYTES = 64 * 1024
MAX_IDEMPOTENCY_KEY = 255

Auth = Literal["bearer", "apikey"]


@dataclass
class Call:
    """One authenticated request, as a handler sees it."""

    state: SandboxState
    merchant: Merchant
    body: dict[str, Any]
    path: dict[str, str]
    query: QueryParams
    headers: Headers

    @property
    def store(self) -> Store:
        return self.state.store

    @property
    def merchant_id(self) -> str:
        return self.merchant.merchant_id


Result = Any | tuple[int, Any]
Handler = Callable[[Call], Result]


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(content, status, headers=headers, media_type="application/json")


def error_response(error: ApiError) -> Response:
    return json_response(error.status, error.body(), error.headers)


def authenticate(state: SandboxState, headers: Headers, auth: Auth) -> Merchant:
    if auth == "apikey":
        merchant = state.by_api_access_key.get(headers.get("apikey", "").strip())
    else:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        merchant = state.merchant_for_bearer(token.strip()) if scheme.lower() == "bearer" else None
    if merchant is None:
        raise Unauthorized()
    named = headers.get("x-clover-merchant-id", "").strip()
    if named and named != merchant.merchant_id:
        raise ApiError(
            401,
            "authentication_error",
            "merchant_mismatch",
            f"These credentials were issued for merchant {merchant.merchant_id}, "
            f"but X-Clover-Merchant-Id names {named[:13]!r}: use the access token "
            "stored for that merchant (each merchant's install has its own).",
            param="x-clover-merchant-id",
        )
    return merchant


def _not_json(constant: str) -> None:
    """Python reads NaN and Infinity, which JSON does not have; echoed back, they would make
    every later answer about the object unreadable to a strict parser."""
    raise ValueError(f"{constant} is not a JSON value; send a number or null")


async def read_json(request: Request) -> dict[str, Any]:
    """The body as a JSON object; an empty body is `{}` so optional-only bodies may be left out."""
    declared = request.headers.get("content-length")
    if declared and ascii_digits(declared) and int(declared) > MAX_BODY_BYTES:
        raise ApiError(
            413,
            "invalid_request_error",
            "invalid_request",
            f"Request body is larger than {MAX_BODY_BYTES} bytes.",
        )
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise ApiError(
                413,
                "invalid_request_error",
                "invalid_request",
                f"Request body is larger than {MAX_BODY_BYTES} bytes.",
            )
    if not raw.strip():
        return {}
    content_type = request.headers.get("content-type", "")
    if "json" not in content_type.lower():
        raise invalid_request(
            f"Content-Type must be application/json, not {content_type or 'missing'}: send the "
            "body as JSON with the header 'Content-Type: application/json'.",
            param="content-type",
        )
    try:
        body = json.loads(raw, parse_constant=_not_json)
    except (UnicodeDecodeError, ValueError) as exc:
        raise invalid_request(f"Request body is not valid JSON: {exc}.") from None
    except RecursionError:
        raise invalid_request("Request body nests arrays or objects too deeply.") from None
    if not isinstance(body, dict):
        raise invalid_request(f"Request body must be a JSON object, not {type_name(body)}.")
    return body


def _idempotency_key(headers: Headers) -> str | None:
    values = headers.getlist("idempotency-key")
    if not values:
        return None
    if len(values) > 1:
        raise invalid_request(
            "Send the idempotency-key header once, not several times.", param="idempotency-key"
        )
    key = values[0].strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        raise invalid_request(
            f"idempotency-key must be 1 to {MAX_IDEMPOTENCY_KEY} characters; a UUID4 is usual.",
            param="idempotency-key",
        )
    return key


def _fingerprint(request: Request, body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    target = f"{request.method} {request.scope['path']}"
    return hashlib.sha256(f"{target}\n{canonical}".encode()).hexdigest()


def _completed(status: int) -> bool:
    """Outcomes worth replaying: successes and card declines (the charge exists)."""
    return 200 <= status < 300 or status == 402


Endpoint = Callable[[Request], Awaitable[Response]]


def endpoint(handler: Handler, *, auth: Auth = "bearer") -> Endpoint:
    """The Starlette endpoint of `handler`. The local-only rate limits, faults and request
    log wrap the work here, so that handlers never know about them."""

    async def run(request: Request) -> Response:
        state: SandboxState = request.app.state.sandbox
        seen = state.requests.start(request)
        fired = seen.faults  # shown in the request log as soon as one fires
        body: dict[str, Any] = {}
        try:
            merchant = authenticate(state, request.headers, auth)
            seen.merchant = merchant.merchant_id
            where = (merchant.merchant_id, request.method, request.scope["path"])
            credential = request.headers.get("authorization") or request.headers.get("apikey", "")
            with state.limits.admit(credential, merchant.app_id):
                state.faults.before_work(*where, fired)
                body = await read_json(request) if request.method in ("POST", "PUT") else {}
                response = _answer(
                    handler,
                    Call(
                        state,
                        merchant,
                        body,
                        dict(request.path_params),
                        request.query_params,
                        request.headers,
                    ),
                    request,
                )
                seen.replayed = response.headers.get("idempotent-replayed") == "true"
                response = await state.faults.after_work(*where, response, fired)
        except ApiError as error:
            response = error_response(error)
        except Exception:  # the envelope, never a traceback
            log.exception("unexpected error on %s %s", request.method, request.scope["path"])
            response = error_response(unexpected())
        state.requests.finish(seen, response, body)
        return response

    return run


def _answer(handler: Handler, call: Call, request: Request) -> Response:
    """Idempotency, the handler, then the commit that comes before any answer."""
    state, merchant, body = call.state, call.merchant, call.body
    try:
        key = _idempotency_key(request.headers) if request.method in ("POST", "PUT") else None
        fingerprint = _fingerprint(request, body) if key else ""
        if key:
            replay = state.store.replay(merchant.merchant_id, key)
            if replay is not None:
                if replay.fingerprint != fingerprint:
                    raise ApiError(
                        400,
                        "idempotency_error",
                        "idempotency_error",
                        "This idempotency-key was already used with another request. "
                        "Reuse a key only to retry the very same request; use a new key "
                        "for a new one.",
                        param="idempotency-key",
                    )
                return json_response(replay.status, replay.body, {"idempotent-replayed": "true"})
        try:
            result = handler(call)
            status, payload = result if isinstance(result, tuple) else (200, result)
            response_headers: dict[str, str] = {}
        except ApiError as error:
            if not _completed(error.status):
                raise
            status, payload, response_headers = error.status, error.body(), error.headers
        if key:
            state.store.remember(merchant.merchant_id, key, fingerprint, status, payload)
        state.store.commit()
        return json_response(status, payload, response_headers)
    except ApiError as error:
        return error_response(error)
