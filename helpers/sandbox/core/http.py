"""The request plumbing every sandbox route shares: one wrapper, `endpoint()`.

Every route of the sandbox, API, OAuth, page or local control, is a plain function
`(Call) -> body | Response` wrapped by `endpoint(handler, auth=...)`. The wrapper
authenticates the caller as declared, reads every body within a size cap and a time limit
(pages' forms too), refuses what the wire cannot carry (lone surrogates, Infinity, numbers
past 64 digits) naming the field, applies idempotency to POSTs, runs the handler as one
unit of the store that is committed before answering or undone, and, for Clover's API,
records the request and applies the local-only rate limits and faults. Handlers therefore
only validate and act: they raise `ApiError`, which the wrapper renders in Clover's envelope.

Declared auth:

- `bearer`: an Ecommerce private key or an OAuth access token (most of Clover's API);
- `apikey`: the merchant's PAKMS key in the `apikey` header (the tokenizer);
- `none`: the request proves itself (OAuth's code or refresh token, a checkout link);
- `local`: the local-only control API, open to anyone who can reach the loopback port.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, quote

from starlette.datastructures import Headers, QueryParams
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from helpers.sandbox.core.deadlines import watchdog
from helpers.sandbox.core.errors import (
    ApiError,
    Unauthorized,
    body_too_large,
    body_too_slow,
    idempotency_key_reused,
    invalid_request,
    merchant_mismatch,
    not_on_the_wire,
    storage_failed,
    unexpected,
)
from helpers.sandbox.core.fields import (
    MAX_DIGITS,
    ascii_digits,
    check_wire,
    printable,
    type_name,
)
from helpers.sandbox.core.merchants import Merchant
from helpers.sandbox.core.render import compact
from helpers.sandbox.core.request import SandboxRequest
from helpers.sandbox.core.state import Sandbox
from helpers.sandbox.core.store import StorageError, Store

log = logging.getLogger("helpers.sandbox")

# One cap for every body, API and pages alike: Clover's JSON bodies and the pages' forms
# (a payment form is under 2 KB) fit many times over, and a 50 MB post is refused before
# it is held in memory. The payment page keeps its own stricter 16 KB form limit.
MAX_BODY_BYTES = 64 * 1024
# A body must follow its headers within this time; a sender that stalls gets a 408 and
# its connection back, instead of holding it open for ever.
BODY_TIMEOUT_S = 15.0
MAX_IDEMPOTENCY_KEY = 255
# Clover's servers ignore query parameters they do not know (its Python SDK sends
# `merchantUuid` on every GET), so the sandbox ignores them too, and names them in this
# response header so that a learner's typo (`limt=5`) is still visible.
IGNORED_PARAMS_HEADER = "x-sandbox-ignored-params"
MAX_IGNORED_NAMED = 20

Auth = Literal["bearer", "apikey", "none", "local"]
API_AUTH: tuple[Auth, ...] = ("bearer", "apikey")


class ReadQuery(QueryParams):
    """The query string, remembering which parameters the handler looked at: the rest
    were ignored, as Clover ignores them, and are named in `IGNORED_PARAMS_HEADER`."""

    def __init__(self, query: QueryParams) -> None:
        super().__init__(query.multi_items())
        self.read: set[str] = set()

    def __getitem__(self, key: Any) -> str:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: Any) -> bool:
        self.read.add(key)
        return super().__contains__(key)

    def get(self, key: Any, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key: Any) -> list[str]:
        self.read.add(key)
        return super().getlist(key)

    def ignored(self) -> list[str]:
        return [name for name in self.keys() if name not in self.read]


@dataclass
class Call:
    """One request, as a handler sees it: the sandbox, the caller and what was sent."""

    request: Request
    state: Sandbox
    body: dict[str, Any] = field(default_factory=dict)
    caller: Merchant | None = None
    read_query: ReadQuery | None = None
    replayed: bool = False  # the answer is the idempotency-key's first answer, again

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
    def query(self) -> ReadQuery:
        if self.read_query is None:
            self.read_query = ReadQuery(self.request.query_params)
        return self.read_query

    @property
    def headers(self) -> Headers:
        return self.request.headers


Handler = Callable[[Call], Any]


class JsonAnswer(Response):
    """A JSON answer that keeps the payload it was rendered from (`payload`), so that the
    request log reads it instead of parsing the bytes back, and its bytes (`data`), which
    an idempotency-key keeps for its replays."""

    media_type = "application/json"

    def __init__(
        self, data: bytes, status: int, headers: dict[str, str] | None, payload: Any
    ) -> None:
        super().__init__(data, status, headers=headers)
        self.data, self.payload = data, payload


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> JsonAnswer:
    """Clover's compact JSON (core/render.py: rendering never fails)."""
    data, shown = compact(body)
    return JsonAnswer(data, status, headers, shown)


def error_response(error: ApiError) -> Response:
    return json_response(error.status, error.body(), error.headers)


