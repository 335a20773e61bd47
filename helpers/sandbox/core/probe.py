"""A request body that describes its checks instead of passing them: the OpenAPI source.

`fields.*` (core/fields.py) recognise a `Probe` and, instead of validating, record what they
would have checked (type, required, limits, enum, pattern) and hand back a plausible value so
that the request parser goes on to its next field. Running a route's real parser on a probe
therefore yields the JSON Schema of its body, from the very calls that validate it
(helpers/sandbox/openapi/ explains why this, not a second declaration beside them).

A probe is a `dict` so that parsers' `isinstance(..., dict)` checks pass, but it is always
empty: what it "contains" is its `example`, answered through `get()`. The example, given with
the route's documentation, keeps checks that follow a field's own (a supported currency, a
cart's total) satisfied, and is what the API explorer shows filled in.

A parser that branches on a value it reads (3-D Secure's `threeds.source`: CLOVER wants
`browser_info`, NON_CLOVER an `authentication_result`) follows one branch per run. So a
route may give `variants` (openapi/operation.py), more bodies that pass the parser down its
other branches: the probe runs once per body and `merge` unites what the runs recorded. A
nested object the example leaves out is walked with the first variant's (`fallbacks`), so
that its direct reads find values that pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Schema = dict[str, Any]


class Probe(dict[str, Any]):
    def __init__(
        self, example: Mapping[str, Any] | None = None, fallbacks: Iterable[Any] = ()
    ) -> None:
        super().__init__()
        self.example = dict(example or {})
        self.fallbacks = [f for f in fallbacks if isinstance(f, Mapping)]
        self.properties: dict[str, Schema | Probe | ProbeList] = {}
        self.required: list[str] = []
        self.allowed: tuple[str, ...] | None = None

    # -- what fields.* call -----------------------------------------------------------

    def field(self, name: str, schema: Schema, required: bool, sample: Any) -> Any:
        """Record `name`'s schema; answer the example's value, else `sample` when the field
        is required (a parser goes on), else None (as for a field left out)."""
        self.properties[name] = schema
        if required and name not in self.required:
            self.required.append(name)
        value = self.example.get(name)
        if value is None:
            return sample if required else None
        return value

    def child(self, name: str, required: bool) -> Probe:
        """The probe of a nested object (`fields.mapping`)."""
        others = [f.get(name) for f in self.fallbacks]
        nested = self.example.get(name)
        if not isinstance(nested, Mapping):
            nested = next((o for o in others if isinstance(o, Mapping)), None)
        probe = Probe(nested, others)
        self.properties[name] = probe
        if required and name not in self.required:
            self.required.append(name)
        return probe

    def allow(self, names: Iterable[str]) -> None:
        """`fields.reject_unknown`: these names and no others."""
        self.allowed = tuple(names)

    # -- what a parser reads directly ---------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        value = self.example.get(key, default)
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            items = ProbeList(Probe(item) for item in value)
            self.properties.setdefault(key, items)
            return items
        if key not in self.properties and value is not None:
            self.properties[key] = {}
        return value

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self.example

    def __bool__(self) -> bool:
        return True

    # -- the result -----------------------------------------------------------------------

    def schema(self) -> Schema:
        names = list(self.allowed or ()) + [
            n for n in self.properties if n not in (self.allowed or ())
        ]
        properties = {name: _schema(self.properties.get(name, {})) for name in names}
        schema: Schema = {"type": "object", "properties": properties}
        if self.required:
            schema["required"] = list(self.required)
        if self.allowed is not None:
            schema["additionalProperties"] = False
        return schema


class ProbeList(list[Probe]):
    """A list of objects read directly by a parser (a cart's line items): each a probe."""

    def schema(self) -> Schema:
        return {"type": "array", "items": self[0].schema()}


def _schema(value: Schema | Probe | ProbeList) -> Schema:
    return value.schema() if isinstance(value, Probe | ProbeList) else value


def merge(a: Schema, b: Schema) -> Schema:
    """One schema for two runs of a parser: every property either recorded, required only
    where both required it, closed only where both were."""
    if a == b:
        return a
    if a.get("type") == b.get("type") == "object" and "properties" in a and "properties" in b:
        properties = dict(a["properties"])
        for name, schema in b["properties"].items():
            properties[name] = merge(properties[name], schema) if name in properties else schema
        merged: Schema = {"type": "object", "properties": properties}
        required = [n for n in a.get("required", ()) if n in b.get("required", ())]
        if required:
            merged["required"] = required
        if a.get("additionalProperties") is False and b.get("additionalProperties") is False:
            merged["additionalProperties"] = False
        return merged
    if not a or not b:  # a name one run only allowed, or read without a check: the other's
        return a or b
    return {"anyOf": [a, b]}
