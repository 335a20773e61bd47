"""Example bodies that take a parser down its other branches (`Operation.variants`) or
show another body a route takes (`Operation.alternatives`): each passes the parser it is
given to (tests/sandbox/test_openapi_new_routes.py runs them), and the explorer shows them.
"""

from __future__ import annotations

from typing import Any

from helpers.sandbox.resources.ach import model as ach

CARD_EXAMPLE: dict[str, Any] = {
    "card": {
        "number": "4242424242424242",
        "exp_month": "12",
        "exp_year": "2030",
        "cvv": "123",
        "brand": "VISA",
    }
}
BROWSER_INFO: dict[str, Any] = {
    "browser_accept_header": "text/html",
    "browser_ip": "203.0.113.7",
    "browser_javascript_enabled": True,
    "browser_language": "en-US",
    "browser_screen_height": 900,
    "browser_screen_width": 1440,
    "browser_tz": "0",
    "browser_user_agent": "Mozilla/5.0",
}
THREEDS_VARIANTS: tuple[dict[str, Any], ...] = (
    {
        "amount": 1358,
        "currency": "usd",
        "source": "clv_...",
        "threeds": {"source": "CLOVER", "browser_info": BROWSER_INFO},
    },
    {
        "amount": 1358,
        "currency": "usd",
        "source": "clv_...",
        "threeds": {
            "source": "NON_CLOVER",
            "authentication_result": {
                "authentication_status": "SUCCESS",
                "transaction_id": "TXN",
                "cryptogram": "CAVV",
            },
        },
    },
)
ACH_EXAMPLE: dict[str, Any] = {
    "ach": {
        "bank_account_number": "123456789012",
        "bank_routing_number": "011000015",
        "check_type": "personal_check",
        "account_type": "checking",
        "customer_id_type": "driver_license",
        "customer_id_state": "NJ",
        "customer_id": "D1234567",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "phone": "5555550100",
        "address_line1": "1 Main St",
        "address_city": "Newark",
        "address_state": "NJ",
        "address_zip": "07102",
        "agreement": {"agreement_id": ach.SANDBOX_AGREEMENT, "locale": "en-US"},
    }
}

APPLE_PAY_EXAMPLE: dict[str, Any] = {
    "encryptedWallet": {
        "applePayPaymentData": {
            "version": "EC_v1",
            "data": "c2FuZGJveCBwYXltZW50IGRhdGE=",
            "signature": "c2lnbmF0dXJl",
            "header": {
                "ephemeralPublicKey": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE",
                "publicKeyHash": "aGFzaA==",
                "transactionId": "a1b2c3d4e5f6",
            },
        }
    }
}
"""Apple Pay's payment data (dev: create-applepaywallet-token): made-up values of Apple's
shape, which the sandbox takes (it cannot decrypt real ones; docs/choices.md, Wallets)."""
