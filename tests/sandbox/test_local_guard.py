"""The local sandbox as a local dev server protects itself: no foreign Host (DNS
rebinding), no cross-site state change (CSRF), JSON-only controls; Binder's and a hub's
proxy, the sandbox's own pages and programs without an Origin keep working."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.routing import Route

from helpers.sandbox import Sandbox, create_app
from helpers.sandbox.local.guard import CROSS_SITE_FORMS
from tests.support import SHOPPER, bearer, sandbox_process

EVIL = "http://evil.example"
SIMPLE_TYPES = ("text/plain;charset=json", "text/plain", "application/x-www-form-urlencoded")


def every_route() -> list[tuple[str, str]]:
    """(method, path) of every route, path parameters filled with a dummy id."""
    found = []
    for route in create_app().routes:
        if isinstance(route, Route):
            path = route.path.replace("{session_id}", "x").replace("{", "").replace("}", "")
            found += [(m, path) for m in sorted(route.methods or ()) if m != "HEAD"]
    return found


def test_a_foreign_host_is_refused_on_every_route(sandbox: Sandbox, http: httpx.Client) -> None:
    """DNS rebinding: evil.example re-pointed at 127.0.0.1 sends its own name as Host."""
    tried = 0
    for method, path in [*every_route(), ("GET", "/static/sdk.js"), ("GET", "/nowhere")]:
        for host in ("evil.example", f"evil.example:{sandbox.port}", "127.0.0.1.evil.example"):
            answer = http.request(method, path, headers={"Host": host})
            assert answer.status_code == 403, (method, path, host, answer.text)
            assert answer.json()["error"]["code"] == "host_not_allowed"
            assert "private_key" not in answer.text
            tried += 1
    assert tried > 100


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LOCALHOST:{port}"]
)
def test_loopback_names_are_served(sandbox: Sandbox, http: httpx.Client, host: str) -> None:
    answer = http.get("/_sandbox/merchants", headers={"Host": host.format(port=sandbox.port)})
    assert answer.status_code == 200


def test_a_cross_site_post_changes_nothing(
    sandbox: Sandbox, http: httpx.Client, merchant: dict[str, str]
) -> None:
    """A page on another site POSTs a 'simple' request, which needs no CORS pre-check."""
    fault = {"merchant": merchant["merchant_id"], "kind": "status", "status": 503}
    assert http.post("/_sandbox/faults", json=fault).status_code == 200
    refused = 0
    for method, path in every_route():
        if method == "GET" or path in CROSS_SITE_FORMS:  # EMV 3DS's cross-site form posts
            continue
        for origin in (EVIL, "null", f"http://127.0.0.1:{sandbox.port + 1}", "garbage"):
            for content_type in SIMPLE_TYPES:
                answer = http.request(
                    method,
                    path,
                    content=b'{"seed": 1, "url": "http://evil.example/hook"}',
                    headers={"Origin": origin, "Content-Type": content_type},
                )
                assert answer.status_code == 403, (method, path, origin, answer.text)
                refused += 1
    assert refused > 100
    assert len(http.get("/_sandbox/faults").json()["data"]) == 1  # nothing was reset


def test_the_3ds_browser_pages_take_a_merchant_pages_form_post(http: httpx.Client) -> None:
    """EMV 3-D Secure's method flow and challenge are form posts from the merchant's page
    (another origin) into a frame: those three pages take them, and act only on a named
    transaction (an unknown one is a 404 page, a missing field a 400 page, never a 403)."""
    assert {"/threeds/method", "/threeds/acs", "/clover3DS/method-notification"} == CROSS_SITE_FORMS
    for path in CROSS_SITE_FORMS:
        answer = http.post(path, data={}, headers={"Origin": EVIL})
        assert answer.status_code == 400, (path, answer.text)


def test_controls_take_json_only(sandbox: Sandbox, http: httpx.Client) -> None:
    for content_type in (*SIMPLE_TYPES, "application/json-patch+json", "application/jsonx"):
        answer = http.post(
            "/_sandbox/reset", content=b'{"seed": 1}', headers={"Content-Type": content_type}
        )
        assert answer.status_code == 415, content_type
        assert answer.json()["error"]["param"] == "content-type"
    chunked = http.post(
        "/_sandbox/reset", content=iter([b'{"seed": 1}']), headers={"Content-Type": "text/plain"}
    )
    assert chunked.status_code == 415
    for content_type in ("application/json", "application/json; charset=utf-8"):
        answer = http.post(
            "/_sandbox/reset", content=b'{"seed": 1}', headers={"Content-Type": content_type}
        )
        assert answer.status_code == 200
    assert http.post("/_sandbox/reset").status_code == 200  # no body, no type: curl -X POST


def test_the_sandboxs_own_pages_and_programs_pass(sandbox: Sandbox, http: httpx.Client) -> None:
    same_origin = http.post("/_sandbox/reset", json={}, headers={"Origin": sandbox.url})
    assert same_origin.status_code == 200
    localhost = f"http://localhost:{sandbox.port}"
    answer = http.post(
        "/_sandbox/reset",
        json={},
        headers={"Origin": localhost, "Host": f"localhost:{sandbox.port}"},
    )
    assert answer.status_code == 200
    assert http.post("/_sandbox/reset", json={}).status_code == 200  # no Origin: a program


@pytest.fixture
def hub_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """A sandbox inside a hub's single-user server (Binder too): the hub sets the prefix."""
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada/")
    with Sandbox(seed=7) as running:
        yield running


