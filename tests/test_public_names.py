"""The names notebooks import from `helpers` stay importable.

`helpers/__init__.py` lists each public name once, as an import in its `if TYPE_CHECKING:`
block (what type checkers and editors read); at run time that block becomes the lazy
table and `__all__`. These tests keep it that way and check that every name loads the
object its import line names.
"""

from __future__ import annotations

import ast
import importlib
import json
from collections import Counter
from pathlib import Path

import helpers

ROOT = Path(__file__).resolve().parents[1]
INIT = Path(helpers.__file__)


def _type_checking_imports() -> list[tuple[str, str]]:
    """(name, relative module) of every import in the `if TYPE_CHECKING:` block."""
    tree = ast.parse(INIT.read_text())
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    )
    return [
        (alias.asname or alias.name, "." + (node.module or ""))
        for node in ast.walk(block)
        if isinstance(node, ast.ImportFrom) and node.level == 1
        for alias in node.names
    ]


def test_all_lists_each_name_once_and_every_name_resolves():
    assert len(helpers.__all__) == len(set(helpers.__all__))
    assert sorted(dir(helpers)) == sorted(helpers.__all__)
    for name in helpers.__all__:
        assert hasattr(helpers, name), name


def test_each_public_name_is_listed_once_and_loads_what_its_import_names():
    listed = _type_checking_imports()
    twice = [name for name, count in Counter(name for name, _ in listed).items() if count > 1]
    assert twice == [] and len(listed) > 100
    for name, module in listed:
        found = importlib.import_module(module, "helpers")
        expected = getattr(found, name, None) or importlib.import_module(
            f"{module}.{name}", "helpers"
        )
        assert getattr(helpers, name) is expected, name
    defined = {
        node.name
        for node in ast.parse(INIT.read_text()).body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }
    assert set(helpers.__all__) == {name for name, _ in listed} | defined


def test_no_second_list_of_names_stands_in_the_init():
    """A literal list or table of names beside the imports is the drift this file had."""
    tree = ast.parse(INIT.read_text())
    literals = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.List | ast.Dict | ast.Set | ast.Tuple)
        and sum(isinstance(item, ast.Constant) for item in getattr(node, "elts", [])) > 5
    ]
    assert literals == []


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
