"""3-D Secure on a charge: what `threeds` may say, and what the issuer answers.

Clover's pages: docs: use-3ds (https://docs.clover.com/docs/use-3ds: the `threeds` object,
`authentication_result` and its statuses, Visa's minimum data since 12 August 2024);
dev: add-3ds-authentication-to-create-a-charge-endpoint (`browser_info` and its fields);
dev: initiate-3ds-sdk-with-create-a-charge-endpoint (`source` CLOVER or NON_CLOVER, the
answers `validation_result` and `liability_protection_status`);
dev: configure-3d-secure-sdk-with-iframe-and-api-integration (the merchant turns 3DS on in
the dashboard; the 3DS script on the page).

Where the docs are silent the local sandbox makes ONE choice each:
- The dashboard switch is the local control `POST /_sandbox/threeds {"merchant_id",
  "required"}`. When on, a card charge without `threeds` is refused (400, param `threeds`),
  except a merchant-initiated stored-credential charge, where no shopper is present.
- Which cards challenge: `card_rules.LOCAL_THREEDS_CHALLENGE`; all others are frictionless.
- The challenge answers `validation_result: "CHALLENGE_REQUIRED"` with
  `data.challenge_url`; the charge waits as `status: "pending"` (not paid, not captured).
  The shopper's code or cancel on that page finishes the charge: authorized (and the card's
  own outcome applies) or declined with `decline_code: "authentication_failed"`. The
  merchant's server then reads the charge (`GET /v1/charges/{id}`); there is no second
  call to make. The local page's code is 1234.
- Visa's asks are checked for Visa cards with source CLOVER: the browser IP
  (`browser_info.browser_ip`), the cardholder's name (the token's `card.name`), and an
  email or phone (`receipt_email`, or the customer's email or phone).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import ApiError, invalid_request, missing
from helpers.sandbox.core.store import Kind, Object, Store

SOURCES = ("CLOVER", "NON_CLOVER")
BROWSER_REQUIRED = (
    "browser_accept_header",
    "browser_ip",
    "browser_javascript_enabled",
    "browser_language",
    "browser_screen_height",
    "browser_screen_width",
    "browser_tz",
    "browser_user_agent",
)
BROWSER_OPTIONAL = ("browser_java_enabled", "browser_http_origin", "browser_color_depth")
STATUSES = ("SUCCESS", "FAILED", "ATTEMPTED", "UNAVAILABLE", "REJECTED")
RESULT_FIELDS = ("authentication_status", "transaction_id", "cryptogram", "eci", "version")
CHALLENGE_CODE = "1234"
"""LOCAL: the one-time code the local challenge page accepts."""


def request(body: Mapping[str, Any]) -> dict[str, Any] | None:
    """The charge's `threeds` object, checked; None when the charge has none."""
    threeds = fields.mapping(body, "threeds")
    if threeds is None:
        return None
    prefix = "threeds"
    fields.reject_unknown(threeds, ("source", "browser_info", "authentication_result"), prefix)
    source = threeds.get("source")
    if source not in SOURCES:
        raise invalid_request(
            "Missing or invalid source (CLOVER / NON_CLOVER) for 3DSecure: send "
            'threeds.source "CLOVER" (Clover authenticates) or "NON_CLOVER" (you did, with '
            "another 3DS provider).",
            param="threeds.source",
        )
    if source == "CLOVER":
        info = fields.mapping(threeds, "browser_info", prefix=prefix)
        if info is None:
            raise invalid_request(
                "Missing or invalid/incomplete browser_info for 3DSecure via source (CLOVER): "
                "send threeds.browser_info, e.g. window._3DSUtil.getBrowserInfo() plus "
                "browser_ip.",
                param="threeds.browser_info",
            )
        where = "threeds.browser_info"
        fields.reject_unknown(info, BROWSER_REQUIRED + BROWSER_OPTIONAL, where)
        for name in BROWSER_REQUIRED:
            if info.get(name) in (None, ""):
                raise missing(f"{where}.{name}", "The 3DS script's getBrowserInfo() gives it.")
        return {"source": source, "browser_info": dict(info)}
    result = fields.mapping(threeds, "authentication_result", required=True, prefix=prefix)
    assert result is not None
    where = "threeds.authentication_result"
    fields.reject_unknown(result, RESULT_FIELDS, where)
    status = fields.string(
        result, "authentication_status", choices=STATUSES, required=True, prefix=where
    )
    fields.string(result, "transaction_id", max_length=64, prefix=where)
    fields.string(result, "cryptogram", required=True, max_length=128, prefix=where)
    return {"source": source, "authentication_result": dict(result), "status": status}


def required(merchant_requires: bool, stored: dict[str, Any] | None) -> bool:
    """Whether a charge must carry `threeds`: when the merchant's dashboard says so, except
    a merchant-initiated stored-credential charge (no shopper there to authenticate)."""
    merchant_initiated = stored is not None and stored.get("initiator") == "MERCHANT"
    return merchant_requires and not merchant_initiated


def refuse_missing() -> ApiError:
    return invalid_request(
        "This merchant requires 3-D Secure on card charges: send threeds "
        '{"source": "CLOVER", "browser_info": ...} (or NON_CLOVER with an '
        "authentication_result).",
        param="threeds",
    )


def check_visa_asks(token: Object, browser_ip: str, email_or_phone: str | None) -> None:
    """Visa's minimum data for a Visa Secure authentication (docs: use-3ds)."""
    if token["card"]["brand"] != "VISA":
        return
    if not browser_ip:
        raise missing("threeds.browser_info.browser_ip", "Visa requires the browser's IP.")
    if not token.get("_name"):
        raise invalid_request(
            "Visa requires the cardholder's name for 3-D Secure: tokenize the card with "
            "card.name (the iframe's CARD_NAME element).",
            param="source",
        )
    if not email_or_phone:
        raise invalid_request(
            "Visa requires the cardholder's email address or phone number for 3-D Secure: "
            "send receipt_email, or charge a customer who has an email or phone.",
            param="receipt_email",
        )


def frictionless(source: str, status: str = "SUCCESS") -> dict[str, Any]:
    protected = status in ("SUCCESS", "ATTEMPTED")
    return {
        "source": source,
        "validation_result": "AUTHENTICATION_SUCCESSFUL" if protected else "NOT_AUTHENTICATED",
        "liability_protection_status": "PROTECTED" if protected else "NOT_PROTECTED",
        "authentication_result": {"authentication_status": status},
    }


def open_challenge(store: Store, merchant_id: str, charge_id: str, base_url: str) -> dict[str, Any]:
    """A pending authentication, and the `threeds` the waiting charge shows."""
    transaction_id = store.sequence.object_id()
    store.put(
        Kind.THREEDS_AUTHENTICATION,
        {"id": transaction_id, "charge": charge_id, "status": "pending", "_merchant": merchant_id},
    )
    return {
        "source": "CLOVER",
        "validation_result": "CHALLENGE_REQUIRED",
        "liability_protection_status": "NOT_PROTECTED",
        "data": {
            "transaction_id": transaction_id,
            "challenge_url": f"{base_url}/clover3DS/challenge/{transaction_id}",
        },
    }


def find(store: Store, transaction_id: str) -> Object | None:
    return store.find(Kind.THREEDS_AUTHENTICATION, transaction_id)


def save(store: Store, authentication: Object) -> None:
    store.put(Kind.THREEDS_AUTHENTICATION, authentication)
