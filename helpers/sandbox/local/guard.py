"""Who may drive the local sandbox: the Host and Origin checks of a local dev server.

The sandbox listens on loopback and holds demo keys, so two kinds of web page must not
drive it from a learner's browser:

- a page on another site that POSTs to it (cross-site request forgery): browsers send
  `Origin` with every cross-origin POST, so a state-changing request whose `Origin` is not
  an address the sandbox serves is refused (403), and the controls under `/_sandbox/`
  take `Content-Type: application/json` only, which no form and no CORS-free `fetch` can
  send;
- a page whose own name is re-pointed at 127.0.0.1 (DNS rebinding): the browser then sends
  that name as `Host`, so a request whose `Host` is not an address the sandbox serves is
  refused (403) before any route sees it.

The addresses it serves: the loopback names (127.0.0.1, localhost, ::1) on any port, as a
browser only sends them when the address bar names loopback; the public URLs it was given
(`--public-url`, `CLOVER_SANDBOX_PUBLIC_URL`); and, on a JupyterHub or Binder, requests
that jupyter-server-proxy forwards for this user's server. That proxy keeps the browser's
`Host` (the hub's name) and adds `X-Forwarded-Context: <prefix>proxy/<port>`; it is
trusted only when `JUPYTERHUB_SERVICE_PREFIX` says the sandbox runs inside a hub's
single-user server, whose loopback no outside browser can reach but through the hub.
Requests without `Origin` (curl, httpx, the notebooks' client) are not browsers' and pass
the Origin check. The 3-D Secure pages a merchant's page posts to by design
(`CROSS_SITE_FORMS`: the issuer's method URL and ACS, Clover's method notification; EMV
3-D Secure's browser flows are cross-site form posts) take any `Origin`: they hold no key,
and they act only on a transaction named by its unguessable ids. Clover's own servers are
public and have none of this: it is local.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from helpers.sandbox.core.errors import ApiError, foreign_host, foreign_origin, not_json_control
from helpers.sandbox.core.http import error_response
from helpers.sandbox.core.request import headers_of
from helpers.sandbox.local.clock_header import with_clock

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_URL_ENV = "CLOVER_SANDBOX_PUBLIC_URL"
HUB_PREFIX_ENV = "JUPYTERHUB_SERVICE_PREFIX"
PROXY_NAME = "clover-sandbox"  # jupyter_proxy.NAME, the launcher entry's path
CONTROLS = "/_sandbox/"
CROSS_SITE_FORMS = frozenset({"/threeds/method", "/threeds/acs", "/clover3DS/method-notification"})
DEFAULT_PORTS = {"http": 80, "https": 443}


@lru_cache(maxsize=256)  # every request's Host is checked; few distinct values ever come
def _host_port(value: str, scheme: str = "http") -> tuple[str, int] | None:
    """`name[:port]` (or `[v6]:port`) as a lower-case name and a port; None if garbled."""
    try:
        parts = urlsplit(f"{scheme}://{value}")
        name, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not name or parts.path or parts.query or parts.username is not None:
        return None
    return name.lower(), port if port is not None else DEFAULT_PORTS.get(scheme, 80)


def _origin(url: str) -> tuple[str, str, int] | None:
    """The (scheme, name, port) of an origin or URL; None for `null` or anything garbled."""
    try:
        parts = urlsplit(url)
        name, port = parts.hostname, parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not name:
        return None
    return parts.scheme, name.lower(), port if port is not None else DEFAULT_PORTS[parts.scheme]


def _public_urls_from_env() -> tuple[str, ...]:
    return tuple(u for u in os.environ.get(PUBLIC_URL_ENV, "").replace(",", " ").split() if u)


def check_public_url(url: str) -> str:
    """A public URL as given, or ValueError saying what it must look like."""
    if _origin(url) is None or urlsplit(url).query or urlsplit(url).fragment:
        raise ValueError(
            f"public URL {url[:80]!r} must be an http:// or https:// URL without a query, "
            "such as https://hub.example.org/user/me/proxy/8765"
        )
    return url.rstrip("/")


@dataclass
class Addresses:
    """The addresses this sandbox serves: the one place that decides what `Host` and
    `Origin` may be, and what address its own links (a checkout `href`) carry."""

    public_urls: tuple[str, ...] = ()
    hub_prefix: str | None = None
    bound: str | None = None  # http://127.0.0.1:PORT once a server listens
    _origins: set[tuple[str, str, int]] = field(default_factory=set, repr=False)

    @classmethod
    def from_environment(cls, public_urls: tuple[str, ...] = ()) -> Addresses:
        urls = tuple(check_public_url(u) for u in public_urls or _public_urls_from_env())
        prefix = os.environ.get(HUB_PREFIX_ENV, "").strip() or None
        if prefix is not None:
            prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        return cls(public_urls=urls, hub_prefix=prefix)

    def __post_init__(self) -> None:
        self._origins = {o for o in map(_origin, self.public_urls) if o is not None}

    def configure(self, public_urls: tuple[str, ...], host: str, port: int) -> None:
        """The command line's `--public-url`s (if any, instead of the environment's) and
        where the server listens; ValueError names a garbled URL."""
        if public_urls:
            self.public_urls = tuple(check_public_url(u) for u in public_urls)
            self.__post_init__()
        self.serving(host, port)

    def serving(self, host: str, port: int) -> None:
        """Record where the server listens (any-address binds are named by loopback)."""
        name = "127.0.0.1" if host in ("", "0.0.0.0") else host
        name = f"[{name}]" if ":" in name else name
        self.bound = f"http://{name}:{port}"

    @property
    def base_url(self) -> str:
        """The sandbox's address in links it makes: the public URL, else where it listens."""
        if self.public_urls:
            return self.public_urls[0]
        return self.bound or "http://127.0.0.1"

    def _through_hub_proxy(self, headers: Headers) -> bool:
        if self.hub_prefix is None:
            return False
        context = headers.get("x-forwarded-context") or headers.get("x-proxycontextpath") or ""
        rest = context[len(self.hub_prefix) :] if context.startswith(self.hub_prefix) else None
        return rest is not None and (rest.startswith("proxy/") or rest == PROXY_NAME)

    def allows_host(self, host: str, headers: Headers) -> bool:
        found = _host_port(host)
        if found is None:
            return False
        if found[0] in LOOPBACK:
            return True
        # A Host without a port means the default port of the scheme the browser used.
        if any(_host_port(host, scheme) == (name, port) for scheme, name, port in self._origins):
            return True
        return self._through_hub_proxy(headers)

    def allows_origin(self, origin: str, host: str) -> bool:
        """Same origin as the (already checked) `Host`, or a configured public origin."""
        found = _origin(origin)
        if found is None:
            return False
        if found in self._origins:
            return True
        scheme, name, port = found
        return _host_port(host, scheme) == (name, port)


