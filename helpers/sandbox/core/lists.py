"""Clover's list envelope and cursor paging, shared by every `GET /v1/<objects>`.

`created.gt`, `created.gte`, `created.lt`, `created.lte` take Unix milliseconds or a UTC
`yyyy-MM-dd HH:mm:ss` (or `yyyy-MM-dd`), as Clover's get-charges page has them
(https://docs.clover.com/docs/get-charges).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from starlette.datastructures import QueryParams

from helpers.sandbox.core.errors import bad_limit, invalid_request
from helpers.sandbox.core.fields import ascii_digits
from helpers.sandbox.core.store import Kind, Object, Store, public

Compare = Callable[[int, int], bool]
CREATED_FILTERS: dict[str, Compare] = {
    "created": lambda c, v: c == v,
    "created.gt": lambda c, v: c > v,
    "created.gte": lambda c, v: c >= v,
    "created.lt": lambda c, v: c < v,
    "created.lte": lambda c, v: c <= v,
}
DATE_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?")


def _limit(query: QueryParams) -> int:
    raw = query.get("limit", "10")
    if not ascii_digits(raw) or not 1 <= int(raw) <= 100:
        raise bad_limit(raw)
    return int(raw)


def _created_filters(query: QueryParams) -> list[Callable[[Object], bool]]:
    tests: list[Callable[[Object], bool]] = []
    for name, compare in CREATED_FILTERS.items():
        raw = query.get(name)
        if raw is None:
            continue
        tests.append(_created_test(compare, _created_value(name, raw)))
    return tests


def _created_value(name: str, raw: str) -> int:
    """Unix milliseconds, from milliseconds or a UTC `yyyy-MM-dd[ HH:mm:ss]`."""
    if ascii_digits(raw):
        return int(raw)
    match = DATE_TIME.fullmatch(raw.strip()) if raw.isascii() else None
    if match is not None:
        year, month, day, hour, minute, second = (int(p) for p in match.groups(default="0"))
        try:
            when = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
        except ValueError:
            match = None
        else:
            return int(when.timestamp() * 1000)
    raise invalid_request(
        f"{name} must be a time in Unix milliseconds or a date-time 'yyyy-MM-dd HH:mm:ss' "
        f"(UTC), e.g. {name}=2021-01-12 or {name}=1610409600000; got {raw!r}.",
        param=name,
    )


def _created_test(compare: Compare, value: int) -> Callable[[Object], bool]:
    return lambda obj: compare(obj["created"], value)


def _filter_test(test: Callable[[Object, str], bool], value: str) -> Callable[[Object], bool]:
    return lambda obj: test(obj, value)


def list_page(
    store: Store,
    kind: Kind,
    merchant: str,
    query: QueryParams,
    url: str,
    filters: dict[str, Callable[[Object, str], bool]] | None = None,
) -> dict[str, Any]:
    """Newest first; `starting_after` pages to older objects, `ending_before` to newer."""
    filters = filters or {}
    # Parameters not read here are ignored, as Clover ignores them; the endpoint wrapper
    # names them in a response header (core/http.py, IGNORED_PARAMS_HEADER).
    limit = _limit(query)
    tests = _created_filters(query)
    tests += [_filter_test(f, query[name]) for name, f in filters.items() if name in query]
    after, before = query.get("starting_after"), query.get("ending_before")
    if after and before:
        raise invalid_request(
            "Send starting_after or ending_before, not both.", param="ending_before"
        )
    cursor = after or before
    if cursor is not None and store.get(kind, cursor, merchant) is None:
        param = "starting_after" if after else "ending_before"
        raise invalid_request(
            f"{param} must be the id of one of your {kind}s; no {kind} '{cursor}' exists.",
            param=param,
        )

    def matching(objects: Iterable[Object]) -> Iterator[Object]:
        return (obj for obj in objects if all(test(obj) for test in tests))

    if before:
        newer = list(
            islice(
                matching(
                    store.oldest_first(kind, merchant, after_index=store.index_of(kind, before))
                ),
                limit + 1,
            )
        )
        page, has_more = list(reversed(newer[:limit])), len(newer) > limit
    else:
        start = store.index_of(kind, after) if after else None
        older = list(
            islice(matching(store.newest_first(kind, merchant, before_index=start)), limit + 1)
        )
        page, has_more = older[:limit], len(older) > limit
    return {"object": "list", "url": url, "data": [public(o) for o in page], "has_more": has_more}
