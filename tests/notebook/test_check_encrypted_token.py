"""04's exercise check: the encrypted AVS Amex with its postal code passes; a token of another
card, one sent in clear, or one without the postal code fails with the hint for that mistake."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import check_encrypted_token, fetch_card_key, test_card
from helpers.notebook.checks import CheckFailed

AVS_AMEX = test_card("approve_avs", brand="AMEX")
PLAIN_AMEX = test_card("approve", brand="AMEX")


def judge(live: Any, the_card: Any, *, encrypt: bool = True, saq: str = "SAQ D") -> None:
    sent = {"card": fetch_card_key(live).encrypted_card(the_card)} if encrypt else the_card
    token = live.create_token(sent)
    check_encrypted_token(token, live.journal.last, AVS_AMEX.number[-4:], saq)


def test_the_encrypted_avs_amex_with_its_postal_code_passes(
    live: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    judge(live, AVS_AMEX.card(address_zip="94107"))
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("the_card", "encrypt", "saq", "hint"),
    [
        (PLAIN_AMEX.card(address_zip="94107"), True, "SAQ D", r"approve_avs|AVS match"),
        (AVS_AMEX.card(address_zip="94107"), False, "SAQ D", r"in clear|encrypted_card"),
        (AVS_AMEX.card(), True, "SAQ D", "postal code"),
        (AVS_AMEX.card(address_zip="10001"), True, "SAQ D", "postal code"),
        (AVS_AMEX.card(address_zip="94107"), True, "SAQ A", r"SAQ D|what did it hold"),
    ],
)
def test_each_mistake_gets_its_own_hint(
    live: Any, the_card: Any, encrypt: bool, saq: str, hint: str
) -> None:
    # either of the mistake's two hints (the first, or the code on a repeat) names it
    with pytest.raises(CheckFailed, match=hint):
        judge(live, the_card, encrypt=encrypt, saq=saq)
