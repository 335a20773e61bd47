"""The local-only control API under `/_sandbox/`: Clover has nothing like it.

It lets notebooks and tests read the demo credentials and put the sandbox back to a known
state. It needs no credentials: the sandbox listens on loopback and holds no real money.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import ApiError, invalid_request
from helpers.sandbox.core.fields import reject_unknown
from helpers.sandbox.core.http import error_response, json_response, read_json
from helpers.sandbox.core.requestlog import MAX_ENTRIES as MAX_LOGGED
from helpers.sandbox.core.state import SandboxState
from helpers.sandbox.resources.oauth import model as grants

MAX_LIFETIME_S = 10 * 365 * 24 * 3600
MAX_ADVANCE_MS = 366 * 24 * 3600 * 1000


async def merchants(request: Request) -> Response:
    state: SandboxState = request.app.state.sandbox
    return json_response(200, [m.public() for m in state.merchants.values()])


async def reset(request: Request) -> Response:
    """Empty the state; `{"seed": N}` reseeds, no body returns to the starting seed."""
    state: SandboxState = request.app.state.sandbox
    try:
        body = await read_json(request)
        seed = body.get("seed")
        if seed is not None and (type(seed) is not int or seed < 0):
            raise invalid_request(
                f"seed must be a whole number of at least 0; got {seed!r}.", param="seed"
            )
        unknown = set(body) - {"seed"}
        if unknown:
            raise invalid_request(
                f"Unknown parameter: {sorted(unknown)[0]}. Allowed: seed.", param=sorted(unknown)[0]
            )
    except ApiError as error:
        return error_response(error)
    state.store.reset(seed)
    state.faults.clear()
    state.limits.clear()
    state.requests.clear()
    state.lifetimes = grants.Lifetimes()
    return json_response(200, {"reset": True, "seed": state.store.sequence.seed})


async def health(request: Request) -> Response:
    return json_response(200, {"ok": True})


async def oauth_lifetimes(request: Request) -> Response:
    """Seconds OAuth codes and tokens live from now on; POST changes any of them.

    A notebook shortens `access_token` to show a refresh without waiting half an hour;
    0 issues tokens that are already expired. A reset restores the defaults.
    """
    state: SandboxState = request.app.state.sandbox
    if request.method == "POST":
        try:
            body = await read_json(request)
            values = state.lifetimes.as_dict()
            reject_unknown(body, tuple(values))
            for name, value in body.items():
                if type(value) is not int or not 0 <= value <= MAX_LIFETIME_S:
                    raise invalid_request(
                        f"{name} must be a whole number of seconds from 0 "
                        f"to {MAX_LIFETIME_S}; got {value!r}.",
                        param=name,
                    )
                values[name] = value
        except ApiError as error:
            return error_response(error)
        state.lifetimes = grants.Lifetimes(**values)
    return json_response(200, state.lifetimes.as_dict())


async def faults(request: Request) -> Response:
    """Faults Clover cannot show you (see faults.py): POST adds one, GET lists them, DELETE
    switches them off (all, or `?merchant=` one merchant's). A reset switches them off too."""
    state: SandboxState = request.app.state.sandbox
    try:
        if request.method == "POST":
            body = await read_json(request)
            fault = state.faults.add(body, state.merchants, state.store.sequence.seed)
            return json_response(200, fault.public())
        if request.method == "DELETE":
            removed = state.faults.remove(request.query_params.get("merchant"))
            return json_response(200, {"deleted": removed})
    except ApiError as error:
        return error_response(error)
    return json_response(200, {"object": "list", "data": [f.public() for f in state.faults]})


async def rate_limits(request: Request) -> Response:
    """Clover's documented rate limits: off until `{"enforce": true}` is POSTed."""
    state: SandboxState = request.app.state.sandbox
    if request.method == "POST":
        try:
            return json_response(200, state.limits.configure(await read_json(request)))
        except ApiError as error:
            return error_response(error)
    return json_response(200, state.limits.public())


async def requests(request: Request) -> Response:
    """What the sandbox saw, masked, oldest first: `?merchant=`, `?path=`, `?limit=` (100)."""
    state: SandboxState = request.app.state.sandbox
    raw = request.query_params.get("limit", "100")
    if not fields.ascii_digits(raw) or not 1 <= int(raw) <= MAX_LOGGED:
        return error_response(
            invalid_request(
                f"limit must be a whole number from 1 to {MAX_LOGGED}; got {raw!r}.", param="limit"
            )
        )
    data = state.requests.page(
        request.query_params.get("merchant"), request.query_params.get("path"), int(raw)
    )
    return json_response(200, {"object": "list", "data": data})


async def clock(request: Request) -> Response:
    """Move the seeded sandbox clock forward, so that objects can be spread over days."""
    state: SandboxState = request.app.state.sandbox
    try:
        body = await read_json(request)
        fields.reject_unknown(body, ("advance_ms",))
        advance = fields.integer(
            body, "advance_ms", required=True, maximum=MAX_ADVANCE_MS, unit="milliseconds"
        )
        assert advance is not None
        state.store.advance_clock(advance)
    except ApiError as error:
        return error_response(error)
    except ValueError:
        return error_response(
            invalid_request(
                "The sandbox clock moves only when the sandbox runs with a seed (--seed N, or a "
                'reset with {"seed": N}).',
                param="advance_ms",
            )
        )
    return json_response(200, {"now": state.store.sequence.now_ms()})
