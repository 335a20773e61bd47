"""Gift cards: a gift card's balance, and what tokens, charges and reloads do to it.

Clover's pages: docs: create-a-gift-card-token (https://docs.clover.com/docs/create-a-gift-card-token:
`{"gift_card": {"number", "security_code"?}}` on `/v1/tokens`, numbers of 6, 13, 16 or 19
digits, the answer `{"id": "clv_…", "object": "token", "giftCard": {"last4"}}`);
docs: gift-card-api (https://docs.clover.com/docs/gift-card-api: `/v1/activate` of a
physical card by its token or of a new virtual card by `promotion_code`,
`/v1/balance_inquiry`, `/v1/reload`, `/v1/cashout`, redemption by `/v1/charges` with
`partial_redemption`, multi-lock by `capture: false` (`gift_card.lock_id`) then
`/v1/charges/{id}/capture`, the void of a refund by `/v1/refunds/{id}/cancel` and of a
reload or cashout by `/v1/refunds`; "a decline is not given for insufficient funds": a
charge for more than the balance takes the balance to zero and its `amount` is what was
redeemed); dev: ecomm-redeem-gift-card, ecomm-check-and-use-gift-card-balance,
ecomm-reload-an-active-gift-card.

The kit's choices (docs/choices.md, Gift cards):
- Test gift cards are `TEST_GIFT_CARDS` (active) and `INACTIVE_GIFT_CARDS` (physical
  cards waiting for `/v1/activate`); Clover lists none (7777 is its examples' prefix). The
  promotion codes of Clover's samples, 67062 (denominated, $50.00) and 67063
  (non-denominated: `amount` required), make virtual cards. Other numbers and codes are
  refused by name.
- A card with a balance of 0 is declined (402 `insufficient_funds`): there is nothing to
  redeem; cashing out an empty card is refused likewise (400, `source`).
- A lock lasts until it is captured (0 frees it whole) or voided (Clover's "preset
  time" is not given).
- A refund or reload never lifts a balance over `MAX_AMOUNT`.
- The sandbox keeps a balance per merchant and card, under a hash of the number: the
  number itself is not stored (a virtual card's number is shown once, in the activation
  answer, as Clover's sample shows it).
"""

from __future__ import annotations

import hashlib
from typing import Any

from helpers.sandbox.core.errors import card_error, invalid_request
from helpers.sandbox.core.store import Kind, Object, Store

NUMBER_LENGTHS = (6, 13, 16, 19)
MAXIMUM = 99_999_999
"""The most a card may hold: the charges' largest amount (MAX_AMOUNT)."""
EXPIRATION_DATE = "3025-01-01"
"""Clover gift cards do not expire; its examples show this far-off date."""
TEST_GIFT_CARDS: dict[str, int] = {
    "7777010000000001": 5000,
    "7777010000000019": 1500,
    "7777010000000027": 0,
}
"""LOCAL SANDBOX ONLY: test gift card numbers and the balance (cents) each starts with."""
INACTIVE_GIFT_CARDS: dict[str, int | None] = {
    "7777010000000035": 5000,
    "7777010000000043": None,
}
"""LOCAL SANDBOX ONLY: physical cards not yet activated, with their denomination (cents),
or None for a non-denominated card (its activation needs `amount`)."""
PROMOTION_CODES: dict[str, int | None] = {"67062": 5000, "67063": None}
"""The promotion codes of Clover's activation samples: a denomination, or None."""
PARTIAL_WARNING = "partial_redemption should be true for gift card"


def _account_id(merchant_id: str, number: str) -> str:
    return "GC" + hashlib.sha256(f"{merchant_id}:{number}".encode()).hexdigest()[:24]


def _open(store: Store, merchant_id: str, number: str, balance: int, active: bool) -> Object:
    opened: Object = {
        "id": _account_id(merchant_id, number),
        "balance": balance,
        "active": active,
        "locks": {},
        "first6": number[:6],
        "last4": number[-4:],
        "_merchant": merchant_id,
    }
    if not active:
        opened["_denomination"] = INACTIVE_GIFT_CARDS[number]
    store.put(Kind.GIFT_CARD, opened)
    return opened


