"""The names notebooks import from `helpers` stay importable.

`helpers/__init__.py` lists them three times: `__all__`, the lazy table that loads each on
first use, and the type checker's imports. A name added to one list and not the others
works in one place and fails in another; these tests keep the three the same.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import helpers

ROOT = Path(__file__).resolve().parents[1]
INIT = Path(helpers.__file__)


def _type_checking_imports() -> dict[str, str]:
    """name -> relative module, from the `if TYPE_CHECKING:` block."""
    tree = ast.parse(INIT.read_text())
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    )
    names: dict[str, str] = {}
    for node in ast.walk(block):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            for alias in node.names:
                names[alias.asname or alias.name] = "." + (node.module or "")
    return names


def test_all_lists_each_name_once_and_every_name_resolves():
    assert len(helpers.__all__) == len(set(helpers.__all__))
    assert sorted(dir(helpers)) == sorted(helpers.__all__)
    for name in helpers.__all__:
        assert hasattr(helpers, name), name


def test_the_lazy_table_and_the_type_checkers_imports_name_the_same_modules():
    lazy = dict(helpers._LAZY)
    seen = _type_checking_imports()
    seen.pop("errors", None)  # a submodule, not a name: `helpers.errors`
    assert seen == lazy
    eager = set(helpers.__all__) - set(lazy) - set(helpers._SUBMODULES)
    defined = {
        node.name
        for node in ast.parse(INIT.read_text()).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }
    assert eager <= defined, sorted(eager - defined)
    assert set(lazy) <= set(helpers.__all__), sorted(set(lazy) - set(helpers.__all__))


def _imported_from_helpers(source: str) -> set[str]:
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    tree = compile("\n".join(lines), "<cell>", "exec", flags=flags)
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "helpers" and node.level == 0
        for alias in node.names
    }


def test_every_name_a_notebook_imports_from_helpers_is_public():
    imported: set[str] = set()
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                imported |= _imported_from_helpers("".join(cell["source"]))
    assert len(imported) > 20, "the notebooks' imports were not found"
    assert imported <= set(helpers.__all__), sorted(imported - set(helpers.__all__))
