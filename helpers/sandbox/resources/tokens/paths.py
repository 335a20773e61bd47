"""The tokenizer's paths (token host), and the key card numbers are encrypted with
(checkout host), each with its OpenAPI operation; app.py gathers them."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.examples import ACH_EXAMPLE, APPLE_PAY_EXAMPLE, CARD_EXAMPLE
from helpers.sandbox.openapi.operation import REF, Operation, route
from helpers.sandbox.resources.tokens import routes as tokens
from helpers.sandbox.resources.wallet import apple_pay


def routes() -> list[BaseRoute]:
    return [
        route(
            "/v1/tokens",
            tokens.create_token,
            "POST",
            auth="apikey",
            doc=Operation(
                "Tokenize a card (test cards only), a gift card, a bank account (ACH) or Apple "
                "Pay's payment data",
                "Tokens",
                "tokenizer",
                REF + "createtoken",
                body=tokens.token_request,
                example=CARD_EXAMPLE,
                alternatives=(
                    (tokens.gift_card_request, {"gift_card": {"number": "7777010000000001"}}),
                    (tokens.ach_request, ACH_EXAMPLE),
                    (apple_pay.request, APPLE_PAY_EXAMPLE),
                ),
                response="Token",
                links={
                    "balance_inquiry": {
                        "operationId": "balance_inquiry",
                        "requestBody": {"source": "$response.body#/id"},
                    },
                    "charge": {
                        "operationId": "create_charge",
                        "requestBody": {
                            "amount": 1358,
                            "currency": "usd",
                            "source": "$response.body#/id",
                            "capture": False,
                        },
                    },
                },
            ),
        ),
        route(
            "/assets/keys.json",
            tokens.keys_json,
            "GET",
            auth="none",
            doc=Operation(
                "The RSA public key that encrypts card numbers (encrypted_pan)",
                "Tokens",
                "checkout",
                "https://docs.clover.com/dev/docs/ecommerce-generating-a-card-token",
                response="CardKeys",
            ),
        ),
    ]
