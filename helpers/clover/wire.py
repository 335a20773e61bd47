"""The HTTP side of a call: the TLS settings, the headers a request carries, and the
reading of an answer into JSON or a typed error, each exchange journaled.
"""

from __future__ import annotations

import functools
import ssl
import time
import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from .errors import APIConnectionError, APIError, error_from_response
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
) -> APIConnectionError:
    """Journal a request that got no answer; the error to raise for it."""
    reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
    journal.record(
        method=request.method,
        url=str(request.url),
        request_headers=sent_headers(request),
        request_json=json_body,
        duration_ms=(time.perf_counter() - started) * 1000,
        error=reason,
    )
    return APIConnectionError(
        f"no answer from {request.url.host} ({reason})",
        type="api_connection_error",
        idempotency_key=request.headers.get("idempotency-key"),
    )


def read_answer(
    journal: Journal,
    request: httpx.Request,
    json_body: Any,
    started: float,
    response: httpx.Response,
) -> dict[str, Any]:
    """Journal the exchange; the answer's JSON object, or the matching CloverError."""
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
    if not isinstance(body, dict):
        raise APIError(
            f"expected a JSON object from {request.url.path}, got {str(body)[:80]!r}",
            status=response.status_code,
            body=body,
            idempotency_key=key,
        )
    return body
