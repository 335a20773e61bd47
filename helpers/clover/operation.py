"""How a public call of the clients is declared: once, in its resource's module.

Each module of :mod:`helpers.clover.resources` holds a class of calls (``Charges``,
``Refunds``...), grouped by resource as stripe-python groups its services. A call is a
method decorated with :func:`operation` that turns Python arguments into a
:class:`~helpers.clover.spec.Spec`; :class:`~helpers.clover.base.BaseClient` inherits every
resource's class, and the descriptor hands the spec to the client's ``_run``, so
``CloverClient().create_charge(...)`` returns a ``Charge`` and the async client's an
awaitable of one. There is no second list of the calls: the signature, the docstring and
the types a learner's editor shows are the declaration's.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

from .spec import Spec

if TYPE_CHECKING:
    from .base import BaseClient
    from .environments import Environment

__all__ = ["Async", "Calls", "Operation", "Sync", "operation", "operations"]

T = TypeVar("T")
P = ParamSpec("P")

ENDPOINT = re.compile(r"``((?:GET|POST|PUT|DELETE) /[^`]*)``")


class Sync:
    """Marks a client whose calls return their result."""


class Async:
    """Marks a client whose calls return an awaitable of their result."""


class Calls:
    """What a resource's declarations read of the client that runs them; on its own, what
    builds a call's spec without a client (``Charges.get_charge.spec(Calls(env), "ID")``)."""

    def __init__(
        self,
        environment: Environment,
        *,
        merchant_id: str | None = None,
        customer_ip: str = "127.0.0.1",
        api_access_key: str | None = None,
    ) -> None:
        self.environment = environment
        self.merchant_id = merchant_id
        self.customer_ip = customer_ip
        self._api_access_key = api_access_key


class Operation(Generic[P, T]):
    """A public call declared once: a function from arguments to a spec, bound to a client
    as a method that runs that spec (and returns what the client's ``_run`` returns)."""

    def __init__(self, build: Callable[Concatenate[Any, P], Spec[T]]) -> None:
        self.build = build
        functools.update_wrapper(cast(Any, self), build)
        shown = inspect.signature(build)
        # what help() and Jupyter's ``?`` show for the bound call: no ``self``, the result
        result = str(shown.return_annotation).removeprefix("Spec[").removesuffix("]")
        parameters = list(shown.parameters.values())[1:]
        self.signature = shown.replace(parameters=parameters, return_annotation=result)
        self._signatures = {
            False: self.signature,
            True: self.signature.replace(return_annotation=f"Awaitable[{result}]"),
        }

    @property
    def endpoint(self) -> str:
        """The Clover endpoint the docstring names first (``POST /v1/charges``)."""
        found = ENDPOINT.search(self.build.__doc__ or "")
        return found.group(1) if found else ""

    @property
    def summary(self) -> str:
        """The docstring's first sentence, on one line."""
        text = " ".join((self.build.__doc__ or "").split())
        return text.split(". ")[0].rstrip(".") + "."

    def spec(self, client: Calls, /, *args: P.args, **kwargs: P.kwargs) -> Spec[T]:
        """The request this call would send for ``client``, sent by nothing."""
        return self.build(client, *args, **kwargs)

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Operation[P, T]: ...
    @overload
    def __get__(self, client: BaseClient[Sync], owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(self, client: BaseClient[Async], owner: type[Any]) -> Callable[P, Awaitable[T]]: ...
    def __get__(self, client: Any, owner: type[Any]) -> Any:
        if client is None:
            return self
        build = self.build

        @functools.wraps(build)
        def call(*args: P.args, **kwargs: P.kwargs) -> Any:
            return client._run(build(client, *args, **kwargs))

        awaited = inspect.iscoroutinefunction(client._run)
        call.__signature__ = self._signatures[awaited]  # type: ignore[attr-defined]
        return call


def operation(build: Callable[Concatenate[Any, P], Spec[T]]) -> Operation[P, T]:
    """Declare a public call of both clients by the spec it sends."""
    return Operation(build)


def operations(owner: type) -> dict[str, Operation[Any, Any]]:
    """Every public call ``owner`` has, by name, in the order they were declared."""
    found: dict[str, Operation[Any, Any]] = {}
    for cls in reversed(owner.__mro__):
        for name, value in vars(cls).items():
            if isinstance(value, Operation) and not name.startswith("_"):
                found[name] = value
    return found
