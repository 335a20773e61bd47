"""3-D Secure on a charge or an order payment: what `threeds` may say, the issuer's
answers, and `finalize_payment`.

Clover's pages, read whole:
- https://docs.clover.com/docs/3ds-secure-configure-sdk and
  https://docs.clover.com/dev/docs/configure-3d-secure-sdk-with-iframe-and-api-integration:
  the charge answers `threeds.validation_result` `AUTHENTICATION_SUCCESSFUL`,
  `THREEDS_METHOD_FLOW_REQUIRED` (`data.method_url`, `method_notification_url`,
  `threeds_server_transaction_id`, `threeds_protocol_version`),
  `CHALLENGE_FLOW_REQUIRED` (`data.acs_url`, `acs_transaction_id`,
  `threeds_server_transaction_id`, `threeds_protocol_version`) or a decline; the page's
  script runs the flow and fires `executePatch`; the server then calls
  `POST /v1/charges/finalize_payment {charge_id, threeds: {source, flow_status}}`, whose
  answer after a method flow is success, decline or a challenge, and after a challenge
  success or decline. The same page lists the sandbox's 3DS test cards by card and amount.
- https://docs.clover.com/dev/docs/initiate-3ds-sdk-with-create-a-charge-endpoint,
  https://docs.clover.com/dev/docs/initiate-3ds-sdk-with-the-pay-for-order-endpoint and
  https://docs.clover.com/dev/docs/add-3ds-to-pay-for-an-order: `threeds` (source CLOVER
  with `browser_info`, or NON_CLOVER with `authentication_result`) on `POST /v1/charges`
  and on `POST /v1/orders/{id}/pay`.
- https://docs.clover.com/docs/use-3ds: Visa's minimum data since 12 August 2024.
- https://docs.clover.com/dev/docs/test-3ds-integration-in-sandbox: what two of the test
  cards do.

Where the pages are silent the local sandbox makes ONE choice each (docs/choices.md,
3-D Secure):
- Which flow each test card runs (`card_rules.THREEDS_TEST_CARDS`); any other card, or a
  test card at another amount, authenticates frictionlessly.
- The dashboard switch is `POST /_sandbox/threeds {"merchant_id", "required"}`: a card
  charge or order payment without `threeds` is refused (400, param `threeds`), except a
  merchant-initiated stored-credential charge (SUBSEQUENT, MERCHANT) on a card that had
  an approved customer-initiated FIRST (no shopper is present to authenticate).
- A charge waiting for a flow is `status: "pending"`, not paid, not captured, and holds
  its order: no other payment of that order until it is finalized.
- `flow_status` (the `executePatch` event's `detail._3DSStatus`) is EMV 3-D Secure's own
  letter: after a method flow `Y` (done), `N` or `U`; after a challenge the issuer's
  `Y` or `N`. The sandbox records it but decides from the issuer's own record (the
  challenge page's answer), as a server must not take the browser's word.
- The issuer's pages are the sandbox's: the method URL `/threeds/method`, the ACS
  `/threeds/acs` (its code is 1234; Cancel or another code fails).
- A failed authentication is a 402 decline, `decline_code: "authentication_failed"`,
  with `threeds.validation_result: "AUTHENTICATION_FAILED"`.
"""

from __future__ import annotations

import uuid
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
"""LOCAL: the one-time code the local issuer's challenge page (the ACS) accepts."""


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


def required(
    merchant_requires: bool, stored: dict[str, Any] | None, token: Object | None = None
) -> bool:
    """Whether a payment must carry `threeds`: when the merchant's dashboard says so,
    except a merchant-initiated SUBSEQUENT stored-credential charge on a card that had an
    approved customer-initiated FIRST (no shopper there to authenticate; the kit's choice)."""
    if not merchant_requires:
        return False
    exempt = (
        stored is not None
        and stored.get("initiator") == "MERCHANT"
        and stored.get("sequence") == "SUBSEQUENT"
        and token is not None
        and bool(token.get("_first_done"))
    )
    return not exempt


