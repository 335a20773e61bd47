"""Every call the sandbox makes to someone else's server (a webhook receiver), bounded.

Clover's page asks the receiver for a `200 OK` and states no time limit
(https://docs.clover.com/docs/webhooks); the limits here are the kit's choice
(docs/choices.md, "Hosted Checkout webhooks").

A receiver is the learner's code, or anything a URL names: it may answer a huge body, or
trickle one byte at a time for ever. So each outbound POST here has one deadline for the
whole exchange (connect, send, the answer's status line and headers), and reads nothing of
the answer's body: only its status counts (docs: webhooks, "the URL must answer 200";
ecomm-hosted-checkout-webhook), so the body is never held in memory, whatever its size,
and the connection is closed without it. The answer's headers are capped by the HTTP
parser (h11: 16 KB). The call awaits on the server's event loop, so other requests go on
while it waits.
"""

from __future__ import annotations

import asyncio

import httpx

TOTAL_S = 5.0
"""The whole exchange's time limit: the verification and each delivery attempt."""


class OutboundFailed(Exception):
    """The receiver gave no usable answer; the message says why, in a few words."""


async def post_status(
    http: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str]
) -> int:
    """POST `body` to `url` and return the answer's status, within `TOTAL_S` in all;
    the answer's body is not read. Raises `OutboundFailed` saying what went wrong."""
    try:
        async with asyncio.timeout(TOTAL_S):
            async with http.stream("POST", url, content=body, headers=headers) as answer:
                return answer.status_code
    except TimeoutError:
        raise OutboundFailed(f"no whole answer within {TOTAL_S:g} s") from None
    except httpx.HTTPError as exc:
        raise OutboundFailed(f"{type(exc).__name__}: {exc}".rstrip(": ")) from None
