"""Clover's compact JSON, in one place: what an answer sends and what an idempotency-key
keeps for its replays (core/store.py re-renders an older database's rows with it)."""

from __future__ import annotations

import json
import math
from typing import Any

from helpers.sandbox.core.fields import WHOLE_NUMBER_LIMIT

_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
_COMPACT_ASCII = json.JSONEncoder(separators=(",", ":"), allow_nan=False)


def compact(body: Any) -> tuple[bytes, Any]:
    """`body` as compact JSON bytes, and the body those bytes show. Rendering never fails:
    a lone surrogate that got past the input checks is written as a `\\ud800` escape, a
    non-finite number as null (then the body shown is the one with nulls)."""
    try:
        return _COMPACT.encode(body).encode(), body
    except (ValueError, UnicodeEncodeError):
        body = _renderable(body)
        return _COMPACT_ASCII.encode(body).encode(), body


def _renderable(value: Any) -> Any:
    """`value` with what JSON cannot write (Infinity, NaN, numbers past Python's digit
    limit) as null: the last guarantee that an answer renders, after the input checks."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > WHOLE_NUMBER_LIMIT:
        return str(value) if value.bit_length() < 10_000 else None
    if isinstance(value, dict):
        return {str(k): _renderable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_renderable(v) for v in value]
    return value
