"""The learner's own merchant web app: the side of the line a developer ships.

A product page, a cart, a checkout page with Clover's iframe card fields, ``POST /pay``
that charges the ``clv_`` token exactly once, an order store in SQLite and an admin page
for refunds. It reaches Clover only through the kit's top-level ``helpers`` names, so the
same code runs against the local sandbox, Clover's sandbox or production.

Run it with ``python -m shop [--port 8000]``.
"""

from __future__ import annotations

from .app import create_app
from .config import Settings

__all__ = ["Settings", "create_app"]
