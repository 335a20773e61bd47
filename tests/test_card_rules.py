"""One source of card rules: `helpers/card_rules.py`, and the two places that apply it.

The sandbox's tokenizer (`POST /v1/tokens`) and its card field (`widget.js`, which gets the
rules written into widget.html) must name the same brand for every number, at both ends of
every brand's ranges and just outside them.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import card_rules
from tests.chromium import kept

ROOT = Path(__file__).resolve().parents[1]


def with_check_digit(body: str) -> str:
    """`body` and the digit that makes it pass Luhn."""
    return next(body + d for d in "0123456789" if card_rules.luhn_valid(body + d))


def number(prefix: int, length: int) -> str:
    return with_check_digit(str(prefix).ljust(length - 1, "0"))


def boundary_numbers() -> list[str]:
    """For every range of every brand: its two ends, and the prefixes just outside, at the
    brand's shortest and longest lengths."""
    found: list[str] = []
    for rule in card_rules.RULES:
        for low, high in rule.prefixes:
            width = len(str(low))
            for prefix in (low - 1, low, high, high + 1):
                if len(str(prefix)) != width:
                    continue
                for length in sorted({rule.lengths[0], rule.lengths[-1]}):
                    found.append(number(prefix, length))
    return sorted(set(found))


NUMBERS = boundary_numbers()


# -- the rules themselves ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "brand"),
    [
        (4, "VISA"),
        (51, "MC"),
        (55, "MC"),
        (2221, "MC"),
        (2720, "MC"),
        (2721, None),
        (34, "AMEX"),
        (37, "AMEX"),
        (6011, "DISCOVER"),
        (644, "DISCOVER"),
        (649, "DISCOVER"),
        (65, "DISCOVER"),
        (622125, None),
        (622126, "DISCOVER"),
        (622925, "DISCOVER"),
        (622926, None),
        (300, "DINERS_CLUB"),
        (305, "DINERS_CLUB"),
        (3095, "DINERS_CLUB"),
        (36, "DINERS_CLUB"),
        (38, "DINERS_CLUB"),
        (39, "DINERS_CLUB"),
        (3528, "JCB"),
        (3589, "JCB"),
        (3590, None),
        (1, None),
    ],
)
def test_each_range_names_its_brand(prefix: int, brand: str | None) -> None:
    assert card_rules.brand_of(number(prefix, 16)) == brand


def test_luhn_lengths_and_cvv_lengths() -> None:
    assert card_rules.luhn_valid("4242424242424242")
    assert card_rules.luhn_valid("4242 4242 4242 4242")
    assert card_rules.luhn_valid("4242-4242-4242-4242")
    assert card_rules.is_plausible(4242424242424242)
    assert card_rules.luhn_valid("42") and not card_rules.is_plausible("42")  # too short
    assert not card_rules.is_plausible(with_check_digit("4" * 19))  # 20 digits
    assert not card_rules.luhn_valid("4242424242424241")
    assert not card_rules.luhn_valid("\uff14\uff12\uff14\uff12")  # full-width digits
    assert not card_rules.luhn_valid("")
    assert card_rules.cvv_length("AMEX") == 4
    assert {card_rules.cvv_length(b) for b in card_rules.BRANDS if b != "AMEX"} == {3}


def test_ranges_do_not_overlap() -> None:
    """Detection order can never matter: no number belongs to two brands."""
    for candidate in NUMBERS:
        assert sum(rule.matches(candidate) for rule in card_rules.RULES) <= 1, candidate


def test_the_rules_are_a_leaf_module() -> None:
    """Both wings import it: it must import nothing of the project."""
    code = (
        "import sys, helpers.card_rules\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('helpers.'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["helpers.card_rules"]


# -- the sandbox's tokenizer -------------------------------------------------------------


def test_the_tokenizer_names_the_brand_the_rules_name(
    http: httpx.Client, merchant: dict[str, str]
) -> None:
    for candidate in NUMBERS:
        brand = card_rules.brand_of(candidate)
        card = {
            "number": candidate,
            "exp_month": "12",
            "exp_year": "2030",
            "cvv": "1234"[: card_rules.cvv_length(brand)],
            "brand": brand or "VISA",
        }
        answer = http.post(
            "/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={"card": card}
        )
        if brand is None:
            assert answer.status_code == 400, (candidate, answer.text)
            assert answer.json()["error"]["code"] == "invalid_card_type", candidate
        else:
            assert answer.status_code == 200, (candidate, answer.text)
            assert answer.json()["card"]["brand"] == brand, candidate


# -- the card field in the browser -------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with kept() as browser:  # tests/chromium.py: the next module may use it too
        yield browser


@pytest.mark.browser
def test_the_card_field_names_the_brand_the_rules_name(
    chromium: Any, sandbox: Any, merchant: dict[str, str]
) -> None:
    """widget.js, framed as a checkout page frames it, shows the brand label the rules give
    for every boundary number, refuses a prefix of no brand and takes every valid length."""
    context = chromium.new_context()
    context.set_default_timeout(8_000)
    page = context.new_page()
    try:
        page.goto(f"{sandbox.url}/_sandbox/health")  # any page of the sandbox's origin
        query = httpx.QueryParams(
            element="CARD_NUMBER",
            apiKey=merchant["api_access_key"],
            instance="a" * 32,
            parentOrigin=sandbox.url,
        )
        page.evaluate(
            "src => { const f = document.createElement('iframe'); f.src = src;"
            " document.body.appendChild(f); }",
            f"{sandbox.url}/widget.html?{query}",
        )
        field = page.frame_locator("iframe")
        labels = {rule.label: rule.brand for rule in card_rules.RULES}
        for candidate in NUMBERS:
            field.locator("#input").fill(candidate)
            shown = field.locator(".brand").text_content() or ""
            expected = card_rules.rule_of(candidate)
            assert labels.get(shown) == (expected.brand if expected else None), candidate
            invalid = field.locator("#input").get_attribute("aria-invalid") == "true"
            if expected is None:
                assert invalid, candidate  # no brand has this prefix
            elif len(candidate) in expected.lengths:
                assert not invalid, candidate
    finally:
        context.close()


def test_the_client_takes_its_card_checks_from_the_same_rules() -> None:
    """The merchant app's checks are the leaf's: a number the client calls valid is one the
    tokenizer takes (once, the client accepted Discover 622126-622925 and it did not)."""
    from helpers.clover import cards

    assert cards.brand_of is card_rules.brand_of
    assert cards.cvv_length is card_rules.cvv_length
    assert cards.luhn_valid is card_rules.is_plausible
    assert cards.BRANDS == card_rules.BRANDS


def _luhn_by_hand(digits: str) -> bool:
    """The checksum as the card networks state it, digit by digit from the right."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n // 10 + n % 10
    return total % 10 == 0


@given(st.text(alphabet="0123456789", max_size=25))
def test_luhn_agrees_with_the_checksum_done_by_hand(digits: str) -> None:
    assert card_rules.luhn_valid(digits) == (bool(digits) and _luhn_by_hand(digits))
