"""The client side of the local sandbox's own protocol has one owner,
`helpers/clover/local_sandbox.py` (issue 27): its clock from the answers' header, its
controls, finding a running sandbox."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest

from helpers.clover.local_sandbox import (
    CLOCK_HEADER,
    LocalClock,
    LocalSandbox,
    local_clock,
    running_sandbox,
)

ROOT = Path(__file__).resolve().parents[2]
OWNER = ROOT / "helpers" / "clover" / "local_sandbox.py"
CLIENT_SIDE = ["helpers/clover", "helpers/notebook", "shop", "tools"]


def _strings(tree: ast.AST) -> list[str]:
    """String literals that are not docstrings (f-string pieces included)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_only_local_sandbox_py_writes_a_sandbox_control_path():
    """Merchants, clock, faults, webhooks, approval: the client wing, the notebook aids,
    the shop and the tools reach `/_sandbox/*` through LocalSandbox, never by hand."""
    found = []
    for folder in CLIENT_SIDE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == OWNER:
                continue
            for text in _strings(ast.parse(path.read_text())):
                if "_sandbox/" in text:
                    found.append((str(path.relative_to(ROOT)), text))
    assert found == []


def test_the_clock_is_the_real_one_plus_what_the_last_answer_said():
    clock = LocalClock("http://127.0.0.1:9/")
    assert clock.url == "http://127.0.0.1:9" and abs(clock() - time.time()) < 5
    clock.read({CLOCK_HEADER: "3600000"})
    assert 3595 < clock() - time.time() < 3605
    for unreadable in ({}, {CLOCK_HEADER: "soon"}, {CLOCK_HEADER: "-5"}):
        clock.read(unreadable)  # an answer without a usable header changes nothing
        assert 3595 < clock() - time.time() < 3605


def test_one_clock_per_sandbox_url_in_a_process():
    assert local_clock("http://127.0.0.1:7/") is local_clock("http://127.0.0.1:7")
    assert local_clock("http://127.0.0.1:7") is not local_clock("http://127.0.0.1:8")


def test_controls_exist_for_the_local_sandbox_only():
    from helpers import ENVIRONMENTS

    with pytest.raises(RuntimeError, match="only in the local sandbox"):
        LocalSandbox(ENVIRONMENTS["sandbox"])


def test_a_running_sandbox_is_the_variables_else_the_labs_else_none(tmp_path, monkeypatch):
    monkeypatch.setenv("CLOVER_SANDBOX_HOME", str(tmp_path))  # no lab file there
    monkeypatch.setenv("CLOVER_SANDBOX_URL", "http://127.0.0.1:8765/")
    assert running_sandbox() == ("http://127.0.0.1:8765", "from CLOVER_SANDBOX_URL")
    monkeypatch.setenv("CLOVER_SANDBOX_URL", "")  # set but empty: a sandbox of one's own
    assert running_sandbox() is None
    monkeypatch.delenv("CLOVER_SANDBOX_URL")
    assert running_sandbox() is None
