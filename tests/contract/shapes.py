"""Compare an answer's shape with Clover's sample answer from its documentation page.

Clover's samples are trimmed and their values made up, so what is compared is what a client
relies on: every path of the sample is present, with the same JSON type (a `null` in the
sample stands for any type), and the values of the paths a fixture names in `same` are equal.
Extra fields in the sandbox's answer are allowed. A list is compared element 0 to element 0.
"""

from __future__ import annotations

from typing import Any

JSON_TYPES: dict[type, str] = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "number",
    float: "number",
    type(None): "null",
}


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


MISSING = object()


def lookup(value: Any, path: str) -> Any:
    for part in path.split(".") if path else []:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value


def differences(
    sample: Any, answer: Any, same: list[str] = (), exempt: set[str] | None = None
) -> list[str]:
    """What a client written against the sample would trip on in the answer, one line each."""
    exempt = exempt or set()
    found = []
    for path, expected in leaves(sample):
        if any(path == e or path.startswith(e + ".") for e in exempt):
            continue
        actual = lookup(answer, path)
        if actual is MISSING:
            found.append(f"{path}: missing (Clover's sample has {expected!r})")
        elif expected is not None and json_type(actual) != json_type(expected):
            found.append(
                f"{path}: {json_type(actual)} {actual!r}, Clover's sample has "
                f"{json_type(expected)} {expected!r}"
            )
    for path in same:
        if path in exempt:
            continue
        expected, actual = lookup(sample, path), lookup(answer, path)
        if expected is not MISSING and actual != expected:
            found.append(f"{path}: {actual!r}, Clover's sample has {expected!r}")
    return found
