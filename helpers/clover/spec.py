"""A :class:`Spec` is one Ecommerce call described as data, before anything is sent.

The resource modules build specs from Python arguments (cents checked, ids taken from
objects, empty options left out); a client only sends them and reads the answer with the
spec's ``read``. Both clients, sync and async, send the very same specs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from .objects import CloverObject

__all__ = [
    "Auth",
    "Recovery",
    "Ref",
    "Spec",
    "cents",
    "drop_none",
    "object_id",
    "optional_cents",
    "optional_id",
    "raw",
]

Auth = Literal["bearer", "apikey", "none"]
"""The credential a call carries: the Bearer token, the public ``apikey``, or none."""

T = TypeVar("T")

Ref = str | Mapping[str, Any] | CloverObject
"""A Clover object named by its id, its JSON, or the object itself."""


def raw(body: dict[str, Any]) -> dict[str, Any]:
    """The answer as it came: a spec that wants no typed object reads with this."""
    return body


@dataclass(frozen=True)
class Recovery:
    """How to tell, after an ambiguous failure, whether the call took effect anyway:
    send ``lookup`` and pass its answer to ``find``, which returns what the call made."""

    lookup: Spec[Any]
    find: Callable[[Any], Any]


@dataclass(frozen=True)
class Spec(Generic[T]):
    """One HTTP call to Clover and how to read its answer into a ``T``."""

    method: str
    url: str
    json_body: Mapping[str, Any] | None = None
    params: Mapping[str, Any] | None = None
    auth: Auth = "bearer"
    idempotency_key: str | None = None
    headers: Mapping[str, str] | None = None
    read: Callable[[dict[str, Any]], T] = raw  # type: ignore[assignment]
    recovery: Recovery | None = None


def object_id(value: Ref) -> str:
    """The id of a Clover object, of its JSON, or the id itself."""
    if isinstance(value, CloverObject | Mapping):
        return str(value["id"])
    return value


def optional_id(value: Ref | None) -> str | None:
    return None if value is None else object_id(value)


def cents(name: str, value: Any, example: str = "1358 for $13.58") -> None:
    """Refuse money that is not an int number of cents (a float, a string, a bool)."""
    if isinstance(value, bool) or not isinstance(value, int):
        like = f" ({example})" if example else ""
        raise TypeError(f"{name} is an int number of cents{like}, not {value!r}")


def optional_cents(name: str, value: Any, example: str = "1358 for $13.58") -> None:
    if value is not None:
        cents(name, value, example)


def drop_none(values: Mapping[str, Any]) -> dict[str, Any]:
    """The options that were given: Clover reads a missing field and a null differently."""
    return {key: value for key, value in values.items() if value is not None}
