"""The scripted tour: every flow the lessons teach, as exchanges in the format of
tests/contract/pages/README.md, each flow citing the Clover page its requests follow.

A flow that needs something a test merchant may not have (gift cards, ACH, recurring,
3-D Secure, an OAuth app) names it in `needs`; `python -m helpers.sandbox compare --with`
says which the merchant has, and the others are reported as not run, with why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from helpers.sandbox.openapi.examples import ACH_EXAMPLE  # create-an-ach-token's example

DOCS = "https://docs.clover.com/docs/"

NEEDS = {
    "gift_cards": "gift cards enabled on the test merchant (ask Clover's developer support)",
    "ach": "ACH enabled on the test merchant (ask Clover's developer support)",
    "recurring": "the Recurring payments (plans and subscriptions) app on the test merchant",
    "threeds": "3-D Secure enabled on the test merchant",
    "oauth": "an OAuth app (CLOVER_APP_ID, CLOVER_APP_SECRET) whose consent the tour can "
    "get without a browser: only a local sandbox grants it so",
}

# Differences every flow may show that the kit chose on purpose.
KIT_CHOICES = {
    "headers.idempotent-replayed": "the replay header is the kit's; see docs/choices.md#general",
}


@dataclass(frozen=True)
class Flow:
    name: str
    page: str
    exchanges: list[dict[str, Any]]
    needs: str | None = None


def _step(
    name: str,
    method: str,
    path: str,
    body: Any = None,
    auth: str = "private_key",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    request: dict[str, Any] = {"method": method, "path": path, "auth": auth}
    if path.startswith(("/recurring/", "/invoicingcheckoutservice/")):
        # these hosts ask which merchant (hosted checkout and recurring pages' samples)
        headers = {"X-Clover-Merchant-Id": "{{merchant:merchant_id}}", **(headers or {})}
    if headers:
        request["headers"] = headers
    if body is not None:
        request["body"] = body
    return {"name": name, "request": request}


def _card(number: str, brand: str = "VISA", cvv: str = "123") -> dict[str, Any]:
    return {
        "card": {
            "number": f"{{{{card:{number}}}}}",
            "exp_month": "12",
            "exp_year": "2030",
            "cvv": cvv,
            "brand": brand,
        }
    }


def _token(
    number: str = "4242424242424242", brand: str = "VISA", name: str = "", **extra: Any
) -> dict[str, Any]:
    body = {**_card(number, brand, "1234" if brand == "AMEX" else "123"), **extra}
    return _step(name or f"tokenize {brand}", "POST", "/v1/tokens", body, "apikey")


def _charge(
    name: str, source: str, amount: int = 1358, headers: dict[str, str] | None = None, **extra: Any
) -> dict[str, Any]:
    body = {"amount": amount, "currency": "usd", "source": source, **extra}
    return _step(name, "POST", "/v1/charges", body, headers=headers)


REPLAY_KEY = {"idempotency-key": "tour-{{answer:0.id}}"}  # the token's id: new on each run


ITEMS = [
    {"amount": 1800, "currency": "usd", "description": "Tour item", "quantity": 1, "type": "sku"}
]
STORED_FIRST = {"sequence": "FIRST", "is_scheduled": False, "initiator": "CARDHOLDER"}
BROWSER = {
    "browser_ip": "203.0.113.7",
    "browser_accept_header": "*/*",
    "browser_javascript_enabled": True,
    "browser_screen_width": "1792",
    "browser_screen_height": "1120",
    "browser_tz": "420",
    "browser_user_agent": "Mozilla/5.0 (kit compare tour)",
    "browser_color_depth": "24",
    "browser_language": "en-US",
    "browser_java_enabled": False,
    "browser_http_origin": "https://shop.example",
}
# Clover's decline test cards (https://docs.clover.com/docs/test-card-numbers, "Simulate
# declines"), and its card for partial approvals, which the same page says "will be
# declined" because "the Ecommerce API declines partial auth transactions".
DECLINE_CARDS = (
    ("4005571702222222", "VISA"),
    ("375987654000004", "AMEX"),
    ("5424180273333333", "MC"),
    ("4264281511117771", "VISA"),
    ("4005578003333335", "VISA"),
)
DECLINE = {  # an exchange's `choices`, as in tests/contract/pages/README.md
    "HTTP status": "Clover's pages list declines under 402 and 400; the kit answers 402; "
    "see docs/choices.md#general",
    **dict.fromkeys(
        ("error.declineCode", "error.decline_code"),
        "the sandbox answers both spellings (Clover's documents and plugins disagree); "
        "see docs/choices.md#general",
    ),
}


def _declined(index: int, number: str, brand: str) -> list[dict[str, Any]]:
    """Tokenize a decline card (exchange 2*index), then charge it."""
    name = f"{brand} ending {number[-4:]}"
    charge = _charge(f"charge the {name}", f"{{{{answer:{2 * index}.id}}}}", 1000)
    return [_token(number, brand, f"tokenize the {name}"), {**charge, "choices": DECLINE}]


REDIRECT = "https%3A%2F%2Fpinewood-shop.example%2Foauth_callback"

TOUR: list[Flow] = [
    Flow(
        "card tokens",
        DOCS + "create-a-card-token",
        [
            _token(),
            _token("6011361000006668", "DISCOVER"),
            _token(name="tokenize a multi-pay card", multipay=True),
        ],
    ),
    Flow(
        "charge, captured at once",
        DOCS + "ecommerce-accepting-payments",
        [
            _token(),
            _charge("charge the token", "{{answer:0.id}}"),
            _step("read the charge", "GET", "/v1/charges/{{answer:1.id}}"),
        ],
    ),
    Flow(
        "authorize, then capture",
        DOCS + "capture-a-charge-tutorial",
        [
            _token(),
            _charge("authorize only", "{{answer:0.id}}", 1000, capture=False),
            _step("capture less", "POST", "/v1/charges/{{answer:1.id}}/capture", {"amount": 900}),
        ],
    ),
    Flow(
        "void an authorization",
        DOCS + "ecommerce-refunding-payments",
        [
            _token(),
            _charge("authorize only", "{{answer:0.id}}", 1000, capture=False),
            _step(
                "refund the uncaptured charge", "POST", "/v1/refunds", {"charge": "{{answer:1.id}}"}
            ),
        ],
    ),
    Flow(
        "refunds",
        DOCS + "ecommerce-refunding-payments",
        [
            _token(),
            _charge("charge", "{{answer:0.id}}", 1800),
            _step(
                "refund part", "POST", "/v1/refunds", {"charge": "{{answer:1.id}}", "amount": 500}
            ),
            _step("refund the rest", "POST", "/v1/refunds", {"charge": "{{answer:1.id}}"}),
            _step("read a refund", "GET", "/v1/refunds/{{answer:2.id}}"),
            _step(
                "refund too much", "POST", "/v1/refunds", {"charge": "{{answer:1.id}}", "amount": 1}
            ),
        ],
    ),
    Flow(
        "Clover's decline cards",
        DOCS + "test-card-numbers",
        [step for index, card in enumerate(DECLINE_CARDS) for step in _declined(index, *card)],
    ),
    Flow(
        "errors",
        DOCS + "ecommerce-error-codes",
        [
            _step(
                "a short CVV", "POST", "/v1/tokens", _card("4242424242424242", cvv="12"), "apikey"
            ),
            _step(
                "a number that fails Luhn",
                "POST",
                "/v1/tokens",
                _card("4242424242424241"),
                "apikey",
            ),
            _step("a charge that does not exist", "GET", "/v1/charges/NOSUCHCHARGE1"),
            _step(
                "a wrong private key",
                "GET",
                "/v1/charges",
                auth="none",
                headers={"authorization": "Bearer nokey"},
            ),
        ],
    ),
    Flow(
        "idempotent replay",
        DOCS + "ecommerce-accepting-payments",
        [
            _token(),
            _charge("charge with a key", "{{answer:0.id}}", headers=REPLAY_KEY),
            _charge("the same request again", "{{answer:0.id}}", headers=REPLAY_KEY),
        ],
    ),
    Flow(
        "customer and card on file",
        DOCS + "ecommerce-saving-card",
        [
            _token(),
            _step(
                "save the card",
                "POST",
                "/v1/customers",
                {
                    "ecomind": "ecom",
                    "email": "ada@example.com",
                    "name": "Ada Lovelace",
                    "source": "{{answer:0.id}}",
                },
            ),
            _charge(
                "charge the saved card", "{{answer:1.id}}", 2300, stored_credentials=STORED_FIRST
            ),
            _step("read the customer", "GET", "/v1/customers/{{answer:1.id}}"),
        ],
    ),
    Flow(
        "an order and its payment",
        DOCS + "ecommerce-accepting-payments",
        [
            _step(
                "create an order",
                "POST",
                "/v1/orders",
                {"currency": "usd", "email": "ada@example.com", "items": ITEMS},
            ),
            _token(),
            _step(
                "pay the order",
                "POST",
                "/v1/orders/{{answer:0.id}}/pay",
                {"ecomind": "ecom", "source": "{{answer:1.id}}"},
            ),
            _step("read the order", "GET", "/v1/orders/{{answer:0.id}}"),
            _step(
                "return its item",
                "POST",
                "/v1/orders/{{answer:0.id}}/returns",
                {
                    "items": [
                        {
                            "parent": "{{answer:0.items.0.parent}}",
                            "amount": 1800,
                            "description": "Tour item",
                            "quantity": 1,
                            "type": "sku",
                        }
                    ]
                },
            ),
        ],
    ),
    Flow(
        "Hosted Checkout session",
        DOCS + "testing-your-hosted-checkout-integration-macoslinux",
        [
            _step(
                "create a checkout session",
                "POST",
                "/invoicingcheckoutservice/v1/checkouts",
                {
                    "customer": {
                        "email": "ada@example.com",
                        "firstName": "Ada",
                        "lastName": "Lovelace",
                        "phoneNumber": "555-555-0002",
                    },
                    "shoppingCart": {"lineItems": [{"name": "Apple", "unitQty": 1, "price": 100}]},
                },
            )
        ],
    ),
    Flow(
        "PAKMS",
        DOCS + "ecommerce-generating-a-card-token",
        [
            _step(
                "get the merchant's apiAccessKey",
                "GET",
                "/pakms/apikey",
                headers={"accept": "application/json"},
            )
        ],
    ),
    Flow(
        "OAuth, then refresh",
        DOCS + "refresh-access-tokens",
        [
            _step(
                "authorize",
                "GET",
                f"/oauth/v2/authorize?client_id={{{{merchant:app_id}}}}&merchant_id={{{{merchant:merchant_id}}}}&redirect_uri={REDIRECT}",
                auth="none",
            ),
            _step(
                "exchange the code",
                "POST",
                "/oauth/v2/token",
                {
                    "client_id": "{{merchant:app_id}}",
                    "client_secret": "{{merchant:app_secret}}",
                    "code": "{{location:0.code}}",
                },
                auth="none",
            ),
            _step(
                "refresh",
                "POST",
                "/oauth/v2/refresh",
                {"client_id": "{{merchant:app_id}}", "refresh_token": "{{answer:1.refresh_token}}"},
                auth="none",
            ),
        ],
        needs="oauth",
    ),
    Flow(
        "gift card",
        DOCS + "gift-card-api",
        [
            _step(
                "tokenize a gift card",
                "POST",
                "/v1/tokens",
                {"gift_card": {"number": "7777010000000001"}},
                "apikey",
            ),
            _step("balance inquiry", "POST", "/v1/balance_inquiry", {"source": "{{answer:0.id}}"}),
        ],
        needs="gift_cards",
    ),
    Flow(
        "ACH",
        DOCS + "create-an-ach-token",
        [
            _step("tokenize a bank account", "POST", "/v1/tokens", ACH_EXAMPLE, "apikey"),
            _charge("charge the account", "{{answer:0.id}}", 2500),
        ],
        needs="ach",
    ),
    Flow(
        "plans and subscriptions",
        DOCS + "working-with-recurring-payments-and-subscriptions",
        [
            _step(
                "create a plan",
                "POST",
                "/recurring/v1/plans",
                {"name": "Tour plan", "amount": 1000, "interval": "MONTH", "intervalCount": 1},
            ),
            _step("read the plan", "GET", "/recurring/v1/plans/{{answer:0.id}}"),
            _token(),
            _step(
                "a customer",
                "POST",
                "/v1/customers",
                {
                    "email": "ada@example.com",
                    "firstName": "Ada",
                    "lastName": "Lovelace",
                    "source": "{{answer:2.id}}",
                },
            ),
            _step(
                "subscribe",
                "POST",
                "/recurring/v1/plans/{{answer:0.id}}/subscriptions",
                {"customerId": "{{answer:3.id}}", "collectionMethod": "CHARGE_AUTOMATICALLY"},
            ),
            _step("read the subscription", "GET", "/recurring/v1/subscriptions/{{answer:4.id}}"),
        ],
        needs="recurring",
    ),
    Flow(
        "3-D Secure",
        DOCS + "3ds-secure-configure-sdk",
        [
            _step(
                "tokenize a 3-D Secure test card, with the cardholder's name",
                "POST",
                "/v1/tokens",
                {"card": {**_card("4001230000000129")["card"], "name": "Ada Lovelace"}},
                "apikey",
            ),
            _charge(
                "charge with 3-D Secure",
                "{{answer:0.id}}",
                1000,
                receipt_email="ada@example.com",
                threeds={"source": "CLOVER", "browser_info": BROWSER},
            ),
        ],
        needs="threeds",
    ),
]


def step_count(flows: list[Flow] = TOUR) -> int:
    return sum(len(flow.exchanges) for flow in flows)
