"""Field checks for request bodies: each failure names the field and the fix."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any
from urllib.parse import SplitResult, urlsplit

from helpers.sandbox.core.errors import email_invalid, invalid_request, missing, not_on_the_wire
from helpers.sandbox.core.probe import Probe

# Each check below first asks whether it was handed a `Probe` (core/probe.py): then it
# records what it checks, for the OpenAPI document, instead of checking.

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _name(prefix: str, field: str) -> str:
    return f"{prefix}.{field}" if prefix else field


def type_name(value: Any) -> str:
    """The JSON type of `value` with its article, for messages: "an integer", "null"."""
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
        type(None): "null",
    }.get(type(value), f"a {type(value).__name__}")


def ascii_digits(value: str) -> bool:
    """Only 0-9: `str.isdigit()` also takes "²" (which `int()` refuses) and full-width
    digits (which Luhn misreads)."""
    return value.isascii() and value.isdigit()


# No field of Clover's holds a whole number of more than 64 digits (amounts, times and
# counts fit in 19). Past that a number is refused where it is parsed, with one message,
# instead of reaching code that would fail on it; below it, each field's own limit
# answers (`amount_too_large`, say).
MAX_DIGITS = 64
WHOLE_NUMBER_LIMIT = 10**MAX_DIGITS - 1


def printable(text: str) -> str:
    """`text` safe to put in a message: a lone surrogate shows as `\\ud800`, never raw."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _wire_problem(value: Any) -> str | None:
    if isinstance(value, str) and _lone_surrogate(value):
        return (
            "holds a lone UTF-16 surrogate (half of an emoji, as slicing a string can "
            "leave), which UTF-8 cannot carry: send whole characters"
        )
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number: JSON has no Infinity or NaN"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > WHOLE_NUMBER_LIMIT:
        return f"must be a whole number of at most {MAX_DIGITS} digits"
    return None


def _on_the_wire(value: Any) -> bool:
    """Whether every string, key and number in `value` can go back on the wire: the quick
    pass every body takes, naming nothing (issue 27: no field path is built unless one is
    refused)."""
    kind = type(value)
    if kind is str:
        return value.isascii() or not _lone_surrogate(value)
    if kind is dict:
        for key, item in value.items():  # noqa: SIM110 (a loop: no generator per object)
            if not (_on_the_wire(key) and _on_the_wire(item)):
                return False
        return True
    if kind is list:
        for item in value:  # noqa: SIM110 (a loop: no generator per list)
            if not _on_the_wire(item):
                return False
        return True
    return _wire_problem(value) is None


def check_wire(value: Any, name: str = "") -> None:
    """Refuse, naming the field, any string, key or number in `value` that the wire cannot
    carry back: checked once where a body, form or query is parsed, so no handler stores
    what its answer could not render."""
    if _on_the_wire(value):
        return
    problem = _wire_problem(value)
    if problem:
        raise not_on_the_wire(printable(name) or "The request body", problem)
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{name}.{key}" if name else str(key)
            key_problem = _wire_problem(key)
            if key_problem:
                raise not_on_the_wire(printable(where), key_problem, in_name=True)
            check_wire(item, where)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_wire(item, f"{name}[{i}]")


def _amount(n: int, unit: str) -> str:
    return f"{n} {unit[:-1] if n == 1 and unit.endswith('s') else unit}"


def reject_unknown(body: Mapping[str, Any], allowed: Iterable[str], prefix: str = "") -> None:
    allowed = tuple(allowed)
    if isinstance(body, Probe):
        return body.allow(allowed)
    for field in body:
        if field not in allowed:
            raise invalid_request(
                f"Unknown parameter: {_name(prefix, field)}. Allowed here: {', '.join(allowed)}.",
                param=_name(prefix, field),
            )


def integer(
    body: Mapping[str, Any],
    field: str,
    *,
    code: str = "invalid_request",
    minimum: int = 0,
    maximum: int | None = None,
    required: bool = False,
    prefix: str = "",
    too_large_code: str | None = None,
    unit: str = "cents",
) -> int | None:
    """A whole number; `True`, `10.5` and `"10"` are refused, as a typed API must."""
    if isinstance(body, Probe):
        limits = {"minimum": minimum} | ({} if maximum is None else {"maximum": maximum})
        return body.field(field, {"type": "integer", **limits}, required, max(minimum, 1))
    name = _name(prefix, field)
    if body.get(field) is None:
        if required:
            raise missing(name, f"Send it as a whole number of {unit}.")
        return None
    value = body[field]
    if type(value) is not int:
        raise invalid_request(
            f"{name} must be a whole number of {unit}, not {type_name(value)} ({value!r}).",
            param=name,
            code=code,
        )
    if value < minimum:
        raise invalid_request(
            f"{name} must be at least {_amount(minimum, unit)}; got {value}.", param=name, code=code
        )
    if maximum is not None and value > maximum:
        raise invalid_request(
            f"{name} must be at most {_amount(maximum, unit)}; got {value}.",
            param=name,
            code=too_large_code or code,
        )
    return value


