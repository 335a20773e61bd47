"""3-D Secure on POST /v1/charges, over HTTP: the `threeds` object, the merchant's
requirement, Visa's asks and the frictionless path (the flows: test_flows.py).

Clover's pages: https://docs.clover.com/docs/use-3ds,
https://docs.clover.com/dev/docs/add-3ds-authentication-to-create-a-charge-endpoint,
https://docs.clover.com/dev/docs/initiate-3ds-sdk-with-create-a-charge-endpoint.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import assert_error, bearer, charge

BROWSER = {
    "browser_accept_header": "text/html",
    "browser_ip": "203.0.113.7",
    "browser_javascript_enabled": True,
    "browser_language": "en-US",
    "browser_screen_height": "900",
    "browser_screen_width": "1440",
    "browser_tz": "300",
    "browser_user_agent": "Mozilla/5.0 (test)",
}
CLOVER = {"source": "CLOVER", "browser_info": BROWSER}
NAMED = {"name": "Ada Lovelace"}


def pay(http, merchant, card: dict[str, Any] | None = None, **body: Any):
    body.setdefault("receipt_email", "ada@example.com")
    return charge(http, merchant, 2599, card={**NAMED, **(card or {})}, **body)


def require(http, merchant, on: bool = True) -> None:
    response = http.post(
        "/_sandbox/threeds", json={"merchant_id": merchant["merchant_id"], "required": on}
    )
    assert response.status_code == 200, response.text


def test_frictionless_charge_shows_the_documented_threeds(http, merchant):
    body = pay(http, merchant, threeds=CLOVER).json()
    assert body["status"] == "succeeded" and body["paid"] is True
    assert body["threeds"]["source"] == "CLOVER"
    assert body["threeds"]["validation_result"] == "AUTHENTICATION_SUCCESSFUL"
    assert body["threeds"]["liability_protection_status"] == "PROTECTED"
    stored = http.get(f"/v1/charges/{body['id']}", headers=bearer(merchant)).json()
    assert stored["threeds"] == body["threeds"]


def test_a_charge_without_threeds_shows_none(http, merchant):
    assert "threeds" not in charge(http, merchant).json()


def test_source_must_be_clover_or_non_clover(http, merchant):
    response = pay(http, merchant, threeds={"source": "VISA"})
    assert_error(response, 400, "invalid_request", "threeds.source")


def test_clover_needs_browser_info_and_each_field(http, merchant):
    assert_error(
        pay(http, merchant, threeds={"source": "CLOVER"}),
        400,
        "invalid_request",
        "threeds.browser_info",
    )
    partial = {k: v for k, v in BROWSER.items() if k != "browser_tz"}
    response = pay(http, merchant, threeds={"source": "CLOVER", "browser_info": partial})
    assert_error(response, 400, "invalid_request", "threeds.browser_info.browser_tz")


@pytest.mark.parametrize(
    ("card", "body", "param"),
    [
        ({"name": None}, {}, "source"),
        ({}, {"receipt_email": None}, "receipt_email"),
    ],
)
def test_visa_asks_for_name_and_email_or_phone(http, merchant, card, body, param):
    card = {k: v for k, v in {**NAMED, **card}.items() if v is not None}
    extra = {k: v for k, v in body.items() if v is not None}
    if "receipt_email" in body:
        response = charge(http, merchant, card=card, threeds=CLOVER, **extra)
    else:
        response = charge(http, merchant, card=card, threeds=CLOVER, receipt_email="a@b.co")
    error = assert_error(response, 400, "invalid_request")
    assert error["param"] == param and "Visa" in error["message"]


def test_visa_asks_do_not_apply_to_other_brands(http, merchant):
    mc = {"number": "5204245250003294", "brand": "MC"}
    response = charge(http, merchant, card=mc, threeds=CLOVER)
    assert response.status_code == 200, response.text


def test_merchant_requirement_refuses_a_charge_without_threeds(http, merchant, other_merchant):
    require(http, merchant)
    assert_error(charge(http, merchant), 400, "invalid_request", "threeds")
    assert charge(http, other_merchant).status_code == 200  # another merchant's setting
    assert pay(http, merchant, threeds=CLOVER).status_code == 200
    require(http, merchant, on=False)
    assert charge(http, merchant).status_code == 200


def test_merchant_requirement_is_reset(http, merchant):
    require(http, merchant)
    http.post("/_sandbox/reset").raise_for_status()
    assert http.get("/_sandbox/threeds").json() == {"required": []}


def test_unknown_merchant_in_the_setting_is_named(http):
    response = http.post("/_sandbox/threeds", json={"merchant_id": "NOPE", "required": True})
    assert_error(response, 400, "invalid_request", "merchant_id")


@pytest.mark.parametrize(
    ("status", "validation", "protected"),
    [
        ("SUCCESS", "AUTHENTICATION_SUCCESSFUL", "PROTECTED"),
        ("ATTEMPTED", "AUTHENTICATION_SUCCESSFUL", "PROTECTED"),
        ("UNAVAILABLE", "NOT_AUTHENTICATED", "NOT_PROTECTED"),
    ],
)
def test_non_clover_result_is_stored(http, merchant, status, validation, protected):
    threeds = {
        "source": "NON_CLOVER",
        "authentication_result": {
            "authentication_status": status,
            "transaction_id": "TX1",
            "cryptogram": "AAABBB",
        },
    }
    body = charge(http, merchant, threeds=threeds).json()
    assert body["status"] == "succeeded"
    assert body["threeds"]["validation_result"] == validation
    assert body["threeds"]["liability_protection_status"] == protected
    assert body["threeds"]["authentication_result"]["authentication_status"] == status


@pytest.mark.parametrize("status", ["FAILED", "REJECTED"])
def test_non_clover_failure_declines(http, merchant, status):
    threeds = {
        "source": "NON_CLOVER",
        "authentication_result": {"authentication_status": status, "cryptogram": "AAABBB"},
    }
    error = assert_error(charge(http, merchant, threeds=threeds), 402, "card_declined")
    assert error["decline_code"] == "authentication_failed"


def test_non_clover_needs_a_cryptogram(http, merchant):
    threeds = {
        "source": "NON_CLOVER",
        "authentication_result": {"authentication_status": "SUCCESS"},
    }
    response = charge(http, merchant, threeds=threeds)
    assert_error(response, 400, "invalid_request", "threeds.authentication_result.cryptogram")


def test_the_3ds_script_is_served_where_clover_serves_it(http):
    script = http.get("/clover3DS/clover3DS-sdk.js")
    assert script.status_code == 200 and "Clover3DS" in script.text
    assert "getBrowserInfo" in script.text and "executePatch" in script.text
