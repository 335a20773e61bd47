"""Times as Clover's newer services write them: `2025-07-04T23:42:25.575+0000`.

Recurring payments (docs/working-with-recurring-payments-and-subscriptions) and Hosted
Checkout answer times as strings of this form; the Ecommerce API (`/v1/...`) answers Unix
ms numbers instead (`created` on a charge). Hosted Checkout's page calls its times "Unix
time", but the answers integrators have captured carry these strings (docs/choices.md,
Hosted Checkout).
"""

from __future__ import annotations

from datetime import UTC, datetime


def iso(ms: int) -> str:
    """Unix ms as the sandbox's own controls write times: `2026-01-05T09:00:00.000Z`."""
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def wire(ms: int) -> str:
    """Unix ms as Clover writes a time on the wire: `2026-01-05T09:00:00.000+0000`."""
    return iso(ms)[:-1] + "+0000"
