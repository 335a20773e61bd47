"""The sandbox's ASGI app: every Clover host's paths, served from one origin.

The route table below is the map of the sandbox. Every route is a plain handler wrapped by
`endpoint()` (core/http.py) with the auth it declares: `bearer` or `apikey` for Clover's
API, `none` where the request proves itself (OAuth, the checkout link, pages), `local` for
the local-only controls. Handlers raise `ApiError`; the app renders it, once, below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.staticfiles import StaticFiles

from helpers import card_rules
from helpers.sandbox.core.errors import (
    ApiError,
    http_status,
    method_not_allowed,
    unexpected,
    unknown_url,
)
from helpers.sandbox.core.http import Auth, Call, Handler, api_error, endpoint, error_response
from helpers.sandbox.core.state import SandboxState
from helpers.sandbox.core.store import Store
from helpers.sandbox.local import controls, demo
from helpers.sandbox.local.clock_header import ClockHeader
from helpers.sandbox.local.faults import quiet_dropped_connections
from helpers.sandbox.local.guard import Addresses, LocalGuard, Refusals
from helpers.sandbox.openapi import explorer
from helpers.sandbox.openapi.examples import ACH_EXAMPLE, APPLE_PAY_EXAMPLE, THREEDS_VARIANTS
from helpers.sandbox.openapi.operation import Operation, SandboxRoute
from helpers.sandbox.pages import STATIC
from helpers.sandbox.pages.render import NOT_FRAMED, render
from helpers.sandbox.resources.ach import model as ach_model
from helpers.sandbox.resources.app_webhooks import routes as app_webhooks
from helpers.sandbox.resources.charges import routes as charges
from helpers.sandbox.resources.customers import routes as customers
from helpers.sandbox.resources.gift_cards import routes as gift_cards
from helpers.sandbox.resources.hosted_checkout import routes as hosted_checkout
from helpers.sandbox.resources.oauth import routes as oauth
from helpers.sandbox.resources.orders import routes as orders
from helpers.sandbox.resources.pakms import routes as pakms
from helpers.sandbox.resources.recurring import routes as recurring
from helpers.sandbox.resources.refunds import routes as refunds
from helpers.sandbox.resources.threeds import model as threeds_model
from helpers.sandbox.resources.threeds import routes as threeds
from helpers.sandbox.resources.tokens import routes as tokens
from helpers.sandbox.resources.wallet import apple_pay
from helpers.sandbox.resources.wallet import routes as wallet

# The card field holds the number: it loads nothing but its own script and style and talks
# only to its own origin. Framing stays open, since every merchant page embeds it.
FIELD_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
)


def _static_file(name: str, media_type: str, doc: Operation | None = None) -> Route:
    headers = {"cache-control": "no-cache"}

    def serve(call: Call) -> Response:
        return FileResponse(STATIC / name, media_type=media_type, headers=headers)

    serve.__name__ = f"get_{name.replace('.', '_')}"
    return route(f"/{name}", serve, "GET", auth="none", doc=doc)


def card_field(call: Call) -> Response:
    """`GET /widget.html`: one card field of the iframe SDK, with the card rules it checks
    (helpers/card_rules.py, the tokenizer's own) written in as data."""
    headers = {"cache-control": "no-cache", "content-security-policy": FIELD_CSP}
    return render("widget.html", headers=headers, card_rules=card_rules.as_json())


def ach_form(call: Call) -> Response:
    """`GET /ach.html`: the iframe's ACH_ELEMENTS form, with Clover's sandbox agreement id."""
    headers = {"cache-control": "no-cache", "content-security-policy": FIELD_CSP}
    return render("ach_form.html", headers=headers, agreement=ach_model.SANDBOX_AGREEMENT)


def wallet_button(call: Call) -> Response:
    """`GET /wallet.html`: the iframe's PAYMENT_REQUEST_BUTTON."""
    headers = {"cache-control": "no-cache", "content-security-policy": FIELD_CSP}
    return render("wallet_button.html", headers=headers)


def home(call: Call) -> Response:
    return render("home.html", headers=NOT_FRAMED)


def route(
    path: str,
    handler: Handler,
    *methods: str,
    auth: Auth = "bearer",
    parse_json: bool = True,
    doc: Operation | None = None,
    unit: bool = True,
) -> Route:
    """One line of the map: a path, its handler, its methods and the auth it declares; with
    `doc`, its operation in the OpenAPI document (`GET /openapi.json`, openapi/)."""
    wrapped = endpoint(handler, auth=auth, parse_json=parse_json, unit=unit)
    return SandboxRoute(path, wrapped, methods=list(methods), handler=handler, auth=auth, doc=doc)


REF = "https://docs.clover.com/reference/"
CARD_EXAMPLE = {
    "card": {
        "number": "4242424242424242",
        "exp_month": "12",
        "exp_year": "2030",
        "cvv": "123",
        "brand": "VISA",
    }
}
GIFT_CARDS = "https://docs.clover.com/docs/gift-card-api"
RECURRING = "https://docs.clover.com/docs/recurring-apis-subscriptions"
PLAN_SEARCH = ("active", "name", "interval", "intervalCount", "sort", "limit", "offset")
THREEDS = "https://docs.clover.com/dev/docs/configure-3d-secure-sdk-with-iframe-and-api-integration"
THREEDS_FLOW = "https://docs.clover.com/docs/3ds-secure-configure-sdk"
GIFT_SOURCE = {"source": "clv_..."}
PAGES = ("limit", "offset")
MERCHANT = ("x-clover-merchant-id",)


def _recurring(summary: str, reference: str = RECURRING, **more: Any) -> Operation:
    """A recurring payments operation: api host, the merchant named in its header."""
    return Operation(summary, "Recurring", "api", reference, headers=MERCHANT, **more)


def _by_id(name: str, *operations: str) -> dict[str, dict[str, Any]]:
    """Links from an answer's `id` to the operations that take it as `name`."""
    return {
        op: {"operationId": op, "parameters": {name: "$response.body#/id"}} for op in operations
    }


LIST: tuple[str, ...] = ("limit", "starting_after", "ending_before", "created", "created.gt")
LIST = (*LIST, "created.gte", "created.lt", "created.lte")  # docs: get-charges


def routes() -> list[BaseRoute]:
    return [
        route("/", home, "GET", auth="none"),
        # OAuth v2 (www and api hosts)
        route(
            "/oauth/v2/authorize",
            oauth.authorize,
            "GET",
            auth="none",
            doc=Operation(
                "Ask the merchant to install the app (the consent page, or a redirect)",
                "OAuth",
                "oauth",
                "https://docs.clover.com/dev/docs/use-oauth-2-0",
                media="text/html",
                query=("client_id", "redirect_uri", "merchant_id", "state", "code_challenge"),
            ),
        ),
        route(
            "/oauth/v2/authorize",
            oauth.consent,
            "POST",
            auth="none",
            parse_json=False,
            doc=Operation(
                "The consent page's form: Allow or Deny (a browser posts it; redirects)",
                "OAuth",
                "oauth",
                "https://docs.clover.com/dev/docs/use-oauth-2-0",
                media="text/html",
            ),
        ),
        route(
            "/oauth/v2/token",
            oauth.exchange_code,
            "POST",
            auth="none",
            doc=Operation(
                "Exchange an authorization code for an access and refresh token",
                "OAuth",
                "api",
                "https://docs.clover.com/dev/docs/use-oauth-2-0",
                body=oauth.exchange_request,
                example={"client_id": "KTAPPDEM0A1B2", "code": "CODE", "client_secret": "SECRET"},
                response="OAuthTokens",
                query=("no_refresh_token",),  # docs: refresh-access-tokens
            ),
        ),
        route(
            "/oauth/v2/refresh",
            oauth.refresh,
            "POST",
            auth="none",
            doc=Operation(
                "Exchange a refresh token for a new token pair",
                "OAuth",
                "api",
                "https://docs.clover.com/dev/docs/refresh-access-tokens",
                body=oauth.refresh_request,
                example={"client_id": "KTAPPDEM0A1B2", "refresh_token": "REFRESH_TOKEN"},
                response="OAuthTokens",
            ),
        ),
        # Ecommerce API (scl host)
        route(
            "/pakms/apikey",
            pakms.get_apikey,
            "GET",
            doc=Operation(
                "The merchant's public key for the tokenizer (PAKMS)",
                "Tokens",
                "ecommerce",
                REF + "getapikey",
                response="ApiKey",
            ),
        ),
        route(
            "/v1/charges",
            charges.create_charge,
            "POST",
            doc=Operation(
                "Create a charge: a sale, or an authorization with capture false (a card, "
                "gift card or ACH token; 3-D Secure in threeds)",
                "Charges",
                "ecommerce",
                REF + "createcharge",
                body=charges.model.charge_request,
                example={"amount": 1358, "currency": "usd", "source": "clv_...", "capture": False},
                variants=THREEDS_VARIANTS,
                response="Charge",
                headers=("x-forwarded-for",),
                links={
                    "capture": {
                        "operationId": "capture_charge",
                        "parameters": {"charge_id": "$response.body#/id"},
                    },
                    "refund": {
                        "operationId": "create_refund",
                        "requestBody": {"charge": "$response.body#/id"},
                    },
                    "read": {
                        "operationId": "get_charge",
                        "parameters": {"charge_id": "$response.body#/id"},
                    },
                },
            ),
        ),
        route(
            "/v1/charges",
            charges.list_charges,
            "GET",
            doc=Operation(
                "List charges, newest first",
                "Charges",
                "ecommerce",
                REF + "listcharges",
                response="ChargeList",
                query=(*LIST, "customer", "is_threeds", "threeds_validation_result"),
            ),
        ),
        route(
            "/v1/charges/finalize_payment",
            charges.finalize_payment,
            "POST",
            doc=Operation(
                "Finalize a 3-D Secure payment after its method flow or challenge: success, "
                "a decline (402), or after a method flow a challenge",
                "Charges",
                "ecommerce",
                THREEDS_FLOW,
                body=threeds_model.finalize_request,
                example={
                    "charge_id": "ABC123DEF4567",
                    "threeds": {"source": "CLOVER", "flow_status": "Y"},
                },
                response="Charge",
            ),
        ),
        route(
            "/v1/charges/{charge_id}",
            charges.get_charge,
            "GET",
            doc=Operation(
                "Read a charge", "Charges", "ecommerce", REF + "getcharge", response="Charge"
            ),
        ),
        route(
            "/v1/charges/{charge_id}/capture",
            charges.capture_charge,
            "POST",
            doc=Operation(
                "Capture an authorization, all of it or part",
                "Charges",
                "ecommerce",
                REF + "capturecharge",
                body=charges.capture_request,
                example={},
                response="Charge",
                links={
                    "refund": {
                        "operationId": "create_refund",
                        "requestBody": {"charge": "$response.body#/id"},
                    }
                },
            ),
        ),
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
        route(
            "/v1/refunds",
            refunds.create_refund,
            "POST",
            doc=Operation(
                "Refund a captured charge, or void an authorization",
                "Refunds",
                "ecommerce",
                REF + "createrefund",
                body=refunds.refund_request,
                example={"charge": "CHARGE_ID"},
                response="Refund",
                links={
                    "read": {
                        "operationId": "get_refund",
                        "parameters": {"refund_id": "$response.body#/id"},
                    }
                },
            ),
        ),
        route(
            "/v1/refunds",
            refunds.list_refunds,
            "GET",
            doc=Operation(
                "List refunds, newest first",
                "Refunds",
                "ecommerce",
                REF + "listrefunds",
                response="RefundList",
                query=(*LIST, "charge"),
            ),
        ),
        route(
            "/v1/refunds/{refund_id}",
            refunds.get_refund,
            "GET",
            doc=Operation(
                "Read a refund", "Refunds", "ecommerce", REF + "getrefund", response="Refund"
            ),
        ),
        route(
            "/v1/customers",
            customers.create_customer,
            "POST",
            doc=Operation(
                "Save a card on file: a customer with the card of a token",
                "Customers",
                "ecommerce",
                REF + "createcustomer",
                body=customers.create_request,
                example={"source": "clv_...", "email": "learner@example.com"},
                response="Customer",
                links={
                    name: {"operationId": name, "parameters": {"customer_id": "$response.body#/id"}}
                    for name in ("get_customer", "update_customer")
                },
            ),
        ),
        route(
            "/v1/customers/{customer_id}",
            customers.get_customer,
            "GET",
            doc=Operation(
                "Read a customer",
                "Customers",
                "ecommerce",
                REF + "getcustomer",
                response="Customer",
            ),
        ),
        route(
            "/v1/customers/{customer_id}",
            customers.update_customer,
            "PUT",
            doc=Operation(
                "Update a customer's details, or add a card",
                "Customers",
                "ecommerce",
                REF + "updatecustomer",
                body=customers.update_request,
                example={"firstName": "Ada"},
                response="Customer",
            ),
        ),
        route(
            "/v1/customers/{customer_id}/sources/{card_id}",
            customers.delete_source,
            "DELETE",
            doc=Operation(
                "Revoke a card on file",
                "Customers",
                "ecommerce",
                REF + "revokecard",
                response="DeletedCard",
            ),
        ),
        route(
            "/v1/orders",
            orders.create_order,
            "POST",
            doc=Operation(
                "Create an order of items",
                "Orders",
                "ecommerce",
                REF + "postorders",
                body=orders.order_request,
                example={"currency": "usd", "items": [{"amount": 1358, "description": "Mug"}]},
                response="Order",
                links={
                    name: {"operationId": name, "parameters": {"order_id": "$response.body#/id"}}
                    for name in ("get_order", "pay_order", "return_order")
                },
            ),
        ),
        route(
            "/v1/orders",
            orders.list_orders,
            "GET",
            doc=Operation(
                "List orders, newest first",
                "Orders",
                "ecommerce",
                REF + "getorders",
                response="OrderList",
                query=(*LIST, "customer", "status"),
            ),
        ),
        route(
            "/v1/orders/{order_id}",
            orders.get_order,
            "GET",
            doc=Operation(
                "Read an order", "Orders", "ecommerce", REF + "getorder", response="Order"
            ),
        ),
        route(
            "/v1/orders/{order_id}/pay",
            orders.pay_order,
            "POST",
            doc=Operation(
                "Pay an order (all that is left, or part) with a token or a customer's card; "
                "3-D Secure in threeds (dev/docs/add-3ds-to-pay-for-an-order)",
                "Orders",
                "ecommerce",
                REF + "postordersidpay",
                body=orders.pay_request,
                example={"source": "clv_..."},
                variants=tuple(
                    {"source": "clv_...", "threeds": v["threeds"]} for v in THREEDS_VARIANTS
                ),
                response="Order",
                headers=("x-forwarded-for",),
            ),
        ),
        route(
            "/v1/orders/{order_id}/returns",
            orders.return_order,
            "POST",
            doc=Operation(
                "Return an order, or some of its items",
                "Orders",
                "ecommerce",
                REF + "postordersidreturns",
                body=orders.return_request,
                example={
                    "items": [
                        {"parent": "ITEM_PARENT_ID", "amount": 1250, "type": "sku", "quantity": 1}
                    ]
                },
                response="Order",
            ),
        ),
        # Recurring payments: plans, subscriptions and their invoices (api host)
        route(
            "/recurring/v1/plans",
            recurring.create_plan,
            "POST",
            doc=_recurring(
                "Create a plan: what is billed, and how often",
                REF + "create",
                body=recurring.plan_request,
                example={
                    "name": "Coffee club",
                    "amount": 2500,
                    "interval": "MONTH",
                    "intervalCount": 1,
                },
                response="Plan",
                links=_by_id(
                    "plan_id",
                    "create_subscription",
                    "get_plan",
                    "update_plan",
                    "list_plan_subscriptions",
                ),
            ),
        ),
        route(
            "/recurring/v1/plans",
            recurring.list_plans,
            "GET",
            doc=_recurring(
                "List plans (a JSON array), filtered, sorted by name",
                "https://docs.clover.com/dev/reference/getplans",
                response="PlanList",
                query=PLAN_SEARCH,
            ),
        ),
        route(
            "/recurring/v1/plans/{plan_id}",
            recurring.get_plan,
            "GET",
            doc=_recurring("Read a plan", response="Plan"),
        ),
        route(
            "/recurring/v1/plans/{plan_id}",
            recurring.update_plan,
            "PUT",
            doc=_recurring(
                "Update a plan (its price reaches subscriptions without their own)",
                REF + "editplan",
                body=recurring.plan_update_request,
                example={"amount": 2700},
                response="Plan",
            ),
        ),
        route(
            "/recurring/v1/plans/{plan_id}",
            recurring.delete_plan,
            "DELETE",
            doc=_recurring("Delete a plan with no active subscription", response="Plan"),
        ),
        route(
            "/recurring/v1/plans/{plan_id}/subscriptions",
            recurring.create_subscription,
            "POST",
            doc=_recurring(
                "Subscribe a customer with a card on file to a plan",
                REF + "createsubscription",
                body=recurring.subscription_request,
                example={"customerId": "CUSTOMER_ID", "collectionMethod": "CHARGE_AUTOMATICALLY"},
                response="Subscription",
                links=_by_id(
                    "subscription_id",
                    "get_subscription",
                    "update_subscription",
                    "cancel_subscription",
                    "list_invoices",
                ),
            ),
        ),
        route(
            "/recurring/v1/plans/{plan_id}/subscriptions",
            recurring.list_plan_subscriptions,
            "GET",
            doc=_recurring(
                "List a plan's subscriptions (a JSON array), newest first",
                response="SubscriptionList",
                query=PAGES,
            ),
        ),
        route(
            "/recurring/v1/subscriptions",
            recurring.list_subscriptions,
            "GET",
            doc=_recurring(
                "List subscriptions (a JSON array), newest first",
                response="SubscriptionList",
                query=PAGES,
            ),
        ),
        route(
            "/recurring/v1/subscriptions/{subscription_id}",
            recurring.get_subscription,
            "GET",
            doc=_recurring("Read a subscription", response="Subscription"),
        ),
        route(
            "/recurring/v1/subscriptions/{subscription_id}",
            recurring.update_subscription,
            "PUT",
            doc=_recurring(
                "Update a subscription: its amount, note, tax rates, start date (before it "
                "starts), end date; cancel it with active false",
                body=recurring.subscription_update_request,
                example={"note": "This is a revised note"},
                response="Subscription",
            ),
        ),
        route(
            "/recurring/v1/subscriptions/{subscription_id}",
            recurring.cancel_subscription,
            "DELETE",
            doc=_recurring(
                "Delete a subscription: as PUT active false; it stays readable with a "
                "deletedTime, and bills nothing more",
                response="Subscription",
            ),
        ),
        route(
            "/recurring/v1/subscriptions/{subscription_id}/invoices",
            recurring.list_invoices,
            "GET",
            doc=_recurring(
                "List a subscription's invoices and the charges that paid them",
                response="InvoiceList",
                query=PAGES,
            ),
        ),
        # Hosted Checkout (api host), and the payment page it links to
        route(
            "/invoicingcheckoutservice/v1/checkouts",
            hosted_checkout.create_checkout,
            "POST",
            doc=Operation(
                "Create a Hosted Checkout session",
                "Hosted Checkout",
                "api",
                "https://docs.clover.com/dev/docs/creating-a-hosted-checkout-session",
                body=hosted_checkout.checkout_request,
                example={
                    "customer": {
                        "firstName": "Ada",
                        "lastName": "Lovelace",
                        "email": "ada@example.com",
                        "phoneNumber": "555-555-0002",
                    },
                    "shoppingCart": {"lineItems": [{"name": "Mug", "price": 1358}]},
                },
                response="CheckoutSession",
                headers=("x-clover-merchant-id",),
            ),
        ),
        route(
            "/checkout/{session_id}",
            hosted_checkout.page,
            "GET",
            auth="none",
            doc=Operation(
                "The shopper's payment page of a session (HTML)",
                "Hosted Checkout",
                "checkout",
                "https://docs.clover.com/dev/docs/creating-a-hosted-checkout-session",
                media="text/html",
            ),
        ),
        route(
            "/checkout/{session_id}",
            hosted_checkout.submit,
            "POST",
            auth="none",
            parse_json=False,
            doc=Operation(
                "The payment page's form: pay or cancel (a browser posts it; redirects)",
                "Hosted Checkout",
                "checkout",
                "https://docs.clover.com/dev/docs/creating-a-hosted-checkout-session",
                media="text/html",
            ),
        ),
        # Tokenizer (token host)
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
        # iframe SDK (checkout host)
        _static_file(
            "sdk.js",
            "application/javascript",
            Operation(
                "The iframe SDK's script (Clover.js)",
                "iframe SDK",
                "checkout",
                "https://docs.clover.com/dev/docs/using-the-clover-hosted-iframe",
                media="application/javascript",
            ),
        ),
        route(
            "/widget.html",
            card_field,
            "GET",
            auth="none",
            doc=Operation(
                "One card field of the iframe SDK (HTML)",
                "iframe SDK",
                "checkout",
                "https://docs.clover.com/dev/docs/using-the-clover-hosted-iframe",
                media="text/html",
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
        # 3-D Secure script (checkout host) and the issuer's challenge page it frames
        _static_file(
            "clover3DS/clover3DS-sdk.js",
            "application/javascript",
            Operation(
                "The 3-D Secure script (browser info, and the challenge frame)",
                "3-D Secure",
                "checkout",
                THREEDS,
                media="application/javascript",
            ),
        ),
        route(
            "/clover3DS/method-notification",
            threeds.method_notification,
            "POST",
            auth="none",
            parse_json=False,
            doc=Operation(
                "Clover's method notification: the issuer's method flow is done (HTML, in the "
                "script's hidden frame)",
                "3-D Secure",
                "checkout",
                THREEDS_FLOW,
                media="text/html",
            ),
        ),
        route(
            "/threeds/method",
            threeds.method_page,
            "POST",
            auth="none",
            parse_json=False,
            doc=Operation(
                "The issuer's method URL (local stand-in): threeDSMethodData in, on to the "
                "notification URL (HTML, hidden frame)",
                "3-D Secure",
                "checkout",
                THREEDS_FLOW,
                media="text/html",
            ),
        ),
        route(
            "/threeds/acs",
            threeds.acs_page,
            "GET",
            auth="none",
            doc=Operation(
                "The issuer's challenge page (local stand-in ACS) for a creq (HTML)",
                "3-D Secure",
                "checkout",
                THREEDS_FLOW,
                media="text/html",
            ),
        ),
        route(
            "/threeds/acs",
            threeds.answer_acs,
            "POST",
            auth="none",
            parse_json=False,
            doc=Operation(
                "The issuer's challenge page (local stand-in ACS): the script's creq, then the "
                "shopper's code or Cancel (HTML, framed by the script)",
                "3-D Secure",
                "checkout",
                THREEDS_FLOW,
                media="text/html",
            ),
        ),
        route(
            "/ach.html",
            ach_form,
            "GET",
            auth="none",
            doc=Operation(
                "The iframe's ACH form, ACH_ELEMENTS (HTML)",
                "iframe SDK",
                "checkout",
                "https://docs.clover.com/dev/docs/iframe-customize-ach-elements-with-css",
                media="text/html",
            ),
        ),
        route(
            "/wallet.html",
            wallet_button,
            "GET",
            auth="none",
            doc=Operation(
                "The iframe's wallet button, PAYMENT_REQUEST_BUTTON (HTML)",
                "iframe SDK",
                "checkout",
                "https://docs.clover.com/dev/docs/clover-iframe-features-apple-pay",
                media="text/html",
            ),
        ),
        # Apple Pay's domain-verification path (a placeholder here; see wallet/routes.py)
        route(
            "/.well-known/apple-developer-merchantid-domain-association",
            wallet.domain_association,
            "GET",
            auth="none",
            doc=Operation(
                "Apple Pay's domain-verification file (a placeholder: a shop hosts its own)",
                "iframe SDK",
                "checkout",
                "https://docs.clover.com/dev/docs/clover-iframe-features-apple-pay",
                media="text/plain",
            ),
        ),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        # This map, as OpenAPI 3.1, and the explorer page that shows it (local)
        route("/openapi.json", explorer.document, "GET", auth="none"),
        route("/explorer", explorer.page, "GET", auth="none"),
        Mount("/explorer/assets", StaticFiles(directory=explorer.ASSETS), name="explorer"),
        # Local-only control API
        route("/_sandbox/merchants", controls.merchants, "GET", "POST", auth="local"),
        route("/_sandbox/reset", controls.reset, "POST", auth="local"),
        route("/_sandbox/health", controls.health, "GET", auth="local"),
        route("/_sandbox/webhooks", controls.webhook_settings, "GET", "POST", auth="local"),
        route("/_sandbox/webhooks/deliveries", controls.webhook_deliveries, "GET", auth="local"),
        route("/_sandbox/checkout", controls.checkout, "GET", "POST", auth="local"),
        route("/_sandbox/faults", controls.faults, "GET", "POST", "DELETE", auth="local"),
        route("/_sandbox/rate-limits", controls.rate_limits, "GET", "POST", auth="local"),
        route("/_sandbox/requests", controls.requests, "GET", auth="local"),
        route("/_sandbox/app-webhooks", app_webhooks.settings, "GET", "POST", auth="local"),
        route("/_sandbox/app-webhooks/verify", app_webhooks.verify, "POST", auth="local"),
        route("/_sandbox/app-webhooks/deliveries", app_webhooks.deliveries, "GET", auth="local"),
        route("/_sandbox/app-webhooks/trigger", app_webhooks.trigger, "POST", auth="local"),
        route("/_sandbox/clock", controls.clock, "GET", "POST", auth="local", unit=False),
        route("/_sandbox/threeds", threeds.dashboard_setting, "GET", "POST", auth="local"),
        route("/_sandbox/oauth/lifetimes", controls.oauth_lifetimes, "GET", "POST", auth="local"),
        route("/_sandbox/oauth/site-urls", controls.site_urls, "GET", "POST", auth="local"),
        # The demo shop: a merchant's page and server next to the sandbox (local-only)
        route("/demo", demo.demo_index, "GET", auth="none"),
        route("/demo/checkout", demo.checkout_page, "GET", auth="none"),
        route("/demo/charge", demo.charge, "POST", auth="none", parse_json=False),
    ]


async def http_error(request: Request, exc: Exception) -> Response:
    """A path or method no route takes, in Clover's envelope."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        error = unknown_url(request.method, request.url.path)
    elif exc.status_code == 405:
        error = method_not_allowed(request.method, request.url.path, _allowed(request))
    else:
        error = http_status(exc.status_code, str(exc.detail))
    return error_response(error)


def _allowed(request: Request) -> list[str]:
    """The methods the routes of this path take, for a 405's `Allow` (RFC 9110 15.5.6)."""
    methods: set[str] = set()
    for candidate in request.app.routes:
        found, _ = candidate.matches(request.scope)
        if found is not Match.NONE:
            methods |= set(getattr(candidate, "methods", None) or ())
    return sorted(methods)


async def unforeseen(request: Request, exc: Exception) -> Response:
    """The last net, for what no `endpoint()` wraps (static files): the envelope, never a
    traceback. The server's log still gets the traceback."""
    return error_response(unexpected())


def create_app(
    seed: int | None = None,
    db: str | Path | None = None,
    *,
    public_urls: tuple[str, ...] = (),
) -> Starlette:
    """A sandbox app with its own state; `seed` makes ids, codes and times repeat.

    `public_urls` are the addresses a browser reaches it at besides loopback (default:
    `CLOVER_SANDBOX_PUBLIC_URL`); the first is the address its checkout links carry.
    Every request first passes the local guard (local/guard.py): Host, Origin, JSON controls.
    """
    addresses = Addresses.from_environment(public_urls)
    refused = Refusals()
    app = Starlette(
        routes=routes(),
        middleware=[
            Middleware(ClockHeader),
            Middleware(LocalGuard, addresses=addresses, refused=refused),
        ],
        exception_handlers={
            ApiError: api_error,
            HTTPException: http_error,
            Exception: unforeseen,
        },
    )
    app.router.redirect_slashes = False  # /v1/charges/ is not Clover's path: a 404, not a 307
    app.state.addresses = addresses
    app.state.guard_refused = refused
    app.state.sandbox = SandboxState.create(Store(seed=seed, db_path=db))
    quiet_dropped_connections()
    return app
