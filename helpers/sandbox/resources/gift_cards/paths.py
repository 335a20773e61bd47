"""Gift cards' paths (scl host), each with its OpenAPI operation; app.py gathers them."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.operation import Operation, route
from helpers.sandbox.resources.gift_cards import routes as gift_cards

GIFT_CARDS = "https://docs.clover.com/docs/gift-card-api"
GIFT_SOURCE = {"source": "clv_..."}


def routes() -> list[BaseRoute]:
    return [
        route(
            "/v1/balance_inquiry",
            gift_cards.balance_inquiry,
            "POST",
            doc=Operation(
                "A gift card token's balance (nothing changes)",
                "Gift cards",
                "ecommerce",
                GIFT_CARDS,
                body=gift_cards.source_request,
                example=GIFT_SOURCE,
                response="GiftCardBalance",
            ),
        ),
        route(
            "/v1/reload",
            gift_cards.reload,
            "POST",
            doc=Operation(
                "Add money to a gift card",
                "Gift cards",
                "ecommerce",
                GIFT_CARDS,
                body=gift_cards.reload_request,
                example={**GIFT_SOURCE, "amount": 1000, "currency": "usd"},
                response="GiftCardMovement",
            ),
        ),
        route(
            "/v1/cashout",
            gift_cards.cashout,
            "POST",
            doc=Operation(
                "Pay a gift card's whole balance out (in cash)",
                "Gift cards",
                "ecommerce",
                GIFT_CARDS,
                body=gift_cards.source_request,
                example=GIFT_SOURCE,
                response="GiftCardMovement",
            ),
        ),
        route(
            "/v1/activate",
            gift_cards.activate,
            "POST",
            doc=Operation(
                "Activate a physical gift card (source) or a new virtual one (promotion_code)",
                "Gift cards",
                "ecommerce",
                GIFT_CARDS,
                body=gift_cards.activation.activation_request,
                example={"promotion_code": "67062"},
                response="GiftCardActivation",
            ),
        ),
        route(
            "/v1/refunds/{refund_id}/cancel",
            gift_cards.cancel_refund,
            "POST",
            doc=Operation(
                "Void a refund to a gift card (its money leaves the card again)",
                "Gift cards",
                "ecommerce",
                GIFT_CARDS,
                body=gift_cards.cancel_request,
                example={"reason": "USER_CANCEL"},
                response="RefundVoid",
            ),
        ),
    ]
