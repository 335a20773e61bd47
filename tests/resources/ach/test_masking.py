"""What the journal keeps of an ACH token request and of a virtual gift card's activation:
no bank account number beyond its last four, no gift card security code (the kit's rule:
no full card number, CVV, token, secret or key in any log or output)."""

from __future__ import annotations

from helpers.masking import mask_payload


def test_a_bank_account_number_keeps_only_its_last_four() -> None:
    masked = mask_payload({"ach": {"bank_account_number": "123456789012", "phone": "5555550100"}})
    assert masked["ach"]["bank_account_number"] == "••••9012"
    assert masked["ach"]["phone"] == "5555550100"


def test_a_gift_cards_security_values_are_hidden() -> None:
    answer = {
        "gift_card": {
            "security_card_value": "75537209",
            "number": "7777373144600266",
            "new_balance": 5000,
        }
    }
    masked = mask_payload(answer)["gift_card"]
    assert "75537209" not in str(masked) and "7777373144600266" not in str(masked)
    assert masked["new_balance"] == 5000
    hidden = mask_payload({"gift_card": {"foreign_access_code": "67755"}})
    assert "67755" not in str(hidden)
