"""Each client call is declared once, in its resource's module, and both clients take it
from there: no forwarding method repeats a signature (issue 27: base.py and the resource
builders had drifted), no call hides its parameters behind ``**kwargs``, and the
generated cheat sheet matches the declarations."""

from __future__ import annotations

import ast
import importlib.util
import inspect
from pathlib import Path

from helpers import AsyncCloverClient, CloverClient, Environment
from helpers.clover.base import BaseClient
from helpers.clover.operation import Calls, operations
from helpers.clover.resources.charges import Charges

ROOT = Path(__file__).resolve().parents[2]
CLOVER = ROOT / "helpers" / "clover"
CALLS = operations(BaseClient)


def test_every_call_is_declared_by_one_resource_module() -> None:
    assert len(CALLS) >= 40
    for name in CALLS:
        owners = [cls for cls in BaseClient.__mro__ if name in vars(cls)]
        assert len(owners) == 1, (name, owners)
        assert owners[0].__module__.startswith("helpers.clover.resources."), name
        assert getattr(CloverClient, name) is getattr(AsyncCloverClient, name) is CALLS[name]


def test_no_module_of_the_client_defines_a_call_a_second_time() -> None:
    """A ``def create_charge`` in base.py, client.py or a second builder is the drift."""
    defined: dict[str, list[str]] = {}
    for path in sorted(CLOVER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in CALLS:
                defined.setdefault(node.name, []).append(str(path.relative_to(ROOT)))
    twice = {name: where for name, where in defined.items() if len(where) > 1}
    assert twice == {}
    assert set(defined) == set(CALLS)


def test_every_call_names_its_parameters_and_its_clover_endpoint() -> None:
    for name, op in CALLS.items():
        kinds = {p.kind for p in op.signature.parameters.values()}
        assert inspect.Parameter.VAR_KEYWORD not in kinds, f"{name} takes **kwargs"
        assert inspect.Parameter.VAR_POSITIONAL not in kinds, f"{name} takes *args"
        hints = inspect.get_annotations(op.build)
        assert set(op.signature.parameters) <= set(hints), f"{name} has untyped parameters"
        assert op.endpoint.split(" ")[0] in {"GET", "POST", "PUT", "DELETE"}, name


def test_a_client_shows_the_declarations_signature_sync_and_awaited() -> None:
    env = Environment.local("http://127.0.0.1:1")
    with CloverClient(env, "key") as client:
        shown = inspect.signature(client.create_charge)
    assert list(shown.parameters)[:2] == ["amount", "source"]
    assert shown.return_annotation == "Charge"
    assert "threeds" in shown.parameters and "stored_credentials" in shown.parameters
    waited = inspect.signature(AsyncCloverClient(env, "key").create_charge)
    assert waited.return_annotation == "Awaitable[Charge]"


def test_a_declaration_builds_its_request_without_a_client() -> None:
    env = Environment.local("http://127.0.0.1:1")
    spec = Charges.create_charge.spec(Calls(env, customer_ip="203.0.113.9"), 1000, "clv_T")
    assert (spec.method, spec.url) == ("POST", f"{env.ecommerce_url}/v1/charges")
    assert spec.json_body == {"amount": 1000, "currency": "usd", "source": "clv_T", "capture": True}
    assert spec.headers == {"x-forwarded-for": "203.0.113.9"}


def test_the_cheat_sheet_is_up_to_date() -> None:
    """docs/cheatsheet.md is what tools/cheatsheet.py makes of the declarations now."""
    found = importlib.util.spec_from_file_location("cheatsheet", ROOT / "tools" / "cheatsheet.py")
    assert found is not None and found.loader is not None
    tool = importlib.util.module_from_spec(found)
    found.loader.exec_module(tool)
    page = (ROOT / "docs" / "cheatsheet.md").read_text()
    assert page == tool.render(), "run: .venv/bin/python tools/cheatsheet.py"
    for name, op in CALLS.items():
        assert f"`{name}(" in page and f"`{op.endpoint}`" in page, name