async def api_error(request: Request, exc: Exception) -> Response:
    """The app's exception handler for `ApiError`: Clover's envelope, from any route."""
    assert isinstance(exc, ApiError)
    return error_response(exc)


def authenticate(
    state: Sandbox, headers: Headers, auth: Auth, credential: str | None = None
) -> Merchant:
    """The merchant `credential` (read from `headers` when not given) belongs to."""
    if credential is None:
        credential = credential_of(headers, auth)
    if auth == "apikey":
        merchant = state.by_api_access_key.get(credential)
    else:
        merchant = state.merchant_for_bearer(credential) if credential else None
    if merchant is None:
        raise Unauthorized()
    named = headers.get("x-clover-merchant-id", "").strip()
    if named and named != merchant.merchant_id:
        raise merchant_mismatch(merchant.merchant_id, named)
    return merchant


def credential_of(headers: Headers, auth: Auth) -> str:
    """The key or token itself, however the header spells its scheme (`Bearer`, `bearer`):
    what authenticates, and so what the per-token rate limit counts."""
    if auth == "apikey":
        return headers.get("apikey", "").strip()
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _not_json(constant: str) -> None:
    """Python reads NaN and Infinity, which JSON does not have; echoed back, they would make
    every later answer about the object unreadable to a strict parser."""
    raise ValueError(f"{constant} is not a JSON value; send a number or null")


