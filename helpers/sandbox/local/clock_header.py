"""Every answer says how far the sandbox clock was moved: `X-Clover-Sandbox-Clock-Moved-Ms`.

The kit's own header (Clover has no clock to move; docs/sandbox.md, docs/choices.md "The
sandbox clock and expirations"). Expirations run on the real clock plus every move, so a
client that decides when to refresh an OAuth token needs that sum; reading it from the
answer it already gets costs no second request (issue 27: a `GET /_sandbox/clock` before
every Bearer request doubled the requests per call). The local guard's middleware
(guard.py) stamps it on every HTTP answer, refusals included: one layer around each
request, not two (issue 27: server CPU per flow).
"""

from __future__ import annotations

from starlette.types import Message, Send

from helpers.sandbox.core.store import Store

CLOCK_HEADER = b"x-clover-sandbox-clock-moved-ms"


def with_clock(send: Send, store: Store) -> Send:
    """`send`, adding the clock header to the answer's start."""

    async def send_with_clock(message: Message) -> None:
        if message["type"] == "http.response.start":
            moved = str(store.sequence.offset_ms).encode()  # read late: a reset renews it
            message["headers"] = [*message.get("headers", ()), (CLOCK_HEADER, moved)]
        await send(message)

    return send_with_clock
