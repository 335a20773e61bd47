"""Where a client's settings come from: the process environment, a ``.env`` file, and a
local sandbox's list of demo merchants. Light to import: nothing loads before it is used."""

from __future__ import annotations

from typing import Any

__all__ = ["MissingSettingError", "load_dotenv", "local_merchants"]


class MissingSettingError(RuntimeError):
    """A setting ``connect`` needs is not in the environment or in ``.env``."""


def load_dotenv() -> None:
    """Read ``.env`` from the current folder or a parent; variables already set win."""
    from dotenv import find_dotenv
    from dotenv import load_dotenv as load

    path = find_dotenv(usecwd=True)
    if path:
        load(path, override=False)


def local_merchants(base_url: str) -> list[dict[str, Any]]:
    """The demo merchants of a local sandbox and their credentials (local only)."""
    from .local_sandbox import LocalSandbox

    return LocalSandbox(base_url).merchants()
