"""Ctrl+C on ``kit.py lab`` reaches the sandbox child as SIGINT, often twice (once from
the terminal, once from kit.py), while a kernel still holds a keep-alive connection: the
child stops without printing a traceback and exits 0 (issue 13), wherever the later
presses land: during the graceful shutdown, after it, or while Python is finishing."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from helpers.sandbox.process import start_sandbox_process


def _press_until_it_exits(process: subprocess.Popen[str], deadline_s: float = 30.0) -> None:
    """SIGINT again and again until the process is gone, so some press lands in each
    stage of its shutdown, however fast or slow the machine is."""
    deadline = time.monotonic() + deadline_s
    while process.poll() is None and time.monotonic() < deadline:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=0.002)
        except subprocess.TimeoutExpired:
            continue


def _hold_a_keep_alive_connection(held: socket.socket) -> None:
    """One whole request and answer, leaving the connection open and idle."""
    held.sendall(b"GET /_sandbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += held.recv(1024)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    length = int(
        next(ln for ln in head.split(b"\r\n") if ln.lower().startswith(b"content-length:")).split(
            b":"
        )[1]
    )
    while len(body) < length:
        body += held.recv(1024)


@contextmanager
def _a_sandbox_holding_a_kernels_connection(
    timeout: float,
) -> Iterator[tuple[subprocess.Popen[str], socket.socket]]:
    """A sandbox process with a keep-alive connection open to it, as a kernel holds one;
    the body presses Ctrl+C, and the sandbox must then have exited 0 with nothing on stderr
    but its own lines."""
    process, url = start_sandbox_process(python=sys.executable, capture_stderr=True)
    try:
        address = urlsplit(url)
        with socket.create_connection((address.hostname, address.port), timeout=timeout) as held:
            _hold_a_keep_alive_connection(held)
            yield process, held
            _, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors, errors
    assert process.returncode == 0


def test_sigint_stops_the_sandbox_quietly_even_with_a_connection_open() -> None:
    with _a_sandbox_holding_a_kernels_connection(timeout=5) as (process, _):
        _press_until_it_exits(process)  # the first press waits for the connection


def test_a_second_sigint_after_the_server_let_go_of_the_connection_exits_0() -> None:
    """The press that comes once the idle connection is closed (the shutdown under way)."""
    with _a_sandbox_holding_a_kernels_connection(timeout=10) as (process, held):
        process.send_signal(signal.SIGINT)
        assert held.recv(1024) == b""  # the server closed it: shutting down
        _press_until_it_exits(process)
