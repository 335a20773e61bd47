"""No card data or secret in anything the kit commits, journals or stores."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
from pathlib import Path

import pytest

from helpers import CardError, Journal, connect, test_card
from helpers.sandbox import DEMO_MERCHANTS, Sandbox
from tests.secret_scan import findings

ROOT = Path(__file__).resolve().parents[1]
DEMO_SECRETS = [s for m in DEMO_MERCHANTS for s in (m.private_key, m.app_secret)]


def committed(pattern: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", pattern], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / name for name in listed]


def test_the_scanner_finds_what_it_looks_for():
    leaky = (
        '4242 4242 4242 4242 "cvv": "123" Authorization: Bearer abcdef123456 '
        "clv_AbCdEf123456 client_secret=s3cr3tvalue"
    )
    kinds = {f.split(" ending")[0] for f in findings(leaky)}
    assert kinds == {"card number", "CVV", "Bearer token", "clv_ token", "secret value"}
    assert findings("424242******4242 ••••4242 clv_••••AbCd Bearer ••••d6c2 1358") == []
    assert findings("created 1767603601009") == []  # a Unix time in ms, Luhn-valid by chance
    assert findings("key sandbox-private-key-x", ["sandbox-private-key-x"])
    assert findings('"model_id": "780169533665450b80ae8ccfad2c2016"') == []
    assert findings('"number": "4242424242424242"') and findings("card 4242 4242 4242 4242.")


NOTEBOOKS = [p for p in committed("*.ipynb") if ".ipynb_checkpoints" not in p.parts]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOKS])
def test_committed_notebook_outputs_hold_no_card_data_or_secret(path: Path):
    notebook = json.loads(path.read_text())
    metadata = json.dumps(notebook.get("metadata", {}), ensure_ascii=False)
    assert findings(metadata, DEMO_SECRETS) == [], f"{path.name} metadata"
    assert "widgets" not in notebook.get("metadata", {}), "widget state can hold typed cards"
    for index, cell in enumerate(notebook["cells"]):
        outputs = json.dumps(cell.get("outputs", []), ensure_ascii=False)
        assert findings(outputs, DEMO_SECRETS) == [], f"{path.name} cell {index}"


def test_notebooks_are_committed_executed():
    for path in NOTEBOOKS:
        if "exercises" in path.parts:
            continue
        cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
        unrun = [
            i
            for i, c in enumerate(cells)
            if "".join(c["source"]).strip() and c.get("execution_count") is None
        ]
        assert not unrun, f"{path.name}: code cells {unrun} were not executed"


def test_the_journal_and_its_curl_are_masked():
    client = connect("local")
    card = test_card("approve").card()
    token = client.create_token(card)
    client.create_charge(1358, token.id, receipt_email="ada@example.com")
    with contextlib.suppress(CardError):
        client.create_charge(500, client.create_token(test_card("decline").card()).id)
    journal: Journal = client.journal
    rendered = (
        journal.to_frame(bodies=True).to_string()
        + "\n".join(entry.curl() for entry in journal.entries)
        + repr(journal.entries)
    )
    secrets = [client.access_token, token.id]
    assert findings(rendered, secrets) == []
    assert card.number not in rendered
    assert re.search(r"""cvv['"]?: ['"]•••""", rendered), "the CVV is recorded, masked"


def test_the_sandbox_database_keeps_no_card_number_or_cvv(tmp_path: Path):
    db = tmp_path / "sandbox.sqlite3"
    card = test_card("approve").card(cvv="987")
    with Sandbox(seed=3, db=db) as sandbox:
        import httpx

        merchant = httpx.get(f"{sandbox.url}/_sandbox/merchants").json()[0]
        response = httpx.post(
            f"{sandbox.url}/v1/tokens",
            headers={"apikey": merchant["api_access_key"]},
            json={"card": card.to_wire()},
        )
        assert response.status_code == 200
    stored = db.read_bytes().decode("latin-1")
    assert card.number not in stored
    assert '"987"' not in stored and "cvv" not in stored.lower()


def test_dotenv_is_ignored_by_git():
    result = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT)
    assert result.returncode == 0, ".env must be listed in .gitignore"
