"""Compare an answer of the local sandbox with Clover's, field by field: the one engine that
`python -m helpers.sandbox compare` and the contract tests (tests/contract/) share.

Two kinds of "Clover answer" are compared:

- a **sample** from a documentation page (trimmed, its values made up): every path of the
  sample must be present with the same JSON type (a `null` stands for any type), and the
  values of the paths named in `same` must be equal; extra fields are allowed;
- a **recording** of a real answer (`complete=True`): both sides are walked, so missing and
  extra fields count (a missing field and an extra one holding the same value are one
  renamed field), and beyond types the formats are compared: ids and times by shape only
  (a Clover id, a `clv_` token, seconds or milliseconds), enum-like words and error codes
  by value, amounts in cents by value, booleans by value, and the headers a client acts on
  (`Retry-After`, `idempotent-replayed`, `X-RateLimit-*`).

Both answers are masked (helpers/masking.py) before they are compared, so a recording,
which is stored masked, compares with a live answer shape for shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from helpers.masking import HIDDEN, mask_headers, mask_payload

JSON_TYPES: dict[type, str] = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "number",
    float: "number",
    type(None): "null",
}

MISSING = object()
HEADERS_THAT_MATTER = ("retry-after", "idempotent-replayed")
HEADER_PREFIXES_THAT_MATTER = ("x-ratelimit-",)
FREE_TEXT_KEYS = frozenset({"message"})  # the sandbox's own wording (docs/choices.md#general)


def json_type(value: Any) -> str:
    return JSON_TYPES[type(value)]


def leaves(sample: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Every leaf path of a JSON value: `a.b`, `a.0.c` (lists by index, element 0 only)."""
    if isinstance(sample, dict) and sample:
        found: list[tuple[str, Any]] = []
        for key, value in sample.items():
            found += leaves(value, f"{prefix}.{key}" if prefix else key)
        return found
    if isinstance(sample, list) and sample:
        return leaves(sample[0], f"{prefix}.0" if prefix else "0")
    return [(prefix, sample)]


def lookup(value: Any, path: str) -> Any:
    """The value at a dotted path (`items.0.parent`), or MISSING."""
    for part in path.split(".") if path else []:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value


@dataclass(frozen=True)
class Difference:
    """One thing a client written against Clover's answer would meet otherwise locally.

    `kind` is one of status, missing, extra, renamed, type, enum, format, value, header;
    `choice` is the kit's reason (a docs/choices.md heading) when the difference is on
    purpose, else None."""

    kind: str
    path: str
    clover: str
    local: str
    choice: str | None = None

    def line(self) -> str:
        where = self.path or "(body)"
        return f"{where}: {self.kind}: Clover {self.clover}, local {self.local}"


def _show(value: Any) -> str:
    if value is MISSING:
        return "(absent)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_CLOVER_ID = re.compile(r"[0-9A-Z]{13}")
_WORD = re.compile(r"[A-Za-z][A-Za-z_.\-]{0,39}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]+")


def string_shape(text: str) -> str:
    """What a string is, as a client parsing it would see: an id, a token, a time, a word
    (an enum value), digits, masked, a URL, an email or free text."""
    if not text:
        return "empty"
    if text.startswith("clv_"):
        return "clv_ token"
    if text == HIDDEN or text.startswith("••••"):
        return "masked"
    if text.startswith(("http://", "https://")):
        return "URL"
    if _CLOVER_ID.fullmatch(text):
        return "13-character id"
    if _ISO_TIME.match(text):
        return "ISO time"
    if _ISO_DATE.fullmatch(text):
        return "ISO date"
    if text.isdigit():
        return "digits"
    if _EMAIL.fullmatch(text):
        return "email"
    if _WORD.fullmatch(text):
        return "word"
    return "text"


def number_shape(value: float) -> str:
    """Unix times by their unit (10 digits: seconds, 13: milliseconds), else a number."""
    if isinstance(value, int) and 10**9 <= value < 10**10:
        return "time in seconds"
    if isinstance(value, int) and 10**12 <= value < 10**13:
        return "time in milliseconds"
    return "integer" if isinstance(value, int) or float(value).is_integer() else "decimal"


def _is_amount(path: str) -> bool:
    return "amount" in path.rsplit(".", 1)[-1].lower()


def _in_list(path: str) -> bool:
    return any(part.isdigit() for part in path.split("."))


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


