"""The HTTP side of a call: the TLS settings, the headers a request carries, and the
reading of an answer into JSON or a typed error, each exchange journaled.

A request that never got a connection (nothing listens, unknown host) becomes a
:class:`~helpers.clover.errors.CannotConnectError` whose one line names the address and
the fix; one whose answer was lost after connecting stays an ``APIConnectionError``
chained to the transport's exception, since the request may have been carried out.
"""

from __future__ import annotations

import functools
import socket
import ssl
import time
import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from .errors import APIConnectionError, APIError, CannotConnectError, error_from_response
from .journal import Journal
from .spec import Auth


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings every HTTP client of the kit shares (``verify=tls_context()``).

    httpx builds a fresh context for each client it makes, reading the whole CA bundle:
    about 45 ms, paid by every client, every local control call and every simulated
    browser. Built once, a client costs a fraction of a millisecond.
    """
    return httpx.create_ssl_context()


def request_headers(
    method: str,
    auth: Auth,
    *,
    access_token: str,
    api_access_key: str | None,
    idempotency_key: str | None,
    extra: Mapping[str, str] | None,
) -> dict[str, str]:
    """Accept, the credential, and for every POST an idempotency key (a new uuid4 unless
    one is given): a retry reuses the headers, so it reuses the key."""
    headers: dict[str, str] = {"Accept": "application/json"}
    if auth == "bearer":
        headers["Authorization"] = f"Bearer {access_token}"
    elif auth == "apikey":
        assert api_access_key is not None
        headers["apikey"] = api_access_key
    if method.upper() == "POST":
        headers["idempotency-key"] = idempotency_key or str(uuid.uuid4())
    headers.update(extra or {})
    return headers


def sent_headers(request: httpx.Request) -> list[tuple[str, str]]:
    return [(name.decode(), value.decode()) for name, value in request.headers.raw]


def connection_failed(
    journal: Journal,
    request: httpx.Request,
    json_body: Any,
    started: float,
    exc: httpx.TransportError,
    *,
    local: bool = False,
) -> APIConnectionError:
    """Journal a request that got no answer; the error to raise for it (``local``: the
    address is a local sandbox's, so the fix is to start one)."""
    reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
    journal.record(
        method=request.method,
        url=str(request.url),
        request_headers=sent_headers(request),
        request_json=json_body,
        duration_ms=(time.perf_counter() - started) * 1000,
        error=reason,
    )
    key = request.headers.get("idempotency-key")
    if isinstance(exc, httpx.ConnectError):
        origin = f"{request.url.scheme}://{request.url.netloc.decode()}"
        return cannot_connect(origin, exc, local=local, idempotency_key=key)
    error = APIConnectionError(
        f"no answer from {request.url.host} ({reason})",
        type="api_connection_error",
        idempotency_key=key,
    )
    error.__cause__ = exc
    return error


def cannot_connect(
    url: str, failure: BaseException, *, local: bool, idempotency_key: str | None = None
) -> CannotConnectError:
    """The error for an address nothing answers at, with what to do about it."""
    if local:
        fix = (
            "is the local sandbox running? Start it with `python3 kit.py lab` (JupyterLab "
            "with the sandbox) or `python -m helpers.sandbox`, or check CLOVER_SANDBOX_URL"
        )
    else:
        fix = "check this machine's network, proxy or firewall; nothing was sent"
    return CannotConnectError(
        f"nothing answers at {url} ({_why(failure)}): {fix}",
        url=url,
        reason=f"{type(failure).__name__}: {failure}".rstrip(": "),
        idempotency_key=idempotency_key,
    )


def _why(failure: BaseException) -> str:
    """In two words, why no connection was made: the socket error under the transport's
    (the async transport wraps it as "All connection attempts failed")."""
    seen: BaseException | None = failure
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError) or "refused" in str(seen).lower():
            return "connection refused"
        if isinstance(seen, socket.gaierror) or "name or service" in str(seen).lower():
            return "unknown host"
        seen = seen.__cause__ or seen.__context__
    return "could not connect"


def read_answer(
    journal: Journal,
    request: httpx.Request,
    json_body: Any,
    started: float,
    response: httpx.Response,
) -> Any:
    """Journal the exchange; the answer's JSON object (or array), or the matching
    CloverError."""
    elapsed = (time.perf_counter() - started) * 1000
    key = request.headers.get("idempotency-key")
    body: Any
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = response.text
    journal.record(
        method=request.method,
        url=str(request.url),
        request_headers=sent_headers(request),
        request_json=json_body,
        status=response.status_code,
        response_json=body,
        duration_ms=elapsed,
        response_headers=dict(response.headers),
    )
    if not response.is_success:
        raise error_from_response(
            response.status_code, body, dict(response.headers), idempotency_key=key
        )
    if not isinstance(body, dict | list):  # a list: the recurring API's plans, subscriptions
        raise APIError(
            f"expected a JSON object or array from {request.url.path}, got {str(body)[:80]!r}",
            status=response.status_code,
            body=body,
            idempotency_key=key,
        )
    return body
