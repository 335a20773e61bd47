"""The shapes of the sandbox's answers, as OpenAPI components.

Requests are described by their parsers (core/probe.py); answers are built as plain dicts
across model.py files, so their shapes are declared here once, as the few keys a client
relies on (more may appear: `additionalProperties` stays open, as Clover adds fields). They
stay true because the schemathesis run (tests/reliability/test_schemathesis.py) checks every
answer it gets against them, and tests/sandbox/test_openapi.py checks a full flow's.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]
STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
BOOLEAN: Schema = {"type": "boolean"}
OBJECT: Schema = {"type": "object"}


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


CLOVER_TIME: Schema = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$",
    "description": "As https://docs.clover.com/docs/working-with-recurring-payments-and-"
    "subscriptions writes times: 2023-09-19T10:02:59.476+0000.",
}


def _object(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _list(item: str) -> Schema:
    return _object(
        {
            "object": {"const": "list"},
            "url": STRING,
            "data": {"type": "array", "items": _ref(item)},
            "has_more": BOOLEAN,
        }
    )


def _array(item: str) -> Schema:
    """A recurring list as Clover's samples answer it: a JSON array."""
    return {"type": "array", "items": _ref(item)}


def _page(item: str) -> Schema:
    """The kit's own invoices list: paged by `offset`, so it carries no `url`."""
    return _object(
        {"object": {"const": "list"}, "data": {"type": "array", "items": _ref(item)}},
        {"has_more": BOOLEAN},
    )


CARD = _object({"brand": STRING, "first6": STRING, "last4": STRING}, {"exp_month": STRING})