class _Walk:
    """Both answers walked together, collecting differences (a recording's comparison)."""

    def __init__(self) -> None:
        self.found: list[Difference] = []

    def add(self, kind: str, path: str, clover: Any, local: Any) -> None:
        self.found.append(Difference(kind, path, _show(clover), _show(local)))

    def value(self, path: str, clover: Any, local: Any) -> None:
        if json_type(clover) != json_type(local):
            self.add("type", path, clover, local)
        elif isinstance(clover, dict):
            self.objects(path, clover, local)
        elif isinstance(clover, list):
            if clover and local:
                self.value(_join(path, "0"), clover[0], local[0])
        elif isinstance(clover, str):
            self.strings(path, clover, local)
        elif isinstance(clover, bool):
            if clover != local and not _in_list(path):
                self.add("value", path, clover, local)
        elif isinstance(clover, int | float):
            self.numbers(path, clover, local)

    def strings(self, path: str, clover: str, local: str) -> None:
        if path.rsplit(".", 1)[-1] in FREE_TEXT_KEYS:
            return
        shapes = string_shape(clover), string_shape(local)
        if shapes[0] != shapes[1]:
            self.found.append(
                Difference(
                    "format", path, f"{shapes[0]} {_show(clover)}", f"{shapes[1]} {_show(local)}"
                )
            )
        elif shapes[0] == "word" and clover != local:
            self.add("enum", path, clover, local)

    def numbers(self, path: str, clover: float, local: float) -> None:
        shapes = number_shape(clover), number_shape(local)
        if shapes[0] != shapes[1]:
            self.found.append(
                Difference("format", path, f"{shapes[0]} {clover!r}", f"{shapes[1]} {local!r}")
            )
        elif _is_amount(path) and clover != local and not _in_list(path):
            self.add("value", path, clover, local)

    def objects(self, path: str, clover: dict[str, Any], local: dict[str, Any]) -> None:
        missing = [key for key in clover if key not in local]
        extra = [key for key in local if key not in clover]
        for old, new in _renames(clover, local, missing, extra):
            missing.remove(old)
            extra.remove(new)
            self.found.append(Difference("renamed", _join(path, old), old, new))
        for key in missing:
            self.add("missing", _join(path, key), clover[key], MISSING)
        for key in extra:
            self.add("extra", _join(path, key), MISSING, local[key])
        for key in clover:
            if key in local:
                self.value(_join(path, key), clover[key], local[key])


def _renames(
    clover: dict[str, Any], local: dict[str, Any], missing: list[str], extra: list[str]
) -> list[tuple[str, str]]:
    """A field Clover has and the sandbox lacks, beside one the sandbox has and Clover lacks,
    holding the same value (or, if they are the only such pair, the same type): one rename."""
    pairs = []
    free = list(extra)
    for old in missing:
        for new in free:
            if clover[old] == local[new] and clover[old] not in (None, "", [], {}):
                pairs.append((old, new))
                free.remove(new)
                break
    left = [old for old in missing if old not in {p[0] for p in pairs}]
    if len(left) == 1 and len(free) == 1:
        old, new = left[0], free[0]
        if json_type(clover[old]) == json_type(local[new]):
            pairs.append((old, new))
    return pairs


def headers_that_matter(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """The headers a client acts on, lower-cased and masked: what a recording keeps."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    kept = {
        name.lower(): value
        for name, value in pairs
        if name.lower() in HEADERS_THAT_MATTER
        or name.lower().startswith(HEADER_PREFIXES_THAT_MATTER)
    }
    return mask_headers(kept)


def _headers(clover: Mapping[str, str], local: Mapping[str, str]) -> list[Difference]:
    found = []
    for name in sorted(set(clover) | set(local)):
        theirs, ours = clover.get(name, MISSING), local.get(name, MISSING)
        absent = theirs is MISSING or ours is MISSING
        if absent or string_shape(str(theirs)) != string_shape(str(ours)):
            found.append(Difference("header", f"headers.{name}", _show(theirs), _show(ours)))
    return found


def _sample(sample: Any, answer: Any) -> list[Difference]:
    found = []
    for path, expected in leaves(sample):
        actual = lookup(answer, path)
        if actual is MISSING:
            found.append(Difference("missing", path, _show(expected), "(absent)"))
        elif expected is not None and json_type(actual) != json_type(expected):
            found.append(
                Difference(
                    "type",
                    path,
                    f"{json_type(expected)} {_show(expected)}",
                    f"{json_type(actual)} {_show(actual)}",
                )
            )
    return found


def compare_answers(
    clover: Mapping[str, Any],
    local: Mapping[str, Any],
    *,
    same: Iterable[str] = (),
    choices: Mapping[str, str] | None = None,
    complete: bool = False,
) -> list[Difference]:
    """Every difference between Clover's answer and the local one, each `{"status": int,
    "body": JSON, "headers": {...}}`; those under a path of `choices` carry its reason.

    `complete` says Clover's answer is a recorded real answer, not a page's trimmed sample.
    """
    found: list[Difference] = []
    if clover.get("status") != local.get("status"):
        found.append(
            Difference("status", "HTTP status", str(clover["status"]), str(local["status"]))
        )
    theirs, ours = mask_payload(clover.get("body")), mask_payload(local.get("body"))
    if complete:
        walk = _Walk()
        if theirs is not None or ours is not None:
            walk.value("", theirs, ours)
        found += walk.found
        if "headers" in clover:
            found += _headers(clover["headers"], headers_that_matter(local.get("headers", {})))
    else:
        found += _sample(theirs, ours)
    for path in same:
        expected, actual = lookup(theirs, path), lookup(ours, path)
        known = any(d.path == path for d in found)
        if expected is not MISSING and actual != expected and not known:
            found.append(Difference("value", path, _show(expected), _show(actual)))
    return [_explained(d, choices or {}) for d in found]


def _explained(difference: Difference, choices: Mapping[str, str]) -> Difference:
    for path, why in choices.items():
        if difference.path == path or difference.path.startswith(path + "."):
            return Difference(**{**difference.__dict__, "choice": why})
    return difference
