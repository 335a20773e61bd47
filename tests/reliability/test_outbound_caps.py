"""Issue 23: every call the sandbox makes to a receiver (the app webhook verification, app
webhook deliveries, Hosted Checkout deliveries) caps the answer it reads and its whole
time, and holds no other request while it waits. The receivers here are raw sockets that
misbehave on purpose: one trickles its answer a byte at a time, one answers a huge body.
No wall clock is asserted: each test checks that the sandbox had its answer while the
receiver was still sending, or how much of the answer it took."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from helpers.sandbox.core import outbound
from tests.support import SHOPPER, bearer

APP = "KTAPPDEM0A1B2"
HUGE = 64 * 1024 * 1024
TRICKLE_FOR_S = 20.0


class Receiver:
    """A webhook receiver on a raw socket: `mode` "ok" answers 200 at once, "trickle"
    sends its status line a byte at a time for `TRICKLE_FOR_S`, "huge" answers 200 with
    a `HUGE`-byte body as fast as the sandbox reads it."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.bodies: list[bytes] = []
        self.sent = 0  # body bytes the last "huge" answer got out
        self.trickling = threading.Event()
        self.stop = threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/hook"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _read_request(self, conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        while len(body) < length:
            body += conn.recv(65536)
        self.bodies.append(body)

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                self._read_request(conn)
                if self.mode == "ok":
                    conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                elif self.mode == "trickle":
                    self.trickling.set()
                    deadline = time.monotonic() + TRICKLE_FOR_S
                    while time.monotonic() < deadline and not self.stop.is_set():
                        conn.sendall(b"H")
                        time.sleep(0.05)
                    self.trickling.clear()
                    conn.sendall(b"TTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                else:
                    conn.sendall(f"HTTP/1.1 200 OK\r\ncontent-length: {HUGE}\r\n\r\n".encode())
                    chunk = b"x" * 65536
                    self.sent = 0
                    while self.sent < HUGE:
                        conn.sendall(chunk)
                        self.sent += len(chunk)
            except OSError:
                pass

    def verification_code(self) -> str:
        found = [json.loads(b) for b in self.bodies if b"verificationCode" in b]
        return str(found[-1]["verificationCode"])

    def close(self) -> None:
        self.stop.set()
        self.server.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def short_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbound, "TOTAL_S", 0.5)


def _in_background(work: Any) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(work()), daemon=True)
    thread.start()
    return thread, out


def test_app_webhook_verification_caps_its_total_time(
    http: httpx.Client, receiver: Receiver, short_limit: None
) -> None:
    receiver.mode = "trickle"
    thread, out = _in_background(
        lambda: http.post(
            "/_sandbox/app-webhooks", json={"app_id": APP, "url": receiver.url}, timeout=60
        )
    )
    assert receiver.trickling.wait(10)
    # Other requests go on while the verification waits.
    assert http.get("/_sandbox/merchants").status_code == 200
    thread.join(30)
    [answer] = out
    assert receiver.trickling.is_set(), "the sandbox waited for the whole trickle"
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["param"] == "url"
    assert "within 0.5 s" in answer.json()["error"]["message"]


def test_app_webhook_verification_caps_the_answer_it_reads(
    http: httpx.Client, receiver: Receiver
) -> None:
    receiver.mode = "huge"
    answer = http.post(
        "/_sandbox/app-webhooks", json={"app_id": APP, "url": receiver.url}, timeout=60
    )
    assert answer.status_code == 200, answer.text  # the status was 200: the URL is set
    time.sleep(0.2)  # let the receiver notice the closed connection
    assert receiver.sent < HUGE // 4, f"the sandbox read {receiver.sent} bytes of the answer"


def test_app_webhook_deliveries_cap_their_total_time(
    http: httpx.Client, receiver: Receiver, short_limit: None
) -> None:
    settings = {"app_id": APP, "url": receiver.url, "max_attempts": 1}
    assert http.post("/_sandbox/app-webhooks", json=settings).status_code == 200
    code = {"app_id": APP, "verification_code": receiver.verification_code()}
    assert http.post("/_sandbox/app-webhooks/verify", json=code).status_code == 200
    receiver.mode = "trickle"
    http.post("/_sandbox/app-webhooks/trigger", json={"event": "order.created"})
    assert receiver.trickling.wait(10)
    logged = _deliveries(http, "/_sandbox/app-webhooks/deliveries", {"app_id": APP})
    assert receiver.trickling.is_set(), "the delivery waited for the whole trickle"
    assert logged["delivered"] is False and "within 0.5 s" in logged["error"]


def test_hosted_checkout_deliveries_cap_their_total_time(
    http: httpx.Client, receiver: Receiver, merchant: dict[str, str], short_limit: None
) -> None:
    mid = merchant["merchant_id"]
    body = {"merchant": mid, "url": receiver.url, "max_attempts": 1}
    assert http.post("/_sandbox/webhooks", json=body).status_code == 200
    receiver.mode = "trickle"
    _paid_checkout(http, merchant)
    assert receiver.trickling.wait(10)
    logged = _deliveries(http, "/_sandbox/webhooks/deliveries", {"merchant": mid})
    assert receiver.trickling.is_set(), "the delivery waited for the whole trickle"
    assert logged["delivered"] is False and "within 0.5 s" in logged["error"]


def _deliveries(http: httpx.Client, path: str, params: dict[str, str]) -> dict[str, Any]:
    """The first delivery attempt with an outcome, once the log holds one."""
    for _ in range(400):
        data = [d for d in http.get(path, params=params).json()["data"] if d["url"]]
        if data:
            return dict(data[-1])
        time.sleep(0.02)
    raise AssertionError("no delivery logged")


def _paid_checkout(http: httpx.Client, merchant: dict[str, str]) -> None:
    """A Hosted Checkout session paid on its page, which sends the webhook."""
    session = http.post(
        "/invoicingcheckoutservice/v1/checkouts",
        headers={**bearer(merchant), "x-clover-merchant-id": merchant["merchant_id"]},
        json={
            "customer": SHOPPER,
            "shoppingCart": {"lineItems": [{"name": "Tea", "price": 450, "unitQty": 1}]},
            "redirectUrls": {"success": "https://shop.example/paid"},
        },
    )
    assert session.status_code == 200, session.text
    card = {"number": "4242 4242 4242 4242", "expiry": "12/34", "cvv": "123", "action": "pay"}
    paid = http.post(session.json()["href"], data=card)
    assert paid.status_code == 303, paid.text
