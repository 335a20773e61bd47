"""Schemathesis against a live local sandbox, from the sandbox's own OpenAPI document.

Every operation of `GET /openapi.json` is sent examples, boundary ("coverage") and random
("fuzzing") requests, then stateful sequences that follow the document's links (token ->
charge -> capture -> refund, token -> balance inquiry, customer -> read/update, order ->
read/pay/return, plan -> subscription -> invoices). The checks:
no 5xx, every status, content type and body as the document says; a 405 with `Allow` for
a method a path does not take; no operation that needs credentials answers without them;
what is made can be read back, and what is deleted stays gone. Not checked: that every
request off the schema is refused (the sandbox takes `null` for an optional field as
absent, and ignores a query parameter it does not know, which Clover's pages leave open).
Bounded and repeatable: 10 examples per operation, 20 steps per scenario, Hypothesis's
derandomized mode (about a minute here). Run by hand with more: see the config written below.

What it cannot cover stays with the hand-written fuzzer (test_fuzz.py): bytes that are not
JSON, UTF-8 or a single object, lone surrogates, huge numbers and deep nesting (schemathesis
sends only what the schema's types allow); headers (idempotency-key reuse, Origin); the
/_sandbox controls and the pages' forms; and the tokenizer's refusals of bad cards, since
every card sent here is replaced by a real test card (schemathesis_hooks.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from helpers.sandbox import app
from helpers.sandbox.core.merchants import DEMO_MERCHANTS
from helpers.sandbox.openapi.document import build
from tests.support import SEED, sandbox_process

ROOT = Path(__file__).resolve().parents[2]
MAX_EXAMPLES = 10
MAX_STEPS = 20
MAX_SCENARIOS = 40
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "unsupported_method",  # a 405 with `Allow`, for every method a path does not take
    "ignored_auth",  # an operation that needs credentials refuses a request without them
    "use_after_free",  # a deleted object is gone for every later operation
    "ensure_resource_availability",  # an object just made can be read back
)


def config(merchant_id: str, private_key: str, api_access_key: str) -> str:
    checks = "\n".join(f"{check}.enabled = true" for check in CHECKS)
    return f"""
hooks = "tests.reliability.schemathesis_hooks"
headers = {{ "x-forwarded-for" = "203.0.113.7", "x-clover-merchant-id" = "{merchant_id}" }}
max-redirects = 0
workers = 1

[generation]
deterministic = true
max-examples = {MAX_EXAMPLES}
allow-x00 = false

[checks]
enabled = false
{checks}

[auth.openapi.bearer]
bearer = "{private_key}"

[auth.openapi.apikey]
api_key = "{api_access_key}"

[phases.stateful]
max-steps = {MAX_STEPS}

# only the document's own links: inferred ones (90 more, guessed from parameter names)
# spread the bounded run so thin that it rarely walks a chain to its end
[phases.stateful.inference]
algorithms = []

[phases.stateful.generation]
max-examples = {MAX_SCENARIOS}
"""


def test_schemathesis_finds_no_server_error_and_no_answer_off_the_document(
    tmp_path: Path,
) -> None:
    demo = DEMO_MERCHANTS[0]
    settings = tmp_path / "schemathesis.toml"
    settings.write_text(config(demo.merchant_id, demo.private_key, demo.api_access_key))
    st = Path(sys.executable).with_name("schemathesis")
    python_path = [part for part in os.environ.get("PYTHONPATH", "").split(os.pathsep) if part]
    with sandbox_process("--seed", str(SEED)) as (_, url):
        run = subprocess.run(
            [
                str(st),
                "--config-file",
                str(settings),
                "--no-color",
                "run",
                f"{url}/openapi.json",
                "--report",
                "json",
                "--report-json-path",
                str(tmp_path / "report.json"),
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            # the hooks' package, and tests/startup (conftest.py) as in every process
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *python_path])},
            timeout=540,
        )
        summary = run.stdout[-6000:]
        with httpx.Client(base_url=url, timeout=10) as http:
            auth = {"authorization": f"Bearer {demo.private_key}"}
            charges = http.get("/v1/charges?limit=100", headers=auth).json()["data"]
            refunds = http.get("/v1/refunds?limit=100", headers=auth).json()["data"]
    report = json.loads((tmp_path / "report.json").read_text())
    assert run.returncode == 0, summary
    assert report["test_cases"]["with_failures"] == 0, summary
    assert report["test_cases"]["errored"] == 0, summary
    operations = sum(len(ops) for ops in build(app.routes())["paths"].values())
    assert report["operations"]["tested"] == operations, summary
    assert report["test_cases"]["generated"] >= MAX_EXAMPLES * operations, report["test_cases"]
    assert all(p["status"] == "success" for p in report["phases"].values()), summary
    # the stateful phase went through the links: a charge captured later, and refunds
    assert any(c["captured"] and c["amount_captured"] for c in charges), summary
    assert refunds, summary
    wanted = ("Operations:", "(in ", "Scenarios:", "API Links:", "generated", "passed in")
    print("\n".join(line for line in run.stdout.splitlines() if any(w in line for w in wanted)))