def test_a_hubs_proxy_is_served_and_nothing_else(hub_sandbox: Sandbox) -> None:
    """jupyter-server-proxy keeps the browser's Host and adds X-Forwarded-Context."""
    hub = {"Host": "hub.example.org", "Origin": "https://hub.example.org"}
    with httpx.Client(base_url=hub_sandbox.url, timeout=10) as http:
        for context in ("/user/ada/proxy/8765", "/user/ada/clover-sandbox"):
            proxied = {**hub, "X-Forwarded-Context": context}
            assert http.get("/", headers=proxied).status_code == 200
            assert http.post("/_sandbox/reset", json={}, headers=proxied).status_code == 200
            cross = {**proxied, "Origin": EVIL}
            assert http.post("/_sandbox/reset", json={}, headers=cross).status_code == 403
        for context in (None, "/user/eve/proxy/8765", "/user/ada/lab"):
            headers = {**hub, "X-Forwarded-Context": context} if context else hub
            assert http.get("/_sandbox/merchants", headers=headers).status_code == 403


def test_without_a_hub_the_proxy_header_proves_nothing(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    """On a laptop a rebinding page could send that header itself."""
    headers = {"Host": "evil.example", "X-Forwarded-Context": "/user/ada/proxy/8765"}
    assert http.get("/_sandbox/merchants", headers=headers).status_code == 403


@pytest.fixture
def public_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    monkeypatch.setenv("CLOVER_SANDBOX_PUBLIC_URL", "https://sandbox.example.org:8443/clover")
    with Sandbox(seed=7) as running:
        yield running


def test_a_configured_public_address_is_served(public_sandbox: Sandbox) -> None:
    with httpx.Client(base_url=public_sandbox.url, timeout=10) as http:
        public = {"Host": "sandbox.example.org:8443", "Origin": "https://sandbox.example.org:8443"}
        assert http.post("/_sandbox/reset", json={}, headers=public).status_code == 200
        wrong_port = {"Host": "sandbox.example.org"}
        assert http.get("/_sandbox/merchants", headers=wrong_port).status_code == 403


def test_a_garbled_public_url_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOVER_SANDBOX_PUBLIC_URL", "hub.example.org")
    with pytest.raises(ValueError, match="must be an http:// or https:// URL"):
        create_app()


def test_the_command_takes_public_urls() -> None:
    with sandbox_process("--public-url", "https://sandbox.example.org/clover") as (_, url):
        public = {"Host": "sandbox.example.org", "Origin": "https://sandbox.example.org"}
        with httpx.Client(base_url=url, timeout=10) as http:
            assert http.post("/_sandbox/reset", json={}, headers=public).status_code == 200
            merchant = http.get("/_sandbox/merchants").json()[0]
            made = http.post(
                "/invoicingcheckoutservice/v1/checkouts",
                json={
                    "customer": SHOPPER,
                    "shoppingCart": {"lineItems": [{"name": "Tea", "price": 300}]},
                },
                headers={**bearer(merchant), "X-Clover-Merchant-Id": merchant["merchant_id"]},
            )
        assert made.json()["href"].startswith("https://sandbox.example.org/clover/checkout/")