COMPONENTS: dict[str, Schema] = {
    "Object": OBJECT,
    "Error": _object(
        {"message": STRING},
        {"error": _object({"type": STRING, "message": STRING}, {"code": STRING, "param": STRING})},
    ),
    "ApiKey": _object({"apiAccessKey": STRING, "merchantUuid": STRING, "active": BOOLEAN}),
    # a card token shows `card`; a gift card token `giftCard`; an ACH token `ach`
    "Token": _object(
        {"id": STRING, "object": {"const": "token"}},
        {
            "card": CARD,
            "giftCard": _object({"last4": STRING}),
            "ach": _object({"account_last4": STRING, "routing_last4": STRING}),
        },
    ),
    "Charge": _object(
        {
            "id": STRING,
            "amount": INTEGER,
            "amount_captured": INTEGER,
            "amount_refunded": INTEGER,
            "currency": STRING,
            "created": INTEGER,
            "captured": BOOLEAN,
            "paid": BOOLEAN,
            "refunded": BOOLEAN,
            "status": {"enum": ["succeeded", "failed", "pending"]},
            "order": STRING,
            # a card's brand, first6, last4; a gift card's too; an ACH account's last4s
            "source": _object({"id": STRING, "brand": STRING}),
        },
        {
            "auth_code": _nullable(STRING),
            "customer": STRING,
            "warning_message": _nullable(STRING),
            "threeds": OBJECT,
            "gift_card": OBJECT,
            "ach": OBJECT,
            # docs: ecommerce-accepting-payments
            "payment_method_details": {"enum": ["card", "ach", "giftCard"]},
            "tax_amount": INTEGER,
            "tax_rate_uuid": STRING,
            "receipt_email": STRING,
        },
    ),
    "ChargeList": _list("Charge"),
    "Refund": _object(
        {
            "id": STRING,
            "object": {"const": "refund"},
            "amount": INTEGER,
            "charge": STRING,
            "currency": STRING,
            "created": INTEGER,
            "status": STRING,
        }
    ),
    "RefundList": _list("Refund"),
    "Customer": _object(
        {"id": STRING, "object": {"const": "customer"}, "created": INTEGER},
        {"email": STRING, "sources": OBJECT},
    ),
    "DeletedCard": _object(
        {"deleted": {"const": True}, "id": STRING, "object": {"const": "deletedcard"}}
    ),
    "Order": _object(
        {
            "id": STRING,
            "object": {"const": "order"},
            "amount": INTEGER,
            "currency": STRING,
            "created": INTEGER,
            "status": STRING,
        },
        {
            # the rates' tax is an item of its own ("Sales Tax", no quantity), as in the
            # create-an-order answer of docs: ecommerce-accepting-payments
            "items": {"type": "array", "items": OBJECT},
            "amount_paid": INTEGER,
            "shipping": OBJECT,
            "ecomind": {"enum": ["ecom", "moto"]},
            "warning_message": STRING,
        },
    ),
    "OrderList": _list("Order"),
    "CheckoutSession": _object(
        {
            "href": STRING,
            "checkoutSessionId": STRING,
            "createdTime": CLOVER_TIME,
            "expirationTime": CLOVER_TIME,
        }
    ),
    "OAuthTokens": _object(
        {
            "access_token": STRING,
            "access_token_expiration": INTEGER,
            "refresh_token": STRING,
            "refresh_token_expiration": INTEGER,
        }
    ),
    "GiftCardBalance": _object(
        {
            "status": STRING,
            "gift_card": _object(
                {"previous_balance": INTEGER, "new_balance": INTEGER},
                {"expiration_date": STRING, "lock_amount": INTEGER},
            ),
        }
    ),
    "GiftCardMovement": _object(
        {
            "id": STRING,
            "amount": INTEGER,
            "status": STRING,
            "paid": BOOLEAN,
            "source": _object({"id": STRING, "last4": STRING}),
            "gift_card": _object({"previous_balance": INTEGER, "new_balance": INTEGER}),
        }
    ),
    "GiftCardActivation": _object(
        {
            "id": STRING,
            "amount": INTEGER,
            "status": STRING,
            "paid": BOOLEAN,
            "source": _object({"last4": STRING}),
            "gift_card": _object(
                {"previous_balance": INTEGER, "new_balance": INTEGER},
                {"number": STRING, "security_card_value": STRING, "expiration_date": STRING},
            ),
        }
    ),
    "RefundVoid": _object(
        {
            "id": STRING,
            "object": {"const": "void_on_refund"},
            "amount": INTEGER,
            "charge": STRING,
            "status": STRING,
            "metadata": _object({"refundType": STRING}),
            "gift_card": _object({"previous_balance": INTEGER, "new_balance": INTEGER}),
        }
    ),
    "Plan": _object(
        {
            "id": STRING,
            "object": {"const": "plan"},
            "name": STRING,
            "amount": INTEGER,
            "interval": STRING,
            "intervalCount": INTEGER,
            "active": BOOLEAN,
            "merchantId": STRING,
            "developerAppId": _nullable(STRING),
            "createdTime": CLOVER_TIME,
            "modifiedTime": CLOVER_TIME,
        },
        {
            "subscriptionCount": INTEGER,
            "taxRateUuids": {"type": "array", "items": STRING},
            "tipAmount": INTEGER,
            "note": _nullable(STRING),
        },
    ),
    "PlanList": _array("Plan"),
    "Subscription": _object(
        {
            "id": STRING,
            "object": {"const": "subscription"},
            "plan": _ref("Plan"),
            "customerUuid": STRING,
            "collectionMethod": {"enum": ["CHARGE_AUTOMATICALLY"]},
            "startDate": CLOVER_TIME,
            "active": BOOLEAN,
            "amount": INTEGER,
            "note": _nullable(STRING),
            "additionalCharges": {"type": "array"},
            "total": INTEGER,
            "createdTime": CLOVER_TIME,
            "modifiedTime": CLOVER_TIME,
        },
        {
            "endDate": _nullable(CLOVER_TIME),
            "lastRunDate": CLOVER_TIME,
            "tipAmount": INTEGER,
            "taxRateUuids": {"type": "array", "items": STRING},
            "softDescriptor": {"type": "object"},
            "nextBillingDate": _nullable(STRING),
            "deletedTime": CLOVER_TIME,
        },
    ),
    "SubscriptionList": _array("Subscription"),
    "Invoice": _object(
        {
            "id": STRING,
            "object": {"const": "invoice"},
            "subscriptionId": STRING,
            "total": INTEGER,
            "status": STRING,
        },
        {"charges": {"type": "array"}, "dueDate": STRING},
    ),
    "InvoiceList": _page("Invoice"),
    "CardKeys": _object({"TA_PUBLIC_KEY_DEV": STRING, "TA_PUBLIC_KEY_PROD": STRING}),
}
