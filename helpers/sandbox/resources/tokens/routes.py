"""`POST /v1/tokens`: card data in, a single-use `clv_` token out (docs: create-a-card-token).

The number arrives in clear (`number`) or encrypted with the sandbox's public key
(`encrypted_pan`, with `first6` and `last4` in clear; see encrypted_pan.py). Either way
the full number lives only for the length of this request (see model.py).

`{"gift_card": {...}}` instead of `card` makes a gift card token (see gift_cards/), and
`{"ach": {...}}` an ACH token (see ach/), and `{"sandbox_wallet": {"paymentReqData": ...}}`
the local test wallet's card token (see wallet/; local-only, what the wallet button's
`?wallet=test` path sends), and `{"encryptedWallet": {"applePayPaymentData": ...}}` an
Apple Pay token (wallet/apple_pay.py; dev: create-applepaywallet-token).

`"multipay": true` next to `card` makes a token that may be charged more than once, as a
stored credential (the field's name is the local sandbox's choice: Clover documents
multi-pay tokens, made when a card is saved to a customer, but not this flag's name).

The `multipay` flag is listed in docs/choices.md, "Tokens and cards".
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from helpers.sandbox.core.errors import card_error, invalid_request
from helpers.sandbox.core.fields import boolean, mapping, reject_unknown, string
from helpers.sandbox.core.http import Call
from helpers.sandbox.resources.ach import model as ach
from helpers.sandbox.resources.gift_cards import model as gift_cards
from helpers.sandbox.resources.tokens import model
from helpers.sandbox.resources.tokens.encrypted_pan import KEY_NAMES
from helpers.sandbox.resources.wallet import apple_pay
from helpers.sandbox.resources.wallet import model as wallet

CARD_FIELDS = (
    "number",
    "encrypted_pan",
    "first6",
    "last4",
    "transarmor_key_id",
    "exp_month",
    "exp_year",
    "cvv",
    "brand",
    "name",
    "address_line1",
    "address_line2",
    "address_city",
    "address_state",
    "address_zip",
    "address_country",
    "country",  # the card's two-letter country (docs: create-a-card-token)
)
TEXT_LIMITS = {
    "name": 100,
    "address_line1": 100,
    "address_line2": 100,
    "address_city": 60,
    "address_state": 60,
    "address_zip": 20,
    "address_country": 60,
    "transarmor_key_id": 64,
    "country": 2,
}
SEPARATORS = re.compile(r"[ -]")


def _number(call: Call, card: dict[str, Any]) -> str:
    """The card number, from `number` or decrypted from `encrypted_pan`."""
    if card.get("encrypted_pan") is None:
        number = SEPARATORS.sub("", model.digits(card, "number", "invalid_number", "card number"))
        return model.valid_number(number, "card.number")
    if card.get("number") is not None:
        raise invalid_request(
            "Send card.number or card.encrypted_pan, not both: the point of "
            "encrypting is that the number never travels in clear.",
            param="card.number",
        )
    number = model.valid_number(
        call.state.pan_key.decrypt(card["encrypted_pan"]), "card.encrypted_pan"
    )
    for field, part in (("first6", number[:6]), ("last4", number[-4:])):
        sent = model.digits(card, field, "invalid_number", f"{field} of the card number in clear")
        if sent != part:
            raise card_error(
                "invalid_number",
                f"card.{field} does not match the encrypted "
                f"number: send its {'first six' if field == 'first6' else 'last four'}"
                " digits.",
                f"card.{field}",
            )
    return number


def gift_card_request(body: Mapping[str, Any]) -> str:
    """`{"gift_card": {"number", "security_code"?, "foreign_access_code"?}}` (docs:
    create-a-gift-card-token); `card_number`, the field's name before July 2024, is taken
    too, since Clover's own examples still send it. The number, checked."""
    reject_unknown(body, ("gift_card",))
    gift_card = mapping(body, "gift_card", required=True)
    assert gift_card is not None
    reject_unknown(
        gift_card, ("number", "card_number", "security_code", "foreign_access_code"), "gift_card"
    )
    if gift_card.get("number") is None and gift_card.get("card_number") is not None:
        gift_card = {**gift_card, "number": gift_card["card_number"]}
    number = string(gift_card, "number", required=True, max_length=19, prefix="gift_card")
    assert number is not None
    string(gift_card, "security_code", max_length=8, prefix="gift_card")
    code = gift_card.get("security_code")
    if code is not None and not 4 <= len(code) <= 8:
        raise card_error(
            "invalid_cvc",
            "gift_card.security_code must be 4 to 8 characters.",
            "gift_card.security_code",
        )
    string(gift_card, "foreign_access_code", max_length=32, prefix="gift_card")
    return number


