"""`in_flight(url)` counts a delivery until its answer is in and logged: what tests wait on
(tests/support.py `deliveries_done`) instead of sleeping a fixed time."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from helpers.sandbox.core.webhooks import in_flight
from tests.support import deliveries_done

from .test_http import CARD, create_session, deliveries, set_webhook


def test_a_delivery_is_in_flight_until_its_answer_is_logged(http, merchant):
    release = threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            release.wait(10)
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    try:
        set_webhook(http, merchant, url)
        http.post(create_session(http, merchant).json()["href"], data=CARD)
        http.get("/_sandbox/clock")
        assert in_flight(url) == 1 and deliveries(http, merchant) == []
        release.set()
        deliveries_done(http, url)
        assert in_flight(url) == 0
        [attempt] = deliveries(http, merchant)
        assert attempt["delivered"] is True and attempt["response_status"] == 200
    finally:
        release.set()
        server.shutdown()
        server.server_close()
