"""The shop inside a running Python process, on a free loopback port, in a thread.

Notebook 19 starts it in the kernel this way, so the learner drives the very code they
would ship with httpx, as a browser would, and reads its SQLite tables in between.
``python -m shop`` remains the way to run it as a server.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette

from helpers.clover.client import CloverClient

from .app import create_app
from .clover import for_shop, local_webhooks, restore_local_webhooks, send_local_webhooks
from .config import Settings

__all__ = ["RunningShop", "start"]

START_TIMEOUT_S = 10.0


@dataclass
class RunningShop:
    """A shop serving at ``url`` until :meth:`stop`; ``settings`` are the ones it runs with
    (on the local sandbox, with the webhook signing secret it was given). :meth:`stop`
    puts back the sandbox's webhook settings it found, so a shop started later (or the one
    the notebook stopped before) is not left pointing at a dead port."""

    url: str
    app: Starlette
    settings: Settings
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    _client: CloverClient = field(repr=False)
    _previous: dict[str, Any] | None = field(default=None, repr=False)
    """The sandbox's webhook settings this shop found (None: not on the local sandbox)."""

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=START_TIMEOUT_S)
        with _lock:
            if self not in _running:
                return  # stopped already
            _running.remove(self)
            if self._previous is None:
                return
            ours = self.settings.webhook_url
            if not restore_local_webhooks(self._client, self._previous, ours):
                # Another shop took the webhooks after this one: what this shop found is
                # what that shop must put back when it stops (not this shop's dead port).
                for later in _running:
                    if later._previous is not None and later._previous.get("url") == ours:
                        later._previous = self._previous

    def __enter__(self) -> RunningShop:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


_running: list[RunningShop] = []
_lock = threading.Lock()


def start(settings: Settings, client: CloverClient, *, host: str = "127.0.0.1") -> RunningShop:
    """Serve the shop for ``client``'s merchant on a free port of ``host``; on the local
    sandbox, Hosted Checkout's webhooks are sent to it until it stops."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(64)
    url = f"http://{host}:{sock.getsockname()[1]}"
    client = for_shop(client)
    previous = None
    if client.environment.is_local:
        previous = local_webhooks(client)
        settings = send_local_webhooks(client, settings, url)
    app = create_app(settings, client=client)
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="shop", daemon=True
    )
    running = RunningShop(url, app, settings, server, thread, client, previous)
    with _lock:
        _running.append(running)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            running.stop()
            raise RuntimeError(f"the shop did not start at {url}")
        time.sleep(0.01)
    return running