def refuse_missing(stored: dict[str, Any] | None = None) -> ApiError:
    if stored is not None and stored.get("initiator") == "MERCHANT":
        return invalid_request(
            "This merchant requires 3-D Secure, and this card has no approved "
            "customer-initiated charge with stored_credentials.sequence FIRST: make that "
            'first charge with threeds {"source": "CLOVER", "browser_info": ...} while the '
            "shopper is present; later merchant-initiated SUBSEQUENT charges need none.",
            param="threeds",
        )
    return invalid_request(
        "This merchant requires 3-D Secure on card payments: send threeds "
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


def failed(source: str, status: str) -> dict[str, Any]:
    """The `threeds` of a charge declined because the shopper was not authenticated."""
    return {**frictionless(source, status), "validation_result": "AUTHENTICATION_FAILED"}


def frictionless(source: str, status: str = "SUCCESS") -> dict[str, Any]:
    protected = status in ("SUCCESS", "ATTEMPTED")
    return {
        "source": source,
        "validation_result": "AUTHENTICATION_SUCCESSFUL" if protected else "NOT_AUTHENTICATED",
        "liability_protection_status": "PROTECTED" if protected else "NOT_PROTECTED",
        "authentication_result": {"authentication_status": status},
    }


PROTOCOL_VERSION = "2.2.0"
FLOW_STATUSES = ("Y", "N", "U")


def flow_of(token: Object, amount: int) -> str:
    """`success`, `method`, `challenge` or `decline`: what the issuer asks for first."""
    test = token.get("_threeds_test")
    if test is None or test["amount"] != amount:
        return "success"
    return str(test["first"])


def after_method(token: Object) -> str:
    """What the issuer answers once its method flow ran: `success`, `challenge`, `decline`."""
    test = token.get("_threeds_test") or {}
    return str(test.get("after_method") or "success")


def _uuid(store: Store) -> str:
    """A transaction id shaped as EMV 3-D Secure's (a UUID), drawn from the seeded sequence."""
    return str(uuid.UUID(int=int(store.sequence.digits(38)) % (1 << 128), version=4))


def open_flow(
    store: Store, merchant_id: str, charge_id: str, flow: str, base_url: str
) -> dict[str, Any]:
    """A waiting authentication (`flow` is `method` or `challenge`) and the `threeds` the
    waiting charge shows, in the shape of Clover's sample answers."""
    server_id = _uuid(store)
    authentication: Object = {
        "id": server_id,
        "charge": charge_id,
        "stage": flow,
        "status": "pending",
        "_merchant": merchant_id,
    }
    store.put(Kind.THREEDS_AUTHENTICATION, authentication)
    if flow == "method":
        return {
            "validation_result": "THREEDS_METHOD_FLOW_REQUIRED",
            "liability_protection_status": "NOT_PROTECTED",
            "source": "CLOVER",
            "data": {
                "method_url": f"{base_url}/threeds/method",
                "method_notification_url": f"{base_url}/clover3DS/method-notification",
                "threeds_server_transaction_id": server_id,
                "threeds_protocol_version": PROTOCOL_VERSION,
            },
        }
    return challenge(store, authentication, base_url)


def challenge(store: Store, authentication: Object, base_url: str) -> dict[str, Any]:
    """Move an authentication to the issuer's challenge; the `threeds` the charge shows."""
    acs_id = _uuid(store)
    authentication.update(stage="challenge", status="pending", acs_transaction_id=acs_id)
    store.put(Kind.THREEDS_AUTHENTICATION, authentication)
    return {
        "validation_result": "CHALLENGE_FLOW_REQUIRED",
        "liability_protection_status": "NOT_PROTECTED",
        "source": "CLOVER",
        "data": {
            "acs_url": f"{base_url}/threeds/acs",
            "acs_transaction_id": acs_id,
            "threeds_server_transaction_id": authentication["id"],
            "threeds_protocol_version": PROTOCOL_VERSION,
        },
    }


def finalize_request(body: Mapping[str, Any]) -> tuple[str, str]:
    """`{charge_id, threeds: {source, flow_status}}`, checked: the charge id and status."""
    fields.reject_unknown(body, ("charge_id", "threeds"))
    charge_id = fields.string(body, "charge_id", required=True, max_length=13)
    threeds = fields.mapping(body, "threeds", required=True)
    assert charge_id is not None and threeds is not None
    fields.reject_unknown(threeds, ("source", "flow_status"), "threeds")
    fields.string(threeds, "source", choices=("CLOVER",), required=True, prefix="threeds")
    status = fields.string(
        threeds, "flow_status", choices=FLOW_STATUSES, required=True, prefix="threeds"
    )
    assert status is not None
    return charge_id, status


def for_charge(store: Store, charge: Object) -> Object | None:
    """The authentication a waiting charge is in, if any."""
    server_id = (charge.get("_pending") or {}).get("threeds_server_transaction_id")
    return find(store, server_id) if server_id else None


def find(store: Store, transaction_id: str) -> Object | None:
    return store.find(Kind.THREEDS_AUTHENTICATION, transaction_id)


def save(store: Store, authentication: Object) -> None:
    store.put(Kind.THREEDS_AUTHENTICATION, authentication)