# Built once: `json.dumps` and `json.loads` with any option build a new encoder or decoder
# per call, about half of their cost on the small bodies of an API call (issue 27).
_STRICT = json.JSONDecoder(parse_constant=_not_json)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw body, refused with a 413 past `limit` bytes (declared or streamed) and a
    408 when it does not arrive within `BODY_TIMEOUT_S`."""
    declared = request.headers.get("content-length")
    if declared and ascii_digits(declared) and (len(declared) > 18 or int(declared) > limit):
        raise body_too_large(limit)
    if hasattr(request, "_body"):  # read before (Starlette keeps it there)
        return _within(request._body, limit)
    chunks: list[bytes] = []
    size = 0
    receive = request.receive
    watch, task = watchdog(), asyncio.current_task()
    assert task is not None
    watch.start(task, BODY_TIMEOUT_S)  # one watchdog for every body (core/deadlines.py)
    try:
        # ASGI's messages read directly: Starlette's `stream()` adds an async generator
        # and its steps to every request (issue 27, server CPU per flow).
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnect()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise body_too_large(limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
    except asyncio.CancelledError:
        if not watch.passed(task):
            raise
        task.uncancel()
        raise body_too_slow(BODY_TIMEOUT_S) from None
    finally:
        watch.stop(task)
    request._body = raw = b"".join(chunks)  # as `request.body()` keeps it, for a later reader
    return raw


def _within(raw: bytes, limit: int) -> bytes:
    if len(raw) > limit:
        raise body_too_large(limit)
    return raw


async def _with_body_read(request: Request) -> Request:
    """`request` with its body already read (bounded in size and time), for handlers that
    read it themselves (pages' forms): whatever they call, body() or stream(), is capped."""
    raw = await read_body(request)
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await request.receive()

    return SandboxRequest(request.scope, receive)


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
        body = _STRICT.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))
        check_wire(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise invalid_request(f"Request body is not valid JSON: {exc}.") from None
    except RecursionError:
        raise invalid_request("Request body nests arrays or objects too deeply.") from None
    if not isinstance(body, dict):
        raise invalid_request(f"Request body must be a JSON object, not {type_name(body)}.")
    return body


def _pairs(text: str) -> list[tuple[str, str]]:
    """Form or query pairs; bytes that are not UTF-8 become lone surrogates, so that
    `check_wire` refuses them naming the field instead of turning them into U+FFFD."""
    return parse_qsl(text, keep_blank_values=True, errors="surrogateescape")


def parse_form(raw: bytes) -> dict[str, str]:
    """An `application/x-www-form-urlencoded` body, as a browser sends a page's form."""
    form = dict(_pairs(raw.decode("utf-8", "surrogateescape")))
    check_wire(form)
    return form


def check_query(request: Request, whole_numbers: bool) -> None:
    """Refuse a query parameter the wire cannot carry, naming it; with `whole_numbers`
    (Clover's API and the controls, whose digit values are counts and times), digits past
    `MAX_DIGITS` too. Pages skip that: an OAuth `state` may be any long string of digits."""
    query = request.scope.get("query_string", b"").decode("latin-1")
    for name, value in _pairs(query):
        check_wire({name: value})
        if whole_numbers and ascii_digits(value) and len(value.lstrip("0")) > MAX_DIGITS:
            raise not_on_the_wire(
                printable(name), f"must be a whole number of at most {MAX_DIGITS} digits"
            )


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
    canonical = _CANONICAL.encode(body)
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


class Endpoint:
    """The ASGI app of one route: `handler` wrapped as `endpoint()` describes. An ASGI app
    rather than a `(Request) -> Response` function, so that Starlette adds no second
    exception-handling layer and `Request` around every request (issue 27: server CPU per
    flow); every error is rendered here, in Clover's envelope."""

    def __init__(self, handler: Handler, auth: Auth, parse_json: bool, unit: bool) -> None:
        self.handler = handler
        self.auth = auth
        self.parse_json = parse_json
        self.unit = unit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = SandboxRequest(scope, receive, send)
        response = await self.respond(request)
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        handler, auth = self.handler, self.auth
        call = Call(request, request.app.state.sandbox)
        try:
            if auth in API_AUTH:
                return await _api_call(handler, auth, call)
            check_query(request, whole_numbers=auth == "local")
            if request.method not in ("GET", "HEAD"):
                call.request = request = await _with_body_read(request)
            if self.parse_json and _writes(request):
                call.body = await read_json(request)
            work = _run(handler, call)
            result = await (_committed(call.store, work) if self.unit else work)
            return result if isinstance(result, Response) else json_response(200, result)
        except ApiError as error:
            return error_response(error)
        except Exception:  # the envelope, never a traceback
            log.exception("unexpected error on %s %s", request.method, request.scope["path"])
            return error_response(unexpected())


def endpoint(
    handler: Handler, *, auth: Auth = "bearer", parse_json: bool = True, unit: bool = True
) -> Endpoint:
    """The ASGI app of `handler`. With `parse_json`, a POST or PUT body is read as JSON
    into `call.body`; without, the handler reads the request itself (a form). Without
    `unit` (local controls only), the handler opens and commits its own units: one that
    works in steps (the clock) lets other requests run between them."""
    return Endpoint(handler, auth, parse_json, unit)


async def _committed(store: Store, work: Awaitable[Any]) -> Any:
    """Run `work` as one unit: whatever it changed is written before its answer leaves,
    or, when the database refuses the write or the work fails unforeseen, undone in
    memory too, so that nothing unacknowledged appears later. A Clover error keeps what
    the handler stored before raising (a declined charge exists), as it always did."""
    store.begin()
    try:
        try:
            result = await work
        except ApiError:
            _commit(store)
            raise
        except StorageError as failure:  # a handler's own commit (the payment page's)
            log.error("%s", failure)
            raise storage_failed() from None
        except BaseException:
            store.rollback()
            raise
        _commit(store)
        return result
    finally:
        store.end()


def _commit(store: Store) -> None:
    """`store.commit()`, which undoes the unit in memory when the database refuses it."""
    try:
        store.commit()
    except StorageError as failure:
        log.error("%s", failure)
        raise storage_failed() from None


async def _api_call(handler: Handler, auth: Auth, call: Call) -> Response:
    """Clover's API: the local-only rate limits, faults and request log wrap the work here,
    so that handlers never know about them."""
    state, request = call.state, call.request
    seen = state.requests.start(request)
    fired = seen.faults  # shown in the request log as soon as one fires

    async def work() -> Response:
        credential = credential_of(request.headers, auth)  # read once: auth and the limit
        call.caller = merchant = authenticate(state, request.headers, auth, credential)
        seen.merchant = merchant.merchant_id
        where = (merchant.merchant_id, request.method, request.scope["path"])
        with state.limits.admit(credential, merchant.app_id):
            state.faults.before_work(*where, fired)
            check_query(request, whole_numbers=True)
            if _writes(request):
                call.body = await read_json(request)
            response = await _rendered(_answer(handler, call))
            _name_ignored_params(call, response)
            seen.replayed = call.replayed
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
            call.replayed = True
            headers = {"idempotent-replayed": "true"}
            return JsonAnswer(replay.data, replay.status, headers, json.loads(replay.data))
    return await _committed(store, _outcome(handler, call, key, fingerprint))


async def _outcome(handler: Handler, call: Call, key: str | None, fingerprint: str) -> Response:
    """The handler's answer, remembered under the idempotency-key in the same unit as the
    objects it made: both are written, or neither."""
    status, headers = 200, {}
    try:
        payload = await _run(handler, call)
    except ApiError as error:
        if not _completed(error.status):
            raise
        status, payload, headers = error.status, error.body(), error.headers
    response = json_response(status, payload, headers)
    if key:
        call.store.remember(call.merchant_id, key, fingerprint, status, response.data)
    return response


def _name_ignored_params(call: Call, response: Response) -> None:
    """Name, in `IGNORED_PARAMS_HEADER`, the query parameters the handler never read
    (percent-encoded, so any name is a valid header value)."""
    if not call.request.scope["query_string"]:
        return
    ignored = call.query.ignored()
    if ignored:
        names = [quote(name, safe="[]_-.") for name in ignored[:MAX_IGNORED_NAMED]]
        response.headers[IGNORED_PARAMS_HEADER] = ", ".join(names)
