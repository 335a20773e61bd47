"""A local stand-in for Clover's Ecommerce servers.

It speaks Clover's wire format (see the reference in the project's shared folder) so that
notebooks written against it run unchanged against Clover's real sandbox. Its public
surface is small: `Sandbox` to run it in a thread, `create_app` for an ASGI app, and the
command line `python -m helpers.sandbox`. It knows nothing of the client half of `helpers`.

The folders say how it is built: `core/` (HTTP plumbing, store, ids, fields, errors),
`resources/` (one package per Clover resource), `local/` (what only the local sandbox
has) and `pages/` (templates and static files). Names load on first use, so that tools
running without the sandbox's dependencies (kit.py) can import `helpers.sandbox.process`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpers.sandbox.app import create_app
    from helpers.sandbox.core.merchants import DEMO_MERCHANTS, Merchant
    from helpers.sandbox.server import Sandbox

__all__ = ["DEMO_MERCHANTS", "Merchant", "Sandbox", "create_app"]

_WHERE = {
    "DEMO_MERCHANTS": "helpers.sandbox.core.merchants",
    "Merchant": "helpers.sandbox.core.merchants",
    "Sandbox": "helpers.sandbox.server",
    "create_app": "helpers.sandbox.app",
}


def __getattr__(name: str) -> Any:
    """PEP 562: import the module behind a public name only when it is first used."""
    if name not in _WHERE:
        raise AttributeError(f"module 'helpers.sandbox' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
