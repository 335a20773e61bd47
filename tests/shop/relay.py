"""A webhook relay between the sandbox and the shop that a test can hold back, so the
webhook arrives after the shopper's redirect, or let through before it; it can also play
a shop that is down for the first deliveries, and it keeps every delivery as sent, for a
replay."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


class _Handler(BaseHTTPRequestHandler):
    server: _Relay

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        relay = self.server
        relay.captured.append((body, self.headers.get("clover-signature") or ""))
        if relay.fail_first > 0:
            relay.fail_first -= 1
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        relay.released.wait(30)
        forwarded = {
            k: v
            for k, v in self.headers.items()
            if k.lower() in {"content-type", "clover-signature"}
        }
        answer = httpx.post(relay.target, content=body, headers=forwarded, timeout=10)
        relay.delivered.set()
        self.send_response(answer.status_code)
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)


class _Relay(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, target: str, fail_first: int = 0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.target = target
        self.fail_first = fail_first
        self.captured: list[tuple[bytes, str]] = []
        self.released = threading.Event()
        self.released.set()
        self.delivered = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


@contextmanager
def relay(target: str, fail_first: int = 0) -> Iterator[_Relay]:
    server = _Relay(target, fail_first)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()
