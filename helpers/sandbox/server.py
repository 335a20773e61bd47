"""Running the sandbox: in a background thread for tests and notebooks, or as a command."""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

import uvicorn

from helpers.sandbox.app import create_app

SWITCH_INTERVAL_S = 0.0005


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket; created with its protocol set so that asyncio turns on
    TCP_NODELAY for every connection (without it, keep-alive requests wait ~40 ms)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


class Sandbox:
    """A local Clover sandbox on a real loopback port, started in a thread.

    >>> with Sandbox(seed=7) as sandbox:
    ...     sandbox.url            # e.g. 'http://127.0.0.1:50123'
    """

    def __init__(
        self,
        seed: int | None = None,
        db: str | Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.seed, self.db, self.host, self.port = seed, db, host, port
        self.app = create_app(seed=seed, db=db)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> Sandbox:
        # In a thread, the sandbox shares the GIL with its caller. While the caller is busy
        # (an async batch keeps its event loop busy), the default 5 ms switch interval
        # would hold each answer back; a shorter one keeps the answers prompt.
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))
        sock = bind(self.host, self.port)
        self.port = sock.getsockname()[1]
        self.app.state.addresses.serving(self.host, self.port)
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [sock]},
            name=f"clover-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"The sandbox did not start on {self.url}.")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self.app.state.sandbox.store.close()
        self._server = self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