def open_virtual(store: Store, merchant_id: str, number: str, balance: int) -> Object:
    """A new virtual card made by `/v1/activate` with a promotion code (activation.py)."""
    return _open(store, merchant_id, number, balance, True)


def account(store: Store, merchant_id: str, number: str) -> Object:
    """The gift card's account, opened with its starting balance on first use."""
    found = store.get(Kind.GIFT_CARD, _account_id(merchant_id, number), merchant_id)
    if found is not None:
        return found
    if number in TEST_GIFT_CARDS:
        return _open(store, merchant_id, number, TEST_GIFT_CARDS[number], True)
    if number in INACTIVE_GIFT_CARDS:
        return _open(store, merchant_id, number, 0, False)
    known = ", ".join(TEST_GIFT_CARDS)
    raise card_error(
        "invalid_number",
        f"gift_card.number is not a gift card of this merchant. The local sandbox's test "
        f"gift cards are {known} (and {', '.join(INACTIVE_GIFT_CARDS)}, not yet activated).",
        "gift_card.number",
    )


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


def of_token(store: Store, token: Object, *, active: bool = True) -> Object:
    """The token's gift card; unless `active` is False, it must have been activated."""
    card = store.get(Kind.GIFT_CARD, token["_gift_card"], token["_merchant"])
    assert card is not None
    if active and not card.get("active", True):
        raise invalid_request(
            "source is a gift card that is not active yet: activate it with POST "
            '/v1/activate {"source": ...} first (docs: gift-card-api).',
            param="source",
        )
    return card


def locked(card: Object) -> int:
    return sum(int(v) for v in card.get("locks", {}).values())


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


def lock(store: Store, card: Object, amount: int) -> tuple[int, int, int]:
    """A multi-lock: set aside up to `amount` cents: (locked, the balance before, lock id)."""
    previous = int(card["balance"])
    held = min(previous, amount)
    lock_id = int(store.sequence.digits(6))
    card["balance"] = previous - held
    card.setdefault("locks", {})[str(lock_id)] = held
    store.put(Kind.GIFT_CARD, card)
    return held, previous, lock_id


def unlock(store: Store, merchant_id: str, account_id: str, lock_id: int, redeemed: int) -> Any:
    """Redeem `redeemed` cents of a lock and give the rest of it back to the balance."""
    card = store.get(Kind.GIFT_CARD, account_id, merchant_id)
    assert card is not None
    held = int(card["locks"].pop(str(lock_id)))
    previous = int(card["balance"]) + held
    card["balance"] = previous - redeemed
    store.put(Kind.GIFT_CARD, card)
    return {**balance_view(card, previous), "lock_amount": locked(card), "lock_id": lock_id}


def check_refund(
    store: Store, merchant_id: str, account_id: str, amount: int, maximum: int
) -> None:
    """Refuse a refund that would lift the card over the most it may hold (issue 23: a
    refund after a reload could); callers check before they change anything."""
    card = store.get(Kind.GIFT_CARD, account_id, merchant_id)
    if card is not None and int(card["balance"]) + amount > maximum:
        raise invalid_request(
            f"Refunding {amount} cents of this charge would take the gift card's balance over "
            f"{maximum} cents (it was reloaded since): cash out or redeem part of the "
            "balance first, or refund less.",
            param="charge",
            code="amount_too_large",
        )


def refund(store: Store, merchant_id: str, account_id: str, amount: int, maximum: int) -> None:
    """Put a refunded redemption back on its gift card, within the most a card may hold;
    checked before anything changes, so a refused refund leaves the charge and the card as
    they were."""
    check_refund(store, merchant_id, account_id, amount, maximum)
    card = store.get(Kind.GIFT_CARD, account_id, merchant_id)
    if card is None:
        return
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


def cashout(store: Store, card: Object) -> int:
    """Clover's cashout (https://docs.clover.com/reference/cashout): the whole balance off
    the card. An empty card has nothing to cash out (the kit's choice: Clover's page shows
    no answer for it, and a 200 moving 0 cents says nothing)."""
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
