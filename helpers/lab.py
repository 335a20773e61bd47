"""Where a running ``python3 kit.py lab`` keeps its sandbox, so that a script finds it too.

The lab's JupyterLab hands ``CLOVER_SANDBOX_URL`` to its kernels, but a script or a
terminal started beside it does not inherit that. So the lab writes its sandbox's URL into
a file of the sandbox's state folder (``CLOVER_SANDBOX_HOME``, by default
``~/.clover-sandbox``, where its database lives) and removes it when it stops;
``connect()`` reads it when ``CLOVER_SANDBOX_URL`` is unset, and uses it only if that
sandbox answers its health check (a lab killed without cleaning up leaves a stale file).

Standard library only: kit.py writes the file under the system Python, before ``.venv``
has anything installed.
"""

from __future__ import annotations

import contextlib
import os
import urllib.request
from pathlib import Path

__all__ = ["forget_lab_sandbox", "lab_sandbox_url", "remember_lab_sandbox", "sandbox_home"]

LAB_SANDBOX_FILE = "lab-sandbox-url"
HEALTH_TIMEOUT_S = 1.0


def sandbox_home() -> Path:
    """The sandbox's state folder: ``CLOVER_SANDBOX_HOME``, else ``~/.clover-sandbox``."""
    return Path(os.environ.get("CLOVER_SANDBOX_HOME") or Path.home() / ".clover-sandbox")


def remember_lab_sandbox(url: str, home: Path | None = None) -> Path:
    """Write down where the lab's sandbox answers; returns the file."""
    path = (home or sandbox_home()) / LAB_SANDBOX_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(url.rstrip("/") + "\n")
    return path


def forget_lab_sandbox(url: str, home: Path | None = None) -> None:
    """Remove the file, unless another lab has written its own URL there since."""
    path = (home or sandbox_home()) / LAB_SANDBOX_FILE
    with contextlib.suppress(OSError):
        if path.read_text().strip() == url.rstrip("/"):
            path.unlink()


def lab_sandbox_url() -> str | None:
    """The URL a running lab wrote down, if its sandbox answers now; else None."""
    try:
        url = (sandbox_home() / LAB_SANDBOX_FILE).read_text().strip().rstrip("/")
    except OSError:
        return None
    if not url.startswith(("http://", "https://")):
        return None
    # the lab's sandbox is on this machine: no proxy between, whatever http_proxy says
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}/_sandbox/health", timeout=HEALTH_TIMEOUT_S) as answer:
            return url if answer.status == 200 else None
    except (OSError, ValueError):
        return None
