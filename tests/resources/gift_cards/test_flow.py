"""Gift cards through the client against the local sandbox: a split tender with a card,
a reload, and the typed error of an empty card."""

from __future__ import annotations

import pytest

from helpers import CloverClient, InsufficientFundsError, InvalidRequestError, sku, test_card


def test_split_tender_with_a_card(live: CloverClient) -> None:
    gift = live.create_gift_card_token("7777010000000019")
    assert live.get_gift_card_balance(gift).gift_card.new_balance == 1500
    order = live.create_order([sku("Atlas", 4000)])
    paid_by_gift = live.pay_order(order, gift)
    left = order.amount - paid_by_gift.amount_paid
    assert left == 2500
    card = live.create_token(test_card().card())
    paid = live.pay_order(order, card)
    assert paid.status == "paid" and paid.amount_paid == 4000
    assert live.get_gift_card_balance(gift).gift_card.new_balance == 0


def test_partial_redemption_says_how_much_was_taken(live: CloverClient) -> None:
    gift = live.create_gift_card_token("7777010000000019")
    charge = live.create_charge(4000, gift, partial_redemption=True)
    assert charge.amount == 1500 and charge.partial_auth is True
    assert charge.warning_message is None
    assert charge.gift_card.previous_balance == 1500 and charge.gift_card.new_balance == 0


def test_reload_then_redeem_then_empty(live: CloverClient) -> None:
    gift = live.create_gift_card_token("7777010000000027")
    with pytest.raises(InsufficientFundsError):
        live.create_charge(100, gift)
    token = live.create_gift_card_token("7777010000000027")
    reloaded = live.reload_gift_card(token, 1000)
    assert reloaded.gift_card.new_balance == 1000
    charge = live.create_charge(1000, token, partial_redemption=True)
    assert charge.status == "succeeded" and charge.amount == 1000
    with pytest.raises(InvalidRequestError, match="nothing to cash out"):
        live.cashout_gift_card(token)


def test_activate_a_virtual_card_then_void_a_refund(live: CloverClient) -> None:
    made = live.activate_gift_card(promotion_code="67063", amount=3000)
    assert made.gift_card.new_balance == 3000
    token = live.create_gift_card_token(made.gift_card.number)
    charge = live.create_charge(1000, token, partial_redemption=True)
    refund = live.create_refund(charge, amount=1000)
    voided = live.cancel_gift_card_refund(refund, reason="USER_CANCEL")
    assert voided.object == "void_on_refund" and voided.gift_card.new_balance == 2000
