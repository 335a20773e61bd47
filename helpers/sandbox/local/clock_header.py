"""Every answer says how far the sandbox clock was moved: `X-Clover-Sandbox-Clock-Moved-Ms`.

The kit's own header (Clover has no clock to move; docs/sandbox.md, docs/choices.md "The
sandbox clock and expirations"). Expirations run on the real clock plus every move, so a
client that decides when to refresh an OAuth token needs that sum; reading it from the
answer it already gets costs no second request (issue 27: a `GET /_sandbox/clock` before
every Bearer request doubled the requests per call).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CLOCK_HEADER = b"x-clover-sandbox-clock-moved-ms"


class ClockHeader:
    """ASGI middleware: adds the clock header to every HTTP answer, refusals included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        store = scope["app"].state.sandbox.store

        async def send_with_clock(message: Message) -> None:
            if message["type"] == "http.response.start":
                moved = str(store.sequence.offset_ms).encode()  # read late: a reset renews it
                message["headers"] = [*message.get("headers", ()), (CLOCK_HEADER, moved)]
            await send(message)

        await self.app(scope, receive, send_with_clock)
