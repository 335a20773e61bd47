"""The webhook side at its edges: any header raises only WebhookError; the receiver checks
Content-Length, caps bodies, times out slow senders and can remember replays across a
restart (a file)."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.clover.webhooks import (
    ReplayFile,
    WebhookError,
    WebhookReceiver,
    sign_webhook,
    verify_webhook,
)

from .test_webhooks import BODY, EVENT, NOW, SECRET

ODD_HEADERS: list[Any] = [
    None,
    "",
    b"",
    123,
    ["t=1,v1=ab"],
    "t=²,v1=ab",  # str.isdigit() says yes, int() says no
    "t=١٨٠٠٠٠٠٠٠٠,v1=ab",  # Arabic-Indic digits
    "t=1800000000,v1=é" + "a" * 63,  # compare_digest refuses non-ASCII str
    "t=1800000000,v1=\ud800",
    "t=" + "9" * 5000 + ",v1=ab",  # past int()'s digit limit
    "t=1800000000,v1=" + "a" * 100_000,
    "t=1800000000," * 10_000 + "v1=ab",
    "\x00\r\n",
    "t=-5,v1=ab",
    "t=1800000000,v1=",
    b"t=1800000000,v1=\xff\xfe",
    "t = 1800000000 , v1 = " + "0" * 64,
]


@pytest.mark.parametrize("header", ODD_HEADERS, ids=range(len(ODD_HEADERS)))
def test_any_odd_header_raises_only_webhook_error(header: Any) -> None:
    with pytest.raises(WebhookError) as caught:
        verify_webhook(BODY, header, SECRET, now=NOW)
    assert caught.value.reason in ("malformed", "bad_signature")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.one_of(st.text(), st.binary(), st.none()), body=st.one_of(st.text(), st.binary()))
def test_generated_headers_and_bodies_raise_only_webhook_error(header: Any, body: Any) -> None:
    with pytest.raises(WebhookError):
        verify_webhook(body, header, SECRET, now=NOW)


@pytest.mark.parametrize("body", ["\ud800", 42, None, b"[" * 100_000 + b"]" * 100_000])
def test_odd_bodies_raise_only_webhook_error(body: Any) -> None:
    raw = body if isinstance(body, bytes) else b"x"
    with pytest.raises(WebhookError):
        verify_webhook(body, sign_webhook(raw, SECRET, NOW), SECRET, now=NOW)


def test_a_good_header_with_spaces_still_verifies() -> None:
    signed = sign_webhook(BODY, SECRET, NOW).replace(",", " , ")
    assert verify_webhook(BODY, signed, SECRET, now=NOW)["id"] == EVENT["id"]


# -- the receiver over raw HTTP ----------------------------------------------------------


def raw_post(receiver: WebhookReceiver, head: str, body: bytes = b"") -> int:
    """POST with exactly these headers, then the body; the status."""
    url = httpx.URL(receiver.url)
    assert url.port is not None
    with socket.create_connection((url.host, url.port), timeout=10) as sock:
        sock.sendall(f"POST {url.path} HTTP/1.1\r\nHost: x\r\n{head}\r\n".encode())
        with contextlib.suppress(OSError):  # it may have answered and closed already
            sock.sendall(body)
        answer = sock.recv(4096)
    return int(answer.split()[1])


@pytest.mark.parametrize(
    ("head", "status"),
    [
        ("", 411),
        ("Transfer-Encoding: chunked\r\n", 411),
        ("Content-Length: abc\r\n", 400),
        ("Content-Length: -1\r\n", 400),
        ("Content-Length: ²\r\n", 400),
        ("Content-Length: 5\r\nContent-Length: 6\r\n", 400),
        ("Content-Length: 99999999999999999999\r\n", 400),
        ("Content-Length: 65537\r\n", 413),
    ],
)
def test_the_receiver_checks_content_length_before_reading(head: str, status: int) -> None:
    with WebhookReceiver(SECRET) as receiver:
        assert raw_post(receiver, head) == status
        assert receiver.deliveries[-1].answered == status
        assert not receiver.deliveries[-1].accepted


def test_a_body_cap_of_its_own(tmp_path: Path) -> None:
    with WebhookReceiver(SECRET, max_body=100) as receiver:
        assert raw_post(receiver, f"Content-Length: {len(BODY)}\r\n", BODY) == 413


def test_a_sender_slower_than_the_body_timeout_is_refused() -> None:
    with WebhookReceiver(SECRET, body_timeout=0.5) as receiver:
        started = time.monotonic()
        status = raw_post(receiver, f"Content-Length: {len(BODY)}\r\n", BODY[:10])
        assert status == 408
        assert time.monotonic() - started < 5
        assert receiver.events == []


def test_a_trickling_sender_is_refused_within_the_whole_body_timeout() -> None:
    with WebhookReceiver(SECRET, body_timeout=0.6) as receiver:
        url = httpx.URL(receiver.url)
        assert url.port is not None
        started = time.monotonic()
        with socket.create_connection((url.host, url.port), timeout=10) as sock:
            sock.sendall(f"POST {url.path} HTTP/1.1\r\nContent-Length: 100\r\n\r\n".encode())
            answer = b""
            for _ in range(40):  # a byte every 0.1 s: each read is quick, the whole is not
                try:
                    sock.sendall(b"x")
                except OSError:
                    break
                time.sleep(0.1)
                sock.setblocking(False)
                try:
                    answer = sock.recv(4096)
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
                if answer:
                    break
        assert answer.split()[1] == b"408", answer
        assert time.monotonic() - started < 3


def test_a_good_delivery_still_passes_over_raw_http() -> None:
    with WebhookReceiver(SECRET) as receiver:
        signed = sign_webhook(BODY, SECRET)
        head = f"Content-Length: {len(BODY)}\r\nClover-Signature: {signed}\r\n"
        assert raw_post(receiver, head, BODY) == 200
        assert [e["id"] for e in receiver.events] == [EVENT["id"]]


# -- replay memory in a file -------------------------------------------------------------


def post(receiver: WebhookReceiver, body: bytes, signature: str) -> int:
    headers = {"Clover-Signature": signature, "Content-Type": "application/json"}
    return httpx.post(receiver.url, content=body, headers=headers).status_code


def test_a_restarted_receiver_refuses_a_replay_and_handles_an_event_once(
    tmp_path: Path,
) -> None:
    memory = tmp_path / "webhooks" / "replays.jsonl"
    signed = sign_webhook(BODY, SECRET)
    with WebhookReceiver(SECRET, replay_file=memory) as first:
        assert post(first, BODY, signed) == 200
    with memory.open("a") as file:
        file.write('{"set": "signature", "val')  # a line a crash cut short
    with WebhookReceiver(SECRET, replay_file=memory) as restarted:
        assert post(restarted, BODY, signed) == 400
        assert "replayed" in restarted.deliveries[-1].reason
        # Clover's retry is signed afresh, with a new time: a second on, here
        retried = sign_webhook(BODY, SECRET, int(signed.split(",")[0].removeprefix("t=")) + 1)
        assert post(restarted, BODY, retried) == 200
        assert restarted.deliveries[-1].duplicate
        assert restarted.events == []
    without = WebhookReceiver(SECRET)
    with without:
        assert post(without, BODY, signed) == 200  # memory in the process only


def test_old_entries_are_dropped_when_the_file_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "replays.jsonl"
    lines = [
        {"set": "event", "value": "OLD", "at": time.time() - 10_000},
        {"set": "event", "value": "NEW", "at": time.time()},
        {"set": "signature", "value": "SIG", "at": time.time()},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    events = ReplayFile(path, "event", keep_s=3600)
    assert "NEW" in events and "OLD" not in events and "SIG" not in events
    assert "OLD" not in path.read_text() and "SIG" in path.read_text()
