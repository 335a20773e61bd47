"""Apple Pay tokens: `POST /v1/tokens {"encryptedWallet": {"applePayPaymentData": {...}}}`.

Clover's page: dev: create-applepaywallet-token
(https://docs.clover.com/dev/docs/create-applepaywallet-token): the body carries Apple's
payment token's `paymentData` as `encryptedWallet.applePayPaymentData`, with `data` (the
encrypted payment data), `header` (`ephemeralPublicKey`, EC_v1 only, `publicKeyHash`,
`transactionId`), `signature` and `version` (`EC_v1` or `RSA_v1`), by the public
`apikey`; the answer is a single-use `clv_` token, a source for a charge or an order pay.

The kit's choice (docs/choices.md, Wallets): the local sandbox holds no merchant
certificate, so it cannot decrypt or verify the blob. It checks the blob's shape field by
field (each part present, `data` and `signature` base64, `version` one of Apple's two) and
answers a card token of the Visa test card ending 1111 (`card.brand`, `first6`, `last4`,
`exp_month`, `exp_year`, as a card token reads); the page shows no answer body.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import invalid_request, missing
from helpers.sandbox.core.store import Kind, Object, Store
from helpers.sandbox.resources.wallet.model import TEST_CARD

PREFIX = "encryptedWallet.applePayPaymentData"
VERSIONS = ("EC_v1", "RSA_v1")
HEADER = ("ephemeralPublicKey", "wrappedKey", "publicKeyHash", "transactionId", "applicationData")


def _base64(data: Mapping[str, Any], name: str, prefix: str) -> None:
    value = fields.string(data, name, required=True, max_length=20_000, prefix=prefix)
    if not isinstance(value, str):
        return  # a Probe's example
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise invalid_request(
            f"{prefix}.{name} must be base64, as Apple's payment token carries it: pass "
            "paymentData from the wallet unchanged.",
            param=f"{prefix}.{name}",
        ) from None


def request(body: Mapping[str, Any]) -> dict[str, Any]:
    """The `encryptedWallet` body, checked whole before anything is stored."""
    fields.reject_unknown(body, ("encryptedWallet",))
    wallet = fields.mapping(body, "encryptedWallet", required=True)
    assert wallet is not None
    fields.reject_unknown(wallet, ("applePayPaymentData",), "encryptedWallet")
    data = fields.mapping(wallet, "applePayPaymentData", "encryptedWallet", required=True)
    assert data is not None
    fields.reject_unknown(data, ("data", "header", "signature", "version"), PREFIX)
    version = fields.string(data, "version", required=True, choices=VERSIONS, prefix=PREFIX)
    _base64(data, "data", PREFIX)
    _base64(data, "signature", PREFIX)
    header = fields.mapping(data, "header", PREFIX, required=True)
    assert header is not None
    where = f"{PREFIX}.header"
    fields.reject_unknown(header, HEADER, where)
    for name in HEADER:
        fields.string(header, name, max_length=2_000, prefix=where)
    for name in ("publicKeyHash", "transactionId"):
        if not header.get(name):
            raise missing(f"{where}.{name}", "Pass the payment token's header unchanged.")
    key = "ephemeralPublicKey" if version == "EC_v1" else "wrappedKey"
    if not header.get(key):
        raise missing(f"{where}.{key}", f"A {version} payment token's header carries {key}.")
    return {"version": version}


def tokenize(store: Store, merchant_id: str, today_year: int) -> Object:
    """A single-use card token standing for the wallet's card (the Visa test card)."""
    token: Object = {
        "id": store.sequence.token_id(),
        "object": "token",
        "card": {**TEST_CARD, "exp_month": "12", "exp_year": str(today_year + 3)},
        "_merchant": merchant_id,
        "_created": store.sequence.created_ms(),
        "_outcome": "approve",
        "_address_zip": False,
        "_wallet": "apple_pay",
        "_used": False,
    }
    store.put(Kind.TOKEN, token)
    return token
