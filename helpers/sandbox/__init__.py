"""A local stand-in for Clover's Ecommerce servers.

It speaks Clover's wire format (see the reference in the project's shared folder) so that
notebooks written against it run unchanged against Clover's real sandbox. Its public
surface is small: `Sandbox` to run it in a thread, `create_app` for an ASGI app, and the
command line `python -m helpers.sandbox`. It knows nothing of the client half of `helpers`.
"""

from .app import create_app
from .merchants import DEMO_MERCHANTS, Merchant
from .server import Sandbox

__all__ = ["DEMO_MERCHANTS", "Merchant", "Sandbox", "create_app"]
