"""Where the shopper's browser reaches the local sandbox, which may not be where the kernel does.

The kernel always talks to the sandbox on loopback. The browser can use that address only
when it runs on the same machine as the sandbox: JupyterLab on a laptop. On Binder, a
JupyterHub or any server reached from another machine, the browser reaches only the
Jupyter server, and jupyter-server-proxy forwards ``<base url>proxy/<port>/`` to the
sandbox. This module tells the two cases apart from what the kernel can see:

1. ``CLOVER_BROWSER_URL``, when set, wins.
2. Not under a Jupyter server (a script, nbconvert, a test): the sandbox's own URL.
3. A Jupyter server that listens on loopback at the root path, with no hub around it: the
   sandbox's own URL (a laptop). The card widget still falls back to the proxy by itself
   if the browser cannot load it from there.
4. Anything else (a hub's ``JUPYTERHUB_SERVICE_PREFIX``, a base URL, a public address):
   ``<base url>proxy/<port>``, a path on the Jupyter server's own origin.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["browser_url", "jupyter_server"]

_LOOPBACK = {"localhost", "127.0.0.1", "::1", ""}


def _is_loopback(host: str) -> bool:
    return host in _LOOPBACK or host.startswith("127.")


def _loopback_port(url: str) -> int | None:
    """The port of an ``http://`` URL on this machine's loopback, else None."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not _is_loopback(parts.hostname or ""):
        return None
    return parts.port or 80


def _runtime_files() -> list[Path]:
    from jupyter_core.paths import jupyter_runtime_dir

    return sorted(Path(jupyter_runtime_dir()).glob("jpserver-*.json"))


def jupyter_server() -> dict[str, Any] | None:
    """``base_url`` and ``hostname`` of the Jupyter server this process runs under, if any.

    A Jupyter server writes ``jpserver-<pid>.json`` in its runtime folder; the one whose
    pid is an ancestor of this process (the kernel's parent, or further up) is ours. Only
    the two fields needed here are kept: the file also holds the server's token.
    """
    servers: dict[int, dict[str, Any]] = {}
    for path in _runtime_files():
        try:
            info = json.loads(path.read_text())
            servers[int(info["pid"])] = {
                "base_url": str(info.get("base_url") or "/"),
                "hostname": str(info.get("hostname") or "localhost"),
            }
        except (OSError, ValueError, KeyError, TypeError):
            continue
    if not servers:
        return None
    import psutil

    try:
        ancestors = psutil.Process().parents()
    except psutil.Error:
        return None
    for process in ancestors:
        if process.pid in servers:
            return servers[process.pid]
    return None


def _with_slashes(path: str) -> str:
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def browser_url(sandbox_url: str) -> str:
    """The base URL for a browser to reach the local sandbox the kernel reaches at ``sandbox_url``.

    Either that URL itself or a root-relative path on the Jupyter server's origin, such as
    ``/user/learner/proxy/8765``.
    """
    explicit = os.environ.get("CLOVER_BROWSER_URL")
    if explicit:
        return explicit.rstrip("/")
    sandbox_url = sandbox_url.rstrip("/")
    port = _loopback_port(sandbox_url)
    if port is None:
        return sandbox_url
    hub_prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX")
    if hub_prefix:
        return f"{_with_slashes(hub_prefix)}proxy/{port}"
    server = jupyter_server()
    if server is None:
        return sandbox_url
    base = _with_slashes(server["base_url"])
    if base == "/" and _is_loopback(server["hostname"]):
        return sandbox_url
    return f"{base}proxy/{port}"
