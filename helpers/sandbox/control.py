"""The local-only control API under `/_sandbox/`: Clover has nothing like it.

It lets notebooks and tests read the demo credentials and put the sandbox back to a known
state. It needs no credentials: the sandbox listens on loopback and holds no real money.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from . import grants
from .api import error_response, json_response, read_json
from .errors import ApiError, invalid_request
from .fields import reject_unknown, type_name
from .state import SandboxState

MAX_LIFETIME_S = 10 * 365 * 24 * 3600


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
            raise invalid_request(f"seed must be a whole number of at least 0, not a "
                                  f"{type_name(seed)} ({seed!r}).", param="seed")
        unknown = set(body) - {"seed"}
        if unknown:
            raise invalid_request(f"Unknown parameter: {sorted(unknown)[0]}. Allowed: seed.",
                                  param=sorted(unknown)[0])
    except ApiError as error:
        return error_response(error)
    state.store.reset(seed)
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
                    raise invalid_request(f"{name} must be a whole number of seconds from 0 "
                                          f"to {MAX_LIFETIME_S}, not a {type_name(value)} "
                                          f"({value!r}).", param=name)
                values[name] = value
        except ApiError as error:
            return error_response(error)
        state.lifetimes = grants.Lifetimes(**values)
    return json_response(200, state.lifetimes.as_dict())
