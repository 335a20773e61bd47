"""Loaded at start-up by every Python process of a test run: by pytest itself, first of its
plugins (pyproject's addopts: `-p tests.startup.sitecustomize`), and by every process the
tests start, as Python's `sitecustomize` (conftest.py puts this folder on PYTHONPATH):
JupyterLab and Jupyter servers, JupyterHub and its users' servers, Sphinx, kernels, sandboxes.
It defers one costly import, and changes nothing else.

jsonschema (imported by nbformat, hence by nbval's plugin, and by jupyter_server's events)
imports `rfc3987_syntax` where it is installed (jupyter_events asks for it), a module that
builds a Lark grammar of IRIs as it is imported: about 1.2 s of CPU in each such process
(half of a Jupyter server's start, about twenty processes a run), for the `iri` and
`iri-reference` format checks, which none of them asks for. Here a stand-in takes that
module's place until one of its names is used; then the real one is imported, once, and
does the work.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

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

    def __getattr__(self, name: str) -> object:
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
