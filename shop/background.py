"""The shop inside a running Python process, on a free loopback port, in a thread.

Notebook 18 starts it in the kernel this way, so the learner drives the very code they
would ship with httpx, as a browser would, and reads its SQLite tables in between.
``python -m shop`` remains the way to run it as a server.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette

from helpers import CloverClient

from .app import create_app
from .clover import for_shop, send_local_webhooks
from .config import Settings

__all__ = ["RunningShop", "start"]

START_TIMEOUT_S = 10.0


@dataclass
class RunningShop:
    """A shop serving at ``url`` until :meth:`stop`; ``settings`` are the ones it runs with
    (on the local sandbox, with the webhook signing secret it was given)."""

    url: str
    app: Starlette
    settings: Settings
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=START_TIMEOUT_S)

    def __enter__(self) -> RunningShop:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start(settings: Settings, client: CloverClient, *, host: str = "127.0.0.1") -> RunningShop:
    """Serve the shop for ``client``'s merchant on a free port of ``host``; on the local
    sandbox, Hosted Checkout's webhooks are sent to it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(64)
    url = f"http://{host}:{sock.getsockname()[1]}"
    client = for_shop(client)
    if client.environment.is_local:
        settings = send_local_webhooks(client, settings, url)
    app = create_app(settings, client=client)
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="shop", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError(f"the shop did not start at {url}")
        time.sleep(0.01)
    return RunningShop(url, app, settings, server, thread)
