"""The request plumbing every sandbox route shares: one wrapper, `endpoint()`.

Every route of the sandbox, API, OAuth, page or local control, is a plain function
`(Call) -> body | Response` wrapped by `endpoint(handler, auth=...)`. The wrapper
authenticates the caller as declared, parses and bounds the JSON body, applies
idempotency to POSTs, commits the store before answering and, for Clover's API, records
the request and applies the local-only rate limits and faults. Handlers therefore only
validate and act: they raise `ApiError`, which the app renders in Clover's envelope.

Declared auth:

- `bearer`: an Ecommerce private key or an OAuth access token (most of Clover's API);
- `apikey`: the merchant's PAKMS key in the `apikey` header (the tokenizer);
- `none`: the request proves itself (OAuth's code or refresh token, a checkout link);
- `local`: the local-only control API, open to anyone who can reach the loopback port.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl

from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import Response

from helpers.sandbox.core.errors import (
    ApiError,
    Unauthorized,
    body_too_large,
    idempotency_key_reused,
    invalid_request,
    merchant_mismatch,
    unexpected,
)
from helpers.sandbox.core.fields import ascii_digits, type_name
from helpers.sandbox.core.merchants import Merchant
from helpers.sandbox.core.state import SandboxState
from helpers.sandbox.core.store import Store

log = logging.getLogger("helpers.sandbox")

MAX_BODY_BYTES = 64 * 1024
MAX_IDEMPOTENCY_KEY = 255

Auth = Literal["bearer", "apikey", "none", "local"]
API_AUTH: tuple[Auth, ...] = ("bearer", "apikey")


@dataclass
class Call:
    """One request, as a handler sees it: the sandbox, the caller and what was sent."""

    request: Request
    state: SandboxState
    body: dict[str, Any] = field(default_factory=dict)
    caller: Merchant | None = None

    @property
    def merchant(self) -> Merchant:
        """The authenticated merchant; only routes with `bearer` or `apikey` auth have one."""
        if self.caller is None:
            raise RuntimeError("this route has no authenticated merchant")
        return self.caller

    @property
    def merchant_id(self) -> str:
        return self.merchant.merchant_id

    @property
    def store(self) -> Store:
        return self.state.store

    @property
    def path(self) -> dict[str, str]:
        return dict(self.request.path_params)

    @property
    def query(self) -> QueryParams:
        return self.request.query_params

    @property
    def headers(self) -> Headers:
        return self.request.headers


Handler = Callable[[Call], Any]
Endpoint = Callable[[Request], Awaitable[Response]]


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(content, status, headers=headers, media_type="application/json")


def error_response(error: ApiError) -> Response:
    return json_response(error.status, error.body(), error.headers)


async def api_error(request: Request, exc: Exception) -> Response:
    """The app's exception handler for `ApiError`: Clover's envelope, from any route."""
    assert isinstance(exc, ApiError)
    return error_response(exc)


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
        raise merchant_mismatch(merchant.merchant_id, named)
    return merchant


def _not_json(constant: str) -> None:
    """Python reads NaN and Infinity, which JSON does not have; echoed back, they would make
    every later answer about the object unreadable to a strict parser."""
    raise ValueError(f"{constant} is not a JSON value; send a number or null")


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw body, refused with a 413 past `limit` bytes (declared or streamed)."""
    declared = request.headers.get("content-length")
    if declared and ascii_digits(declared) and int(declared) > limit:
        raise body_too_large(limit)
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise body_too_large(limit)
    return raw


async def read_json(request: Request) -> dict[str, Any]:
    """The body as a JSON object; an empty body is `{}` so optional-only bodies may be left out."""
    raw = await read_body(request)
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


def parse_form(raw: bytes) -> dict[str, str]:
    """An `application/x-www-form-urlencoded` body, as a browser sends a page's form."""
    return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


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


def _writes(request: Request) -> bool:
    return request.method in ("POST", "PUT")


async def _run(handler: Handler, call: Call) -> Any:
    result = handler(call)
    return await result if inspect.isawaitable(result) else result


async def _rendered(work: Awaitable[Response]) -> Response:
    """The one place an API call's error becomes its answer (the request log needs it)."""
    try:
        return await work
    except ApiError as error:
        return error_response(error)


def endpoint(handler: Handler, *, auth: Auth = "bearer", parse_json: bool = True) -> Endpoint:
    """The Starlette endpoint of `handler`. With `parse_json`, a POST or PUT body is read
    as JSON into `call.body`; without, the handler reads the request itself (a form)."""

    async def run(request: Request) -> Response:
        call = Call(request, request.app.state.sandbox)
        try:
            if auth in API_AUTH:
                return await _api_call(handler, auth, call)
            if parse_json and _writes(request):
                call.body = await read_json(request)
            result = await _run(handler, call)
            call.store.commit()
            return result if isinstance(result, Response) else json_response(200, result)
        except ApiError:
            raise  # rendered by the app's handler, `api_error`
        except Exception:  # the envelope, never a traceback
            log.exception("unexpected error on %s %s", request.method, request.scope["path"])
            return error_response(unexpected())

    return run


async def _api_call(handler: Handler, auth: Auth, call: Call) -> Response:
    """Clover's API: the local-only rate limits, faults and request log wrap the work here,
    so that handlers never know about them."""
    state, request = call.state, call.request
    seen = state.requests.start(request)
    fired = seen.faults  # shown in the request log as soon as one fires

    async def work() -> Response:
        call.caller = merchant = authenticate(state, request.headers, auth)
        seen.merchant = merchant.merchant_id
        where = (merchant.merchant_id, request.method, request.scope["path"])
        credential = request.headers.get("authorization") or request.headers.get("apikey", "")
        with state.limits.admit(credential, merchant.app_id):
            state.faults.before_work(*where, fired)
            if _writes(request):
                call.body = await read_json(request)
            response = await _rendered(_answer(handler, call))
            seen.replayed = response.headers.get("idempotent-replayed") == "true"
            return await state.faults.after_work(*where, response, fired)

    try:
        response = await _rendered(work())
    except Exception:  # the envelope, never a traceback
        log.exception("unexpected error on %s %s", request.method, request.scope["path"])
        response = error_response(unexpected())
    state.requests.finish(seen, response, call.body)
    return response


async def _answer(handler: Handler, call: Call) -> Response:
    """Idempotency, the handler, then the commit that comes before any answer."""
    store, request, merchant_id = call.store, call.request, call.merchant_id
    key = _idempotency_key(request.headers) if _writes(request) else None
    fingerprint = _fingerprint(request, call.body) if key else ""
    if key:
        replay = store.replay(merchant_id, key)
        if replay is not None:
            if replay.fingerprint != fingerprint:
                raise idempotency_key_reused()
            return json_response(replay.status, replay.body, {"idempotent-replayed": "true"})
    status, headers = 200, {}
    try:
        payload = await _run(handler, call)
    except ApiError as error:
        if not _completed(error.status):
            raise
        status, payload, headers = error.status, error.body(), error.headers
    if key:
        store.remember(merchant_id, key, fingerprint, status, payload)
    store.commit()
    return json_response(status, payload, headers)
