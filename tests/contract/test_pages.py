"""Clover's own sample requests and answers, page by page, replayed against the sandbox.

Each file in `pages/` is one documentation page: its URL and the exchanges its samples show
(see `pages/README.md` for the format). The sandbox must answer each request as the page's
sample does: same status, every field of the sample present with the same JSON type, and the
values the fixture names in `same` equal. A difference the kit chose on purpose is listed in
the exchange's `choices`, with its heading in docs/choices.md.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from helpers.clover.encryption import CardEncryptionKey
from tests.contract.shapes import MISSING, differences, lookup
from tests.support import choice_anchors, reset

PAGES = sorted((Path(__file__).parent / "pages").glob("*.json"))
PLACEHOLDER = re.compile(r"\{\{(answer|card|encrypted_pan|location|merchant):([^}]+)\}\}")


def fill(
    value: Any,
    answers: list[Any],
    locations: list[str | None] = (),
    merchant: dict[str, str] | None = None,
) -> Any:
    """Put earlier answers' values (and card numbers, encrypted or not, redirects' query
    values and the demo merchant's keys from /_sandbox/merchants) into a request."""
    if isinstance(value, dict):
        return {key: fill(item, answers, locations, merchant) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, answers, locations, merchant) for item in value]
    if not isinstance(value, str):
        return value

    def one(kind: str, reference: str) -> Any:
        if kind == "answer":
            return resolve(reference, answers)
        if kind == "location":
            return from_location(reference, locations)
        if kind == "merchant":
            return (merchant or {})[reference]
        if kind == "encrypted_pan":
            return encrypted_pan(reference, answers)
        return reference

    whole = PLACEHOLDER.fullmatch(value)
    if whole:
        return one(whole.group(1), whole.group(2))
    return PLACEHOLDER.sub(lambda m: str(one(m.group(1), m.group(2))), value)


def resolve(reference: str, answers: list[Any]) -> Any:
    index, _, path = reference.partition(".")
    value = lookup(answers[int(index)], path)
    assert value is not MISSING, f"exchange {index}'s answer has no {path!r}: {answers[int(index)]}"
    return value


def encrypted_pan(reference: str, answers: list[Any]) -> str:
    """`N.NUMBER`: the card number encrypted with the `TA_PUBLIC_KEY_DEV` that exchange N
    (a GET of /assets/keys.json) answered, as an API-only app does."""
    index, _, number = reference.partition(".")
    published = answers[int(index)]["TA_PUBLIC_KEY_DEV"]
    return CardEncryptionKey.from_published(published).encrypt_pan(number)


def from_location(reference: str, locations: list[str | None]) -> str:
    """`N.param`: a query parameter of exchange N's redirect (its Location header)."""
    index, _, name = reference.partition(".")
    location = locations[int(index)]
    assert location, f"exchange {index} answered no redirect to read {name!r} from"
    values = parse_qs(urlsplit(location).query).get(name)
    assert values, f"exchange {index}'s redirect has no {name!r}: {location}"
    return values[0]


def headers(request: dict[str, Any], merchant: dict[str, str]) -> dict[str, str]:
    sent = {}
    auth = request.get("auth", "private_key")
    if auth == "private_key":
        sent["authorization"] = f"Bearer {merchant['private_key']}"
    elif auth == "apikey":
        sent["apikey"] = merchant["api_access_key"]
    if request["method"] != "GET":
        sent["idempotency-key"] = str(uuid.uuid4())
        sent["x-forwarded-for"] = "203.0.113.7"
    return {**sent, **request.get("headers", {})}


def load(path: Path) -> dict[str, Any]:
    page = json.loads(path.read_text())
    assert page["page"].startswith("https://docs.clover.com/"), f"{path.name}: no Clover URL"
    assert page["exchanges"], f"{path.name}: no exchanges"
    return page


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_the_sandbox_answers_as_the_page_shows(path: Path, http: httpx.Client) -> None:
    page = load(path)
    merchant = http.get("/_sandbox/merchants").json()[0]
    known = choice_anchors()
    reset(http)
    answers: list[Any] = []
    locations: list[str | None] = []
    found: list[str] = []
    for number, exchange in enumerate(page["exchanges"]):
        request = exchange["request"]
        response = http.request(
            request["method"],
            fill(request["path"], answers, locations, merchant),
            headers=fill(headers(request, merchant), answers, locations, merchant),
            json=fill(request["body"], answers, locations, merchant) if "body" in request else None,
        )
        answer = response.json() if response.content else None
        answers.append(answer)
        locations.append(response.headers.get("location"))
        sample = exchange.get("clover_answer")
        name = f"{number} {exchange['name']}"
        if sample is None:
            assert response.is_success or response.is_redirect, (
                f"{path.name}: set-up step {name}: {response.text}"
            )
            continue
        choices = exchange.get("choices", {})
        for field, why in choices.items():
            anchor = why.partition("docs/choices.md#")[2].split()[0].rstrip(".,;)")
            assert anchor in known, f"{path.name} {name}: {field}'s choice names no heading"
        if response.status_code != sample["status"]:
            found.append(f"{name}: status {response.status_code}, Clover {sample['status']}")
        found += [
            f"{name}: {line}"
            for line in differences(
                sample.get("body"), answer, exchange.get("same", []), set(choices)
            )
        ]
    assert not found, f"{page['page']}\n" + "\n".join(found)
