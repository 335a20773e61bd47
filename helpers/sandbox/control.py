"""The local-only control API under `/_sandbox/`: Clover has nothing like it.

It lets notebooks and tests read the demo credentials and put the sandbox back to a known
state. It needs no credentials: the sandbox listens on loopback and holds no real money.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .api import error_response, json_response, read_json
from .errors import ApiError, invalid_request
from .fields import type_name
from .state import SandboxState


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
    return json_response(200, {"reset": True, "seed": state.store.sequence.seed})


async def health(request: Request) -> Response:
    return json_response(200, {"ok": True})
