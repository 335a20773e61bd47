"""Clover's own sample requests and answers, page by page, replayed against the sandbox.

Each file in `pages/` is one documentation page: its URL and the exchanges its samples show
(see `pages/README.md` for the format); each file in `recordings/` is Clover's real answers
to one flow of `python -m helpers.sandbox compare`, in the same format, compared field by
field (helpers/sandbox/compare/engine.py, the command's own engine). The sandbox must
answer each request as the page's sample does: same status, every field of the sample
present with the same JSON type, and the values the fixture names in `same` equal. A
difference the kit chose on purpose is listed in the exchange's `choices`, with its heading
in docs/choices.md.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpers.clover.encryption import CardEncryptionKey
from helpers.sandbox.compare.engine import compare_answers
from helpers.sandbox.compare.exchanges import Host, Run
from helpers.sandbox.compare.exchanges import fill as fill_with
from tests.support import choice_anchors, reset

HERE = Path(__file__).parent
PAGES = sorted((HERE / "pages").glob("*.json")) + sorted((HERE / "recordings").glob("*.json"))


def encrypt(published: str, number: str) -> str:
    """`{{encrypted_pan:N.NUMBER}}`: sealed with the key exchange N published, as an
    API-only app does."""
    return CardEncryptionKey.from_published(published).encrypt_pan(number)


fill = partial(fill_with, encrypt=encrypt)


def load(path: Path) -> dict[str, Any]:
    page = json.loads(path.read_text())
    assert page["page"].startswith("https://docs.clover.com/"), f"{path.name}: no Clover URL"
    assert page["exchanges"], f"{path.name}: no exchanges"
    return page


def replay(path: Path, http: httpx.Client) -> None:
    """Every exchange of one page or recording sent to the sandbox, and its answer compared
    with Clover's: a recording (it has `recorded`) field by field, a page's sample as
    trimmed. Fails naming the file, the step and the field."""
    page = load(path)
    merchant = http.get("/_sandbox/merchants").json()[0]
    known = choice_anchors()
    complete = "recorded" in page
    reset(http)
    run = Run(Host("local", lambda _: "", merchant, http), encrypt)
    found: list[str] = []
    for number, exchange in enumerate(page["exchanges"]):
        answer = run.send(exchange)
        sample = exchange.get("clover_answer")
        name = f"{number} {exchange['name']}"
        if sample is None:
            assert 200 <= answer["status"] < 400, f"{path.name}: set-up step {name}: {answer}"
            continue
        choices = exchange.get("choices", {})
        for field, why in choices.items():
            anchor = why.partition("docs/choices.md#")[2].split()[0].rstrip(".,;)")
            assert anchor in known, f"{path.name} {name}: {field}'s choice names no heading"
        differences = compare_answers(
            sample, answer, same=exchange.get("same", []), choices=choices, complete=complete
        )
        found += [f"{name}: {d.line()}" for d in differences if d.choice is None]
    assert not found, f"{path.name} ({page['page']})\n" + "\n".join(found)


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_the_sandbox_answers_as_the_page_shows(path: Path, http: httpx.Client) -> None:
    replay(path, http)
