"""Dates on the recurring wire: ISO-8601 in, ISO-8601 out, and a plan's periods.

Clover writes `startDate`/`endDate` in ISO-8601 (`2023-09-07`, `20230907`, or a time
with an offset such as `2021-12-24T12:08:56.235-0700`; ref: createsubscription). The
sandbox reads all of these, and the `2021-12-24@19:08:56.235+0000` form Clover's older
samples answer; a date without a time is midnight UTC, a time without an offset is UTC.
Plans and subscriptions answer times as `2023-09-19T10:02:59.476+0000` (core/times.py): the
form of docs/working-with-recurring-payments-and-subscriptions and of the subscription
list on docs/recurring-apis-subscriptions, whose other samples write `@` for the `T`;
the pages disagree and the kit follows the ISO-8601 one (docs/choices.md, Recurring
payments). The sandbox's own clock control keeps `Z`.

A plan bills every `intervalCount` days, weeks, months or years (the docs' interval
matrix). "Every month on the same date": a period that falls on a day the month lacks
(the 31st, Feb 29th) is billed on the month's last day, and the next period goes back
to the start date's day (the sandbox's choice; the docs are silent).

Both choices are listed in docs/choices.md, "Recurring payments".
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime

from helpers.sandbox.core.errors import invalid_request
from helpers.sandbox.core.times import iso

INTERVALS = ("DAY", "WEEK", "MONTH", "YEAR")
DAY_MS = 86_400_000
MAX_MS = 253_402_300_799_000  # 9999-12-31T23:59:59Z


def parse(value: str, param: str) -> int:
    """An ISO-8601 date or date-time as Unix ms; anything else is a 400 naming `param`."""
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "T").replace("@", "T"))
    except ValueError:
        raise invalid_request(
            f"{param} must be an ISO-8601 date or date-time such as 2027-01-05 or "
            f"2027-01-05T09:00:00Z; got {value[:40]!r}.",
            param=param,
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def next_midnight(ms: int) -> int:
    """The start of the next UTC day: a subscription's default start ("the next day")."""
    return (ms // DAY_MS + 1) * DAY_MS


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def period_start(anchor_ms: int, interval: str, count: int, period: int) -> int:
    """When period number `period` (0 is the start date) of a schedule begins, in ms.
    Counted from the anchor each time, so a short month never shifts later ones."""
    steps = count * period
    if interval == "DAY":
        return anchor_ms + steps * DAY_MS
    if interval == "WEEK":
        return anchor_ms + steps * 7 * DAY_MS
    anchor = datetime.fromtimestamp(anchor_ms / 1000, tz=UTC)
    months = steps if interval == "MONTH" else steps * 12
    if anchor.year + months // 12 > 9998:
        return MAX_MS
    return int(_add_months(anchor, months).timestamp() * 1000)


DURATION = re.compile(
    r"P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?"
)


def after(now_ms: int, duration: str, param: str) -> int:
    """`now_ms` moved on by an ISO-8601 duration (`P1Y`, `P3M`, `P10D`, `PT12H`); years and
    months are calendar ones, counted from now's date."""
    match = DURATION.fullmatch(duration.strip().upper())
    if match is None or duration.strip().upper() in ("P", "PT"):
        raise invalid_request(
            f"{param} must be an ISO-8601 duration such as P1Y, P3M, P10D or PT12H; "
            f"got {duration[:40]!r}.",
            param=param,
        )
    parts = {k: int(v or 0) for k, v in match.groupdict().items()}
    months = parts["years"] * 12 + parts["months"]
    if months > 12 * 1000:
        raise invalid_request(f"{param} may reach at most 1000 years ahead.", param=param)
    start = datetime.fromtimestamp(now_ms / 1000, tz=UTC)
    if start.year + (start.month - 1 + months) // 12 > 9999:
        raise beyond_last_date(param)
    moment = _add_months(start, months)
    rest_s = (
        (parts["weeks"] * 7 + parts["days"]) * 86_400
        + parts["hours"] * 3600
        + parts["minutes"] * 60
        + parts["seconds"]
    )
    target = int(moment.timestamp() * 1000) + now_ms % 1000 + rest_s * 1000
    if target > MAX_MS:
        raise beyond_last_date(param)
    return target


def beyond_last_date(param: str) -> Exception:
    """A time past the last one ISO-8601 writes with four digits (issue 23: a 500 before)."""
    return invalid_request(
        f"{param} would move the clock past {iso(MAX_MS)}, the last time the sandbox can "
        "write; reset the sandbox (POST /_sandbox/reset) to start the clock again.",
        param=param,
    )