def _json_control(headers: Headers) -> bool:
    """A control's body is JSON, declared as exactly `application/json` (charset utf-8 at
    most); a request without a body needs no type (`curl -X POST .../reset`)."""
    content_type = headers.get("content-type")
    if content_type is None:
        has_body = headers.get("content-length", "0").strip() not in ("", "0")
        return not (has_body or "transfer-encoding" in headers)
    media, *params = (p.strip().lower() for p in content_type.split(";"))
    return media == "application/json" and all(
        p.replace(" ", "") in ("charset=utf-8", 'charset="utf-8"') for p in params
    )


@dataclass
class Refusals:
    """How many requests the guard refused, by reason: the report of attempts stopped."""

    host: int = 0
    origin: int = 0
    content_type: int = 0


class LocalGuard:
    """ASGI middleware: refuses a foreign `Host`, a cross-site `Origin` on a state-changing
    request and a control body that is not JSON, before any route runs; and stamps every
    answer, refusals included, with the clock header (clock_header.py)."""

    def __init__(self, app: ASGIApp, addresses: Addresses, refused: Refusals) -> None:
        self.app = app
        self.addresses = addresses
        self.refused = refused

    def check(self, scope: Scope) -> ApiError | None:
        headers = headers_of(scope)  # decoded once, for the request log and auth too
        host = headers.get("host", "")
        addresses = self.addresses
        if not addresses.allows_host(host, headers):
            self.refused.host += 1
            return foreign_host(host, addresses.base_url)
        if scope["method"] in SAFE_METHODS:
            return None
        origin = headers.get("origin")
        cross_site_form = scope["path"] in CROSS_SITE_FORMS
        if origin is not None and not cross_site_form and not addresses.allows_origin(origin, host):
            self.refused.origin += 1
            return foreign_origin(origin, scope["method"], scope["path"])
        if scope["path"].startswith(CONTROLS) and not _json_control(headers):
            self.refused.content_type += 1
            return not_json_control(headers.get("content-type", "missing"))
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # the sandbox serves no websockets
            await self.app(scope, receive, send)
            return
        send = with_clock(send, scope["app"].state.sandbox.store)
        refusal = self.check(scope)
        if refusal is not None:
            await error_response(refusal)(scope, receive, send)
            return
        await self.app(scope, receive, send)
