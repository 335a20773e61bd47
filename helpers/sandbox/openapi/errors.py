"""Which errors a route can answer, read from its code: the handler's call graph.

Every error the sandbox answers is built by a named function of core/errors.py (or is
`ApiError`/`Unauthorized` itself). So the errors a route can answer are the builders its
handler reaches: this module parses the handler's source, follows every call it can resolve
to a function of `helpers.sandbox` (through module attributes such as `model.create` and
`fields.string`), and, where a call reaches a builder, builds that error with the constants
the call site passes (`code="invalid_tip_amount"`, carried through `fields.integer`'s own
`code` parameter) and placeholders for the rest. The status, type and code come from the
real builder, so the list stays true when a handler or a builder changes, and a new error
needs no documentation step. What the walk cannot see: calls through objects it cannot
resolve statically (`call.store.put`), which by design raise no Clover error, and faults
injected with the local `/_sandbox/faults` control, which may answer any status.

A code read from a parameter's attribute (`decline.code`, where `decline: Decline`) is
each value that attribute has on the instances of that class its module defines (as
constants, or in a dict of them): the declines' codes are found the same way.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import sys
import textwrap
import types
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any, NamedTuple

from starlette.responses import RedirectResponse

from helpers.sandbox.core import errors as builders
from helpers.sandbox.core import http
from helpers.sandbox.core.errors import ApiError
from helpers.sandbox.local.rate_limits import RateLimits
from helpers.sandbox.pages.render import render

PAGE = "page"  # the `type` of an answer that is an HTML page (or a redirect), not an error

PACKAGE = "helpers.sandbox."
PLACEHOLDERS: dict[str, Any] = {"str": "x", "int": 1, "float": 1.0, "bool": False}


class Choices(frozenset[Any]):
    """The values an argument may take, when the walk knows it is one of several."""


class Answer(NamedTuple):
    """One error a route can answer: its HTTP status, `error.type` and `error.code`; or,
    with the type `PAGE`, a status a page answers with HTML (or a redirect)."""

    status: int
    type: str
    code: str | None


def _resolve(node: ast.expr, scope: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return scope.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, scope)
        if isinstance(base, types.ModuleType | type):
            return getattr(base, node.attr, None)
    return None


def _instances(cls: type) -> list[Any]:
    """The instances of `cls` its module defines: constants, and the values of dicts (none
    for a Protocol, such as core/state.py's `Sandbox`, which `isinstance` refuses)."""
    found: list[Any] = []
    for value in vars(sys.modules[cls.__module__]).values():
        items = value.values() if isinstance(value, dict) else [value]
        try:
            found += [item for item in items if isinstance(item, cls)]
        except TypeError:
            return []
    return found


def _constant(node: ast.expr, scope: Mapping[str, Any], env: Mapping[str, Any]) -> Any:
    """The value `node` certainly has, or `...` when it is not known statically (or the
    `Choices` it is one of)."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        cls = env.get(f"{node.value.id}:")  # a parameter's class, from its annotation
        values = {getattr(i, node.attr, None) for i in _instances(cls)} if cls else set()
        if values and all(isinstance(v, str | int) for v in values):
            return Choices(values)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in env:
            return env[node.id]
        value = scope.get(node.id, ...)
        return value if isinstance(value, str | int) else ...
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):  # `too_large or code`
        for operand in node.values:
            value = _constant(operand, scope, env)
            if value is ... or value:
                return value
    return ...


def _bound(
    target: Callable[..., Any], call: ast.Call, scope: Mapping[str, Any], env: Mapping[str, Any]
) -> dict[str, Any]:
    """The call's arguments known statically, by parameter name."""
    parameters = _parameters(target)
    if parameters is None:
        return {}
    names = [parameter.name for parameter in parameters]
    known: dict[str, Any] = {}
    for name, arg in zip(names, call.args, strict=False):
        known[name] = _constant(arg, scope, env)
    for keyword in call.keywords:
        if keyword.arg is not None:
            known[keyword.arg] = _constant(keyword.value, scope, env)
    return {name: value for name, value in known.items() if value is not ...}


def _build_each(builder: Callable[..., ApiError], known: Mapping[str, Any]) -> list[ApiError]:
    """The errors `builder` makes, one per combination of the arguments' `Choices`."""
    names = [name for name, value in known.items() if isinstance(value, Choices)]
    built = []
    for values in itertools.product(*(sorted(known[n], key=str) for n in names)):
        error = _build(builder, {**known, **dict(zip(names, values, strict=True))})
        if error is not None:
            built.append(error)
    return built


def _build(builder: Callable[..., ApiError], known: Mapping[str, Any]) -> ApiError | None:
    """The error `builder` makes with the known arguments and placeholders for the rest."""
    arguments: dict[str, Any] = {}
    for name, parameter in inspect.signature(builder).parameters.items():
        if parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
            continue
        if name in known:
            arguments[name] = known[name]
        elif parameter.default is inspect.Parameter.empty:
            annotation = str(parameter.annotation)
            arguments[name] = (
                [] if annotation.startswith("list") else PLACEHOLDERS.get(annotation, "x")
            )
    try:
        error = builder(**arguments)
    except Exception:  # a builder that needs a real value: listed by the test, not here
        return None
    return error if isinstance(error, ApiError) else None


def _page_status(target: Any, known: Mapping[str, Any]) -> int | None:
    """The status of a page `render()`ed or a redirect made here, where it is certain."""
    if target is render or target is http.json_response:
        status = known.get("status", 200)
    elif isinstance(target, type) and issubclass(target, RedirectResponse):
        status = known.get("status_code", 307)
    else:
        return None
    return status if isinstance(status, int) and status >= 300 else None


def _is_builder(target: Any) -> bool:
    if isinstance(target, type):
        return issubclass(target, ApiError)
    return inspect.isfunction(target) and target.__module__ == builders.__name__


def _ours(target: Any) -> bool:
    return inspect.isfunction(target) and target.__module__.startswith(PACKAGE)


_walking: set[Callable[..., Any]] = set()


@cache
def _answers(function: Callable[..., Any], env: frozenset[tuple[str, Any]]) -> frozenset[Answer]:
    if function in _walking:  # recursion (check_wire): its errors are found on the way in
        return frozenset()
    _walking.add(function)
    try:
        return _walk(function, env)
    finally:
        _walking.discard(function)


@cache
def _calls(function: Callable[..., Any]) -> tuple[list[ast.Call], dict[str, Any]]:
    """The calls in `function`'s source and the names they see: read once per function,
    though it is walked once per set of constants it is called with."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return [], {}
    scope = {**vars(inspect.getmodule(function) or types.ModuleType("x")), **_closure(function)}
    calls = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]
    return calls, scope


@cache
def _parameters(function: Callable[..., Any]) -> tuple[inspect.Parameter, ...] | None:
    try:
        return tuple(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return None


def _walk(function: Callable[..., Any], env: frozenset[tuple[str, Any]]) -> frozenset[Answer]:
    calls, scope = _calls(function)
    local = {**dict(env), **_classes(function)}
    found: set[Answer] = set()
    for node in calls:
        target = inspect.unwrap(_resolve(node.func, scope) or (lambda: None))
        known = _bound(target, node, scope, local)
        page = _page_status(target, known)
        if page is not None:
            found.add(Answer(page, PAGE, None))
        elif _is_builder(target):
            for error in _build_each(target, known):
                found.add(Answer(error.status, error.type, error.code))
        elif _ours(target):
            found |= _answers(target, _env(target, known))
    return frozenset(found)


@cache
def _classes(function: Callable[..., Any]) -> dict[str, type]:
    """The parameters annotated with one of the package's classes, as `name:` keys."""
    try:
        annotations = inspect.get_annotations(function, eval_str=True)
    except Exception:  # an annotation that does not evaluate here: no classes known
        return {}
    return {
        f"{name}:": cls
        for name, cls in annotations.items()
        if isinstance(cls, type) and cls.__module__.startswith(PACKAGE)
    }


def _closure(function: Callable[..., Any]) -> dict[str, Any]:
    closure = inspect.getclosurevars(function)
    return {**closure.globals, **closure.nonlocals}


def _env(function: Callable[..., Any], known: Mapping[str, Any]) -> frozenset[tuple[str, Any]]:
    """What the callee's parameters certainly are: the call's constants, else defaults."""
    values: dict[str, Any] = {}
    for parameter in _parameters(function) or ():
        name, default = parameter.name, parameter.default
        if isinstance(default, str | int):  # `Parameter.empty` is a class: never one
            values[name] = default
    values.update(known)
    return frozenset((k, v) for k, v in values.items() if isinstance(v, str | int))


def reached(functions: Iterable[Callable[..., Any]]) -> set[Answer]:
    """Every error the functions can answer, through whatever they call."""
    found: set[Answer] = set()
    for function in functions:
        found |= _answers(inspect.unwrap(function), frozenset())
    return found


def wrapper_answers(api: bool) -> set[Answer]:
    """What `endpoint()` itself answers around a handler: for Clover's API, authentication,
    idempotency, the rate limits and the body's checks; for the rest, the body's checks."""
    if api:
        return reached([http._api_call, RateLimits.hold])
    return reached([http.check_query, http.read_json, http._with_body_read, http._committed])
