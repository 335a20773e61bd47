"""Clover's JSON answers as Python objects: ``charge.source.last4``, ``order.items``.

A :class:`CloverObject` is not a ``dict``, so every field reads as an attribute, even one
named like a dict method (an order's ``items``). ``obj["field"]`` still reads a field,
``to_dict()`` gives the plain wire JSON, and every printed form masks ``clv_`` token ids
and the ``apiAccessKey``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from .journal import mask_payload

__all__ = ["CloverObject", "ListPage", "fields_of"]

T = TypeVar("T", bound="CloverObject")


class CloverObject:
    """A JSON object from Clover whose fields read as attributes or as ``obj["field"]``."""

    __hash__ = None  # type: ignore[assignment]  # equal to its JSON, so not hashable
    __iter__ = None  # not a collection of its fields: a ListPage iterates over its data

    def __init__(self, data: Mapping[str, Any] | CloverObject | None = None, **kwargs: Any):
        source = data.to_dict() if isinstance(data, CloverObject) else dict(data or {})
        fields = {key: _wrap(value) for key, value in {**source, **kwargs}.items()}
        object.__setattr__(self, "_fields", fields)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__} has no field {name!r}; fields: {', '.join(self._fields)}"
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is Clover's answer: it is read only")

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __contains__(self, key: object) -> bool:
        return key in self._fields

    def get(self, key: str, default: Any = None) -> Any:
        """The field ``key``, or ``default`` when Clover did not send it."""
        return self._fields.get(key, default)

    def fields(self) -> list[str]:
        """The names of the fields Clover sent, in its order."""
        return list(self._fields)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CloverObject):
            return self.to_dict() == other.to_dict()
        if isinstance(other, Mapping):
            return self.to_dict() == dict(other)
        return NotImplemented

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | {k for k in self._fields if k.isidentifier()})

    def to_dict(self) -> dict[str, Any]:
        """A plain ``dict`` copy (unmasked) for code that wants exactly the wire JSON."""
        return {key: _unwrap(value) for key, value in self._fields.items()}

    def masked(self) -> Any:
        """The JSON with token ids and keys masked, as it is shown."""
        return mask_payload(self.to_dict())

    def __repr__(self) -> str:
        return f"{type(self).__name__} {json.dumps(self.masked(), indent=2, ensure_ascii=False)}"

    __str__ = __repr__

    def _repr_html_(self) -> str:
        body = html.escape(json.dumps(self.masked(), indent=2, ensure_ascii=False))
        return f"<b>{type(self).__name__}</b><pre>{body}</pre>"


class ListPage(CloverObject):
    """One page of a list: ``data`` holds the objects, ``has_more`` says if more follow.

    Its length and its iteration are those of ``data``.
    """

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        return iter(self.get("data") or [])

    def __len__(self) -> int:
        return len(self.get("data") or [])

    def next_starting_after(self) -> str | None:
        """The cursor of the next page (the last id of this one), None on the last page."""
        data = self.get("data") or []
        if not self.get("has_more") or not data:
            return None
        return str(data[-1]["id"])

    @staticmethod
    def of(item_type: type[T]) -> Callable[[Mapping[str, Any]], ListPage]:
        """A reader of a list answer whose ``data`` holds ``item_type`` objects."""

        def read(body: Mapping[str, Any]) -> ListPage:
            items = [item_type(item) for item in body.get("data") or []]
            return ListPage({**body, "data": items, "has_more": body.get("has_more", False)})

        return read


def fields_of(value: Mapping[str, Any] | CloverObject) -> dict[str, Any]:
    """The plain fields of a dict or a Clover object, for code that accepts either."""
    return value.to_dict() if isinstance(value, CloverObject) else dict(value)


def _wrap(value: Any) -> Any:
    if isinstance(value, CloverObject):
        return value
    if isinstance(value, Mapping):
        return CloverObject(value)
    if isinstance(value, list):
        return [_wrap(item) for item in value]
    return value


def _unwrap(value: Any) -> Any:
    if isinstance(value, CloverObject):
        return value.to_dict()
    if isinstance(value, list):
        return [_unwrap(item) for item in value]
    return value
