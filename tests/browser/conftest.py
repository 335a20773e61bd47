"""Browser fixtures: headless Chromium through Playwright, and small loopback web sites.

Chromium itself comes from tests/chromium.py. A failing test leaves a full-page screenshot
in test-artifacts/.
"""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import kept

ROOT = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).with_name("pages")
WIDGET_JS = ROOT / "helpers" / "notebook" / "widgets" / "checkout.js"
ARTIFACTS = ROOT / "test-artifacts"
PROXY_PREFIX = "/proxy/sandbox/"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module, kept running for the next module that asks for one
    (tests/chromium.py's `kept`: conftest.py closes it before a test that needs none, since
    Playwright's sync API keeps an event loop running while it lives, and later tests call
    asyncio.run())."""
    with kept() as chromium:
        yield chromium


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context per test; a screenshot is saved if the test fails."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    context.set_default_timeout(8_000)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        try:
            tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # the page may be the thing that broke
            request.node.add_report_section("teardown", "screenshot", f"not saved: {exc}")
    context.close()


@pytest.fixture
def token_requests(page: Any) -> list[str]:
    """URLs of every /v1/tokens request the browser makes, from any frame."""
    seen: list[str] = []
    page.context.on(
        "request", lambda req: seen.append(req.url) if "/v1/tokens" in req.url else None
    )
    return seen


class _SiteHandler(BaseHTTPRequestHandler):
    """Serves the test pages, the widget's JS, and a path-prefix proxy to the sandbox."""

    server: _Site

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: request lines could carry keys."""

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.startswith(PROXY_PREFIX):
            self._proxy()
        elif path == "/widget/checkout.js":
            self._send(200, WIDGET_JS.read_bytes(), "text/javascript")
        elif path.startswith("/pages/") and re.fullmatch(r"/pages/[a-z_]+\.html", path):
            file = PAGES / path.removeprefix("/pages/")
            if file.is_file():
                self._send(200, file.read_bytes(), "text/html; charset=utf-8")
            else:
                self._send(404, b"not found", "text/plain")
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        if self.path.startswith(PROXY_PREFIX):
            self._proxy()
        else:
            self._send(404, b"not found", "text/plain")

    def _proxy(self) -> None:
        """Forward to the sandbox with the prefix removed, as a Jupyter server proxy does."""
        target = self.server.sandbox_url + "/" + self.path.removeprefix(PROXY_PREFIX)
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else None
        forward = {
            k: v
            for k, v in self.headers.items()
            if k.lower() in {"content-type", "apikey", "authorization", "accept"}
        }
        upstream = urllib.request.Request(target, data=data, headers=forward, method=self.command)
        try:
            with urllib.request.urlopen(upstream, timeout=10) as answer:
                status, body = answer.status, answer.read()
                content_type = answer.headers.get("Content-Type", "application/octet-stream")
        except urllib.error.HTTPError as answer:
            status, body = answer.code, answer.read()
            content_type = answer.headers.get("Content-Type", "application/octet-stream")
        self._send(status, body, content_type)


class _Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, sandbox_url: str) -> None:
        super().__init__(("127.0.0.1", 0), _SiteHandler)
        self.sandbox_url = sandbox_url

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def _serve(sandbox_url: str) -> Iterator[_Site]:
    site = _Site(sandbox_url)
    thread = threading.Thread(target=site.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.shutdown()
        site.server_close()


@pytest.fixture
def merchant_site(sandbox: Any) -> Iterator[_Site]:
    """A merchant's own web site: another origin than the sandbox (another port)."""
    yield from _serve(sandbox.url)


@pytest.fixture
def hostile_site(sandbox: Any) -> Iterator[_Site]:
    """A third origin, standing in for an ad or a compromised widget on the same page."""
    yield from _serve(sandbox.url)
