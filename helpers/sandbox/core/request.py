"""A request's headers, read once and shared by everything that asks for them.

The local guard, the request log, authentication, the body reader and handlers each ask
for a header or two; Starlette's `Headers` answers each question by scanning the raw list
and encoding the name again, about eleven scans an API request (issue 27: server CPU per
flow). `headers_of(scope)` decodes them once into a dictionary kept in the ASGI scope,
and `SandboxRequest.headers` answers from it.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import Scope

SCOPE_KEY = "helpers.sandbox.headers"


class ReadHeaders(Headers):
    """`Headers` whose look-ups are one dictionary access. A name sent twice answers
    with its first value, as `Headers` does; `getlist` still sees every value."""

    def __init__(self, scope: Scope) -> None:
        super().__init__(scope=scope)
        first: dict[str, str] = {}
        for name, value in reversed(self._list):
            first[name.decode("latin-1")] = value.decode("latin-1")
        self._first = first

    def get(self, key: str, default: Any = None) -> Any:
        return self._first.get(key.lower(), default)

    def __getitem__(self, key: str) -> str:
        return self._first[key.lower()]

    def __contains__(self, key: Any) -> bool:
        return isinstance(key, str) and key.lower() in self._first


def headers_of(scope: Scope) -> ReadHeaders:
    """The request's headers, decoded on the first call and kept in its scope."""
    found = scope.get(SCOPE_KEY)
    if found is None:
        found = scope[SCOPE_KEY] = ReadHeaders(scope)
    return found


class SandboxRequest(Request):
    """A Starlette `Request` whose headers are the scope's `ReadHeaders`."""

    @property
    def headers(self) -> Headers:
        return headers_of(self.scope)
