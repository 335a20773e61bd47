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


CARD = _object({"brand": STRING, "first6": STRING, "last4": STRING}, {"exp_month": STRING})

COMPONENTS: dict[str, Schema] = {
    "Object": OBJECT,
    "Error": _object(
        {"message": STRING},
        {"error": _object({"type": STRING, "message": STRING}, {"code": STRING, "param": STRING})},
    ),
    "ApiKey": _object({"apiAccessKey": STRING, "merchantUuid": STRING, "active": BOOLEAN}),
    "Token": _object({"id": STRING, "object": {"const": "token"}, "card": CARD}),
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
            "status": {"enum": ["succeeded", "failed"]},
            "order": STRING,
            "source": CARD,
        },
        {"auth_code": _nullable(STRING), "customer": STRING, "warning_message": _nullable(STRING)},
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
        {"items": {"type": "array", "items": OBJECT}, "amount_paid": INTEGER},
    ),
    "OrderList": _list("Order"),
    "CheckoutSession": _object(
        {
            "href": STRING,
            "checkoutSessionId": STRING,
            "createdTime": INTEGER,
            "expirationTime": INTEGER,
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
    "CardKeys": _object({"TA_PUBLIC_KEY_DEV": STRING, "TA_PUBLIC_KEY_PROD": STRING}),
}
