"""Loaded first by every pytest process of the suite (pyproject's addopts name it with `-p`,
before the plugins installed in the environment): it defers one costly import they all made.

nbval's plugin imports nbformat, nbformat imports jsonschema, and jsonschema imports
`rfc3987_syntax` where it is installed (jupyter_events asks for it), a module that builds
a Lark grammar of IRIs as it is imported: about 1.2 s of CPU in the controller, in every
xdist worker and in each pytest a test starts, for the `iri` and `iri-reference` format
checks, which nothing in these processes asks for. Here that module stands in until one
of its names is used; then the real one is imported, once, and does the work.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

NAME = "rfc3987_syntax"


def _real() -> types.ModuleType:
    """The real module, imported in place of the stand-in at first use."""
    found = sys.modules.get(NAME)
    if isinstance(found, _StandIn):
        del sys.modules[NAME]
    return importlib.import_module(NAME)


def is_valid_syntax(term: str, value: str) -> bool:
    """The one name jsonschema imports (`from rfc3987_syntax import is_valid_syntax`)."""
    return bool(_real().is_valid_syntax(term, value))


class _StandIn(types.ModuleType):
    """`rfc3987_syntax` until first use: `is_valid_syntax`, and any other name, import it."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asks for `__path__` and the like
            raise AttributeError(name)
        return getattr(_real(), name)


def defer() -> None:
    if NAME in sys.modules or importlib.util.find_spec(NAME) is None:
        return
    stand_in = _StandIn(NAME, __doc__)
    stand_in.is_valid_syntax = is_valid_syntax  # type: ignore[attr-defined]
    sys.modules[NAME] = stand_in


defer()