def string(
    body: Mapping[str, Any],
    field: str,
    *,
    max_length: int | None = None,
    required: bool = False,
    prefix: str = "",
    pattern: re.Pattern[str] | None = None,
    pattern_hint: str = "",
    choices: Collection[str] | None = None,
    code: str = "invalid_request",
) -> str | None:
    if isinstance(body, Probe):
        return body.field(field, _string_schema(max_length, pattern, choices), required, "x")
    value = body.get(field)
    if value is None:
        if required:
            raise missing(_name(prefix, field))
        return None
    if (
        type(value) is str
        and (max_length is None or len(value) <= max_length)
        and (choices is None or value in choices)
        and (pattern is None or pattern.fullmatch(value))
    ):
        return value  # the usual case names nothing (issue 27: server CPU per flow)
    name = _name(prefix, field)
    if not isinstance(value, str):
        raise invalid_request(
            f"{name} must be a string, not {type_name(value)}.", param=name, code=code
        )
    if max_length is not None and len(value) > max_length:
        raise invalid_request(
            f"{name} is {len(value)} characters long; the limit is {max_length}.",
            param=name,
            code=code,
        )
    if choices is not None and value not in choices:
        raise invalid_request(
            f"{name} must be one of {', '.join(choices)}; got {value!r}.", param=name, code=code
        )
    if pattern is not None and not pattern.fullmatch(value):
        raise invalid_request(f"{name} {pattern_hint}; got {value!r}.", param=name, code=code)
    return value


def _string_schema(
    max_length: int | None, pattern: re.Pattern[str] | None, choices: Collection[str] | None
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if max_length is not None:
        schema["maxLength"] = max_length
    if choices is not None:
        schema["enum"] = list(choices)
    if pattern is not None:  # checked with fullmatch; JSON Schema's patterns search
        schema["pattern"] = f"^(?:{pattern.pattern})$"
    return schema


def boolean(body: Mapping[str, Any], field: str, default: bool, prefix: str = "") -> bool:
    if isinstance(body, Probe):
        return bool(body.field(field, {"type": "boolean", "default": default}, False, default))
    value = body.get(field)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise invalid_request(
            f"{_name(prefix, field)} must be true or false, not {type_name(value)}.",
            param=_name(prefix, field),
        )
    return value


def mapping(
    body: Mapping[str, Any], field: str, prefix: str = "", required: bool = False
) -> dict[str, Any] | None:
    if isinstance(body, Probe):
        return body.child(field, required)
    name = _name(prefix, field)
    value = body.get(field)
    if value is None:
        if required:
            raise missing(name)
        return None
    if not isinstance(value, dict):
        raise invalid_request(f"{name} must be a JSON object, not {type_name(value)}.", param=name)
    return value


def email(
    body: Mapping[str, Any], field: str, prefix: str = "", required: bool = False
) -> str | None:
    if isinstance(body, Probe):
        schema = {"type": "string", "format": "email", "maxLength": 254}
        return body.field(field, schema, required, "learner@example.com")
    value = string(body, field, max_length=254, prefix=prefix, required=required)
    if value is not None and not EMAIL.fullmatch(value):
        raise email_invalid(_name(prefix, field), value)
    return value


def metadata(body: Mapping[str, Any], field: str = "metadata") -> dict[str, Any] | None:
    if isinstance(body, Probe):
        item = {"type": ["string", "number", "boolean"], "maxLength": 500}
        schema: dict[str, Any] = {
            "type": "object",
            "maxProperties": 50,
            "propertyNames": {"maxLength": 40},
            "additionalProperties": item,
        }
        recorded: dict[str, Any] | None = body.field(field, schema, False, None)
        return recorded
    value = mapping(body, field)
    if value is None:
        return None
    if len(value) > 50:
        raise invalid_request(f"{field} has {len(value)} keys; the limit is 50.", param=field)
    for key, item in value.items():
        if len(key) > 40:
            raise invalid_request(
                f"{field} keys are limited to 40 characters: {key[:40]!r}…",
                param=f"{field}.{key[:40]}",
            )
        too_long = isinstance(item, str) and len(item) > 500
        if too_long or not isinstance(item, str | int | float | bool):
            raise invalid_request(
                f"{field}.{key} must be a string of at most 500 characters or a number.",
                param=f"{field}.{key}",
            )
    return value


def web_url(url: str, param: str) -> SplitResult:
    """`url` split into its parts, when it is an absolute http:// or https:// URL with a
    host; otherwise a 400 naming `param`. `urlsplit` raises on some garbled URLs (an
    unclosed IPv6 bracket, `http://[::1/`; a port past 65535): those are the sender's
    mistake too, never a 500."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading it checks it)
    except ValueError as problem:
        raise invalid_request(
            f"{param} is not a valid URL ({problem}); got {url[:80]!r}.", param=param
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise invalid_request(
            f"{param} must be an http:// or https:// URL; got {url[:80]!r}.", param=param
        )
    return parts