def _gift_card_token(call: Call) -> dict[str, Any]:
    number = gift_card_request(call.body)
    token = gift_cards.tokenize(call.store, call.merchant_id, {"number": number})
    return model.view(token)


def ach_request(body: Mapping[str, Any]) -> dict[str, Any]:
    """`{"ach": {...}}`: a US bank account and the customer's identification (ach/)."""
    reject_unknown(body, ("ach",))
    checked = mapping(body, "ach", required=True)
    assert checked is not None
    return ach.request(checked)


def _ach_token(call: Call) -> dict[str, Any]:
    token = ach.tokenize(call.store, call.merchant_id, ach_request(call.body))
    return model.view(token)


def _wallet_token(call: Call) -> dict[str, Any]:
    """`{"sandbox_wallet": {"paymentReqData": {...}}}`: the local test wallet (wallet/)."""
    reject_unknown(call.body, ("sandbox_wallet",))
    body = mapping(call.body, "sandbox_wallet", required=True)
    assert body is not None
    reject_unknown(body, ("paymentReqData",), "sandbox_wallet")
    data = mapping(body, "paymentReqData", "sandbox_wallet", required=True)
    assert data is not None
    checked = wallet.payment_request(data, "sandbox_wallet.paymentReqData")
    year = dt.datetime.now(dt.UTC).year
    return model.view(wallet.tokenize(call.store, call.merchant_id, checked, year))


def _apple_pay_token(call: Call) -> dict[str, Any]:
    """`{"encryptedWallet": {"applePayPaymentData": {...}}}` (wallet/apple_pay.py)."""
    apple_pay.request(call.body)
    year = dt.datetime.now(dt.UTC).year
    return model.view(apple_pay.tokenize(call.store, call.merchant_id, year))


def token_request(body: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The card and `multipay` of a tokenize request; the number, expiry and CVV are
    checked by the tokenizer's card rules (model.py) (ref: createtoken)."""
    reject_unknown(body, ("card", "multipay"))
    multipay = boolean(body, "multipay", False)
    card = mapping(body, "card", required=True)
    assert card is not None
    reject_unknown(card, CARD_FIELDS, prefix="card")
    for field, limit in TEXT_LIMITS.items():
        string(card, field, max_length=limit, prefix="card")
    return card, multipay


def create_token(call: Call) -> dict[str, Any]:
    if "gift_card" in call.body and "card" not in call.body:
        return _gift_card_token(call)
    if "ach" in call.body and "card" not in call.body:
        return _ach_token(call)
    if "sandbox_wallet" in call.body and "card" not in call.body:
        return _wallet_token(call)
    if "encryptedWallet" in call.body and "card" not in call.body:
        return _apple_pay_token(call)
    card, multipay = token_request(call.body)
    number = _number(call, card)
    token = model.tokenize(call.store, call.merchant_id, card, number, multipay)
    return model.view(token)


def keys_json(call: Call) -> Response:
    """`GET /assets/keys.json`: the public key, under Clover's names (both are this key)."""
    value = call.state.pan_key.published()
    return Response(
        json.dumps(dict.fromkeys(KEY_NAMES, value)),
        200,
        media_type="application/json",
        headers={"cache-control": "no-cache"},
    )
