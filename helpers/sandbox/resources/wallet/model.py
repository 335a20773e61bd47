"""The wallet button's token: `paymentReqData` in, a single-use `clv_` card token out.

Clover's pages: dev: clover-iframe-features-apple-pay
(https://docs.clover.com/dev/docs/clover-iframe-features-apple-pay) and dev:
clover-iframe-features-google-pay
(https://docs.clover.com/dev/docs/clover-iframe-features-google-pay): the iframe's
`PAYMENT_REQUEST_BUTTON` element is created with `{paymentReqData}`, whose `total` has a
`label` and an `amount` in cents (required), and `options.button.buttonType` `long` (the
default) or `short`; the shopper's wallet answers with a `paymentMethod` event carrying the
token. dev: create-applepaywallet-token (https://docs.clover.com/dev/docs/create-applepaywallet-token):
a wallet token is a single-use source for `POST /v1/charges` like a card token.

An app that runs Apple Pay itself sends the wallet's encrypted payment data to
`/v1/tokens` (apple_pay.py). A real wallet (Apple's or Google's payment sheet) cannot answer
a local sandbox, so the local sandbox makes ONE choice (docs/choices.md, Wallets): a test
wallet, reached only with `?wallet=test` on the
merchant page, asks `POST /v1/tokens {"sandbox_wallet": {"paymentReqData": {...}}}` (a
local-only body; Clover's own wallet tokens are made from the wallet's encrypted payment
data) and gets a Visa test card token, `card.last4` 1111, with
`wallet: {"type": "sandbox_test", "total": {...}}` on the token object so a reader can tell
it came from the wallet button. `POST /v1/charges` takes it like any card token; the charge
amount is not compared with the wallet's total.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import invalid_request
from helpers.sandbox.core.money import MAX_AMOUNT
from helpers.sandbox.core.store import Kind, Object, Store

WALLET_TYPE = "sandbox_test"
BUTTON_TYPES = ("long", "short")
TEST_CARD = {"first6": "411111", "last4": "1111", "brand": "VISA"}


def payment_request(data: Mapping[str, Any], prefix: str = "paymentReqData") -> dict[str, Any]:
    """`paymentReqData` checked field by field; the same rules as sdk.js checks in the page."""
    fields.reject_unknown(data, ("total", "options"), prefix)
    total = fields.mapping(data, "total", prefix, required=True)
    assert total is not None
    fields.reject_unknown(total, ("label", "amount"), f"{prefix}.total")
    label = fields.string(total, "label", required=True, max_length=100, prefix=f"{prefix}.total")
    assert label is not None
    if not label.strip():
        raise invalid_request(
            f"{prefix}.total.label must name what the shopper pays for, e.g. 'Demo total'.",
            param=f"{prefix}.total.label",
        )
    amount = fields.integer(
        total, "amount", minimum=1, maximum=MAX_AMOUNT, required=True, prefix=f"{prefix}.total"
    )
    options = fields.mapping(data, "options", prefix) or {}
    fields.reject_unknown(options, ("button",), f"{prefix}.options")
    button = fields.mapping(options, "button", f"{prefix}.options") or {}
    fields.reject_unknown(button, ("buttonType",), f"{prefix}.options.button")
    button_type = fields.string(
        button, "buttonType", choices=BUTTON_TYPES, prefix=f"{prefix}.options.button"
    )
    return {"total": {"label": label, "amount": amount}, "button_type": button_type or "long"}


def tokenize(store: Store, merchant_id: str, checked: dict[str, Any], today_year: int) -> Object:
    """A card token as the wallet would hand it over: single use, approved."""
    token: Object = {
        "id": store.sequence.token_id(),
        "object": "token",
        "card": {**TEST_CARD, "exp_month": "12", "exp_year": str(today_year + 3)},
        "wallet": {"type": WALLET_TYPE, "total": checked["total"]},
        "_merchant": merchant_id,
        "_created": store.sequence.created_ms(),
        "_outcome": "approve",
        "_address_zip": False,
        "_used": False,
    }
    store.put(Kind.TOKEN, token)
    return token
