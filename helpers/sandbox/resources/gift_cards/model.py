"""Gift cards: a gift card's balance, and what tokens, charges and reloads do to it.

Clover's pages: docs: create-a-gift-card-token (https://docs.clover.com/docs/create-a-gift-card-token:
`{"gift_card": {"number", "security_code"?}}` on `/v1/tokens`, numbers of 6, 13, 16 or 19
digits, the answer `{"id": "clv_…", "object": "token", "giftCard": {"last4"}}`);
docs: gift-card-api (https://docs.clover.com/docs/gift-card-api: `/v1/balance_inquiry`,
`/v1/reload`, `/v1/cashout`, redemption by `/v1/charges` with `partial_redemption`, the
`gift_card` object with `previous_balance` and `new_balance`, and "a decline is not given
for insufficient funds": the balance goes to zero and the charge's `amount` is what was
redeemed); dev: ecomm-check-and-use-gift-card-balance, ecomm-reload-an-active-gift-card.

Where the docs are silent the local sandbox makes ONE choice each:
- Test gift cards are `TEST_GIFT_CARDS` (Clover documents none; 7777 is the prefix its
  examples show). Any other number is refused at the tokenizer as no active gift card.
- A gift card with nothing left is declined (402, `decline_code: insufficient_funds`):
  there is nothing to redeem. With something left, a charge for more redeems all of it;
  `partial_auth` is true when less than the amount asked was redeemed, and without
  `partial_redemption: true` the answer carries Clover's warning.
- A gift card token is used up by a charge, as a card token is; balance inquiry, reload
  and cashout may use it again. `capture: false` (a multi-lock) is not simulated.
- The sandbox keeps a balance per merchant and card, under a hash of the number: the
  number itself is not stored.
"""

from __future__ import annotations

import hashlib
from typing import Any

from helpers.sandbox.core.errors import card_error, invalid_request
from helpers.sandbox.core.store import Kind, Object, Store

NUMBER_LENGTHS = (6, 13, 16, 19)
EXPIRATION_DATE = "3025-01-01"
"""Clover gift cards do not expire; its examples show this far-off date."""
TEST_GIFT_CARDS: dict[str, int] = {
    "7777010000000001": 5000,
    "7777010000000019": 1500,
    "7777010000000027": 0,
}
"""LOCAL SANDBOX ONLY: test gift card numbers and the balance (cents) each starts with."""
PARTIAL_WARNING = "partial_redemption should be true for gift card"


def _account_id(merchant_id: str, number: str) -> str:
    return "GC" + hashlib.sha256(f"{merchant_id}:{number}".encode()).hexdigest()[:24]


def account(store: Store, merchant_id: str, number: str) -> Object:
    """The gift card's account, opened with its starting balance on first use."""
    if number not in TEST_GIFT_CARDS:
        known = ", ".join(TEST_GIFT_CARDS)
        raise card_error(
            "invalid_number",
            f"gift_card.number is not an active gift card of this merchant. The local "
            f"sandbox's test gift cards are {known}.",
            "gift_card.number",
        )
    account_id = _account_id(merchant_id, number)
    found = store.get(Kind.GIFT_CARD, account_id, merchant_id)
    if found is not None:
        return found
    opened: Object = {
        "id": account_id,
        "balance": TEST_GIFT_CARDS[number],
        "first6": number[:6],
        "last4": number[-4:],
        "_merchant": merchant_id,
    }
    store.put(Kind.GIFT_CARD, opened)
    return opened


def tokenize(store: Store, merchant_id: str, gift_card: dict[str, Any]) -> Object:
    """A gift card token for a checked `gift_card` object (number and optional SCV)."""
    number = gift_card["number"]
    if not (number.isascii() and number.isdigit()) or len(number) not in NUMBER_LENGTHS:
        raise card_error(
            "invalid_number",
            "gift_card.number must be 6, 13, 16 or 19 digits.",
            "gift_card.number",
        )
    card = account(store, merchant_id, number)
    token: Object = {
        "id": store.sequence.token_id(),
        "object": "token",
        "giftCard": {"last4": card["last4"]},
        "_merchant": merchant_id,
        "_created": store.sequence.created_ms(),
        "_outcome": "approve",
        "_gift_card": card["id"],
        "_first6": card["first6"],
        "_used": False,
    }
    store.put(Kind.TOKEN, token)
    return token


def of_token(store: Store, token: Object) -> Object:
    card = store.get(Kind.GIFT_CARD, token["_gift_card"], token["_merchant"])
    assert card is not None
    return card


def balance_view(card: Object, previous: int) -> dict[str, Any]:
    return {
        "expiration_date": EXPIRATION_DATE,
        "previous_balance": previous,
        "new_balance": card["balance"],
    }


def redeem(store: Store, card: Object, amount: int) -> tuple[int, int]:
    """Take up to `amount` cents off the card: (what was redeemed, the balance before)."""
    previous = int(card["balance"])
    redeemed = min(previous, amount)
    card["balance"] = previous - redeemed
    store.put(Kind.GIFT_CARD, card)
    return redeemed, previous


def refund(store: Store, merchant_id: str, account_id: str, amount: int, maximum: int) -> None:
    """Put a refunded redemption back on its gift card, within the most a card may hold
    (issue 23: a refund after a reload could lift it over); checked before anything
    changes, so a refused refund leaves the charge and the card as they were."""
    card = store.get(Kind.GIFT_CARD, account_id, merchant_id)
    if card is None:
        return
    if int(card["balance"]) + amount > maximum:
        raise invalid_request(
            f"Refunding {amount} cents of this charge would take the gift card's balance over "
            f"{maximum} cents (it was reloaded since): cash out or redeem part of the "
            "balance first, or refund less.",
            param="charge",
            code="amount_too_large",
        )
    card["balance"] = int(card["balance"]) + amount
    store.put(Kind.GIFT_CARD, card)


def reload(store: Store, card: Object, amount: int, maximum: int) -> int:
    previous = int(card["balance"])
    if previous + amount > maximum:
        raise invalid_request(
            f"amount {amount} would take the gift card's balance over {maximum} cents.",
            param="amount",
            code="amount_too_large",
        )
    card["balance"] = previous + amount
    store.put(Kind.GIFT_CARD, card)
    return previous


def cash_out(store: Store, card: Object) -> int:
    """The whole balance off the card; an empty card has nothing to cash out (the kit's
    choice: Clover's page shows no answer for it, and a 200 moving 0 cents says nothing)."""
    previous = int(card["balance"])
    if previous == 0:
        raise invalid_request(
            "The source gift card's balance is 0: there is nothing to cash out. Check it "
            "with /v1/balance_inquiry first.",
            param="source",
        )
    card["balance"] = 0
    store.put(Kind.GIFT_CARD, card)
    return previous
