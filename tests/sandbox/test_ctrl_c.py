"""Ctrl+C on ``kit.py lab`` reaches the sandbox child as SIGINT, often twice (once from
the terminal, once from kit.py), while a kernel still holds a keep-alive connection: the
child stops without printing a traceback (issue 13)."""

from __future__ import annotations

import signal
import socket
import sys
import time
from urllib.parse import urlsplit

from helpers.sandbox.process import start_sandbox_process


def test_sigint_stops_the_sandbox_quietly_even_with_a_connection_open() -> None:
    process, url = start_sandbox_process(python=sys.executable, capture_stderr=True)
    try:
        address = urlsplit(url)
        with socket.create_connection((address.hostname, address.port), timeout=5) as held:
            held.sendall(b"GET /_sandbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert held.recv(1024).startswith(b"HTTP/1.1 200")
            process.send_signal(signal.SIGINT)  # graceful: waits for the open connection
            time.sleep(0.5)
            process.send_signal(signal.SIGINT)  # the second press: stop now
            _, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors, errors
    assert process.returncode == 0
