"""Clover's times, read whichever way an answer writes them.

The Ecommerce API (`/v1/...`) writes Unix ms numbers (a charge's `created`); Clover's newer
services write strings such as `2025-07-04T23:42:25.575+0000` (recurring payments, Hosted
Checkout), and older samples put `@` for the `T`. Hosted Checkout's page calls its times
"Unix time" (docs: creating-a-hosted-checkout-session) while the answers integrators have
captured carry the strings: read both, and your code works whichever comes.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["clover_time", "clover_time_ms"]


def clover_time(value: int | float | str) -> datetime:
    """A time from a Clover answer, as an aware UTC ``datetime``."""
    if isinstance(value, bool):
        raise TypeError(f"a Clover time is a number of ms or a date string, not {value!r}")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    text = value.strip().replace("@", "T")
    if text.isdigit():
        return clover_time(int(text))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"not a Clover time: {value[:40]!r}; expected Unix ms or a string such as "
            "2025-07-04T23:42:25.575+0000"
        ) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def clover_time_ms(value: int | float | str) -> int:
    """A time from a Clover answer as Unix ms (what `created.gte` filters take)."""
    moment = clover_time(value)
    return round(moment.timestamp() * 1000)
