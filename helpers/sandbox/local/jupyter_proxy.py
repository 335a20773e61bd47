"""The sandbox as a named app of the Jupyter server, through jupyter-server-proxy.

On Binder or a JupyterHub the browser reaches only the Jupyter server, so the sandbox's
pages (card fields, demo checkout) must be served through it. Every sandbox on loopback
is already reachable at ``<base url>proxy/<port>/``; this entry point adds a name and a
launcher tile, "Clover sandbox", at ``<base url>clover-sandbox/``, for the sandbox that
``kit.py lab`` or ``binder/start`` runs (``CLOVER_SANDBOX_URL``). The Jupyter server
calls :func:`server_proxy_config` at start-up, once ``helpers`` is installed.

The learner's shop (``python -m shop``) gets a tile too, "Clover demo shop", at
``<base url>clover-shop/``: :func:`shop_server_proxy_config` has Jupyter start it on
demand, on a free port, told the prefix it is served under so its links and cookie carry
it. It uses the sandbox ``CLOVER_SANDBOX_URL`` names, or starts its own. This module only
names the command: the sandbox never imports the shop.
"""

from __future__ import annotations

import os
import sys
from typing import Any
from urllib.parse import urlsplit

from helpers.sandbox.pages import STATIC

__all__ = [
    "DEFAULT_PORT",
    "NAME",
    "SHOP_NAME",
    "SHOP_TITLE",
    "TITLE",
    "server_proxy_config",
    "shop_server_proxy_config",
]

NAME = "clover-sandbox"
TITLE = "Clover sandbox"
SHOP_NAME = "clover-shop"
SHOP_TITLE = "Clover demo shop"
DEFAULT_PORT = 8765
_ICON = STATIC / "clover-sandbox.svg"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _running_sandbox_port() -> int | None:
    """The port of the sandbox named by ``CLOVER_SANDBOX_URL``, if it is on loopback."""
    url = os.environ.get("CLOVER_SANDBOX_URL", "")
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in _LOOPBACK or not parts.port:
        return None
    return parts.port


def server_proxy_config() -> dict[str, Any]:
    """jupyter-server-proxy's settings for the sandbox started next to the Jupyter server.

    No command: the sandbox is started beside Jupyter, not on demand, so kernels and the
    browser share one sandbox. Without ``CLOVER_SANDBOX_URL`` each kernel starts its own
    sandbox (reached at ``proxy/<port>/``) and the launcher tile stays hidden.
    """
    port = _running_sandbox_port()
    return {
        "port": port or DEFAULT_PORT,
        "timeout": 10.0,
        "launcher_entry": {
            "enabled": port is not None,
            "title": TITLE,
            "icon_path": str(_ICON),
            "category": "Other",
        },
        "new_browser_tab": True,
    }


def shop_server_proxy_config() -> dict[str, Any]:
    """jupyter-server-proxy's settings for the shop: started on first visit, on a port
    Jupyter picks, with ``--root-path <base url>clover-shop``. jupyter-server-proxy strips
    that prefix before passing a request on, so the shop routes as at the root and only
    its links and cookie path carry the prefix. It writes its orders to ``shop.sqlite3``
    in the folder Jupyter serves (``SHOP_DB`` overrides). The browser reaches the sandbox
    through the proxy too: the shop is told where (``CLOVER_BROWSER_URL``), since a merchant
    app cannot ask Jupyter the way a kernel's helpers do."""
    port = _running_sandbox_port()
    told = {} if port is None else {"CLOVER_BROWSER_URL": "{base_url}proxy/" + str(port)}
    return {
        "command": [
            sys.executable,
            "-m",
            "shop",
            "--port",
            "{port}",
            "--root-path",
            "{base_url}" + SHOP_NAME,
        ],
        "environment": {} if os.environ.get("CLOVER_BROWSER_URL") else told,
        "timeout": 60.0,
        "absolute_url": False,
        "launcher_entry": {
            "enabled": True,
            "title": SHOP_TITLE,
            "icon_path": str(_ICON),
            "category": "Other",
        },
        "new_browser_tab": True,
    }
