"""3-D Secure on POST /v1/charges, over HTTP: the `threeds` object, the merchant's
requirement, Visa's asks, the frictionless path and the challenge page answered or failed.

Clover's pages: https://docs.clover.com/docs/use-3ds,
https://docs.clover.com/dev/docs/add-3ds-authentication-to-create-a-charge-endpoint,
https://docs.clover.com/dev/docs/initiate-3ds-sdk-with-create-a-charge-endpoint.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support import assert_error, bearer, charge

CHALLENGE_VISA = "4000009900003008"
CHALLENGE_MC = "5200009900003003"
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
    assert_error(response, 400, "missing", "threeds.browser_info.browser_tz")


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
    assert_error(response, 400, "missing", "threeds.authentication_result.cryptogram")


def start_challenge(http, merchant, number: str = CHALLENGE_VISA, **body: Any) -> dict[str, Any]:
    brand = "VISA" if number.startswith("4") else "MC"
    response = pay(http, merchant, card={"number": number, "brand": brand}, threeds=CLOVER, **body)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_challenge_card_leaves_the_charge_pending(http, merchant):
    body = start_challenge(http, merchant)
    assert body["status"] == "pending" and body["paid"] is False and body["captured"] is False
    threeds = body["threeds"]
    assert threeds["validation_result"] == "CHALLENGE_REQUIRED"
    assert threeds["liability_protection_status"] == "NOT_PROTECTED"
    assert re.fullmatch(r"[0-9A-Z]{13}", threeds["data"]["transaction_id"])
    assert threeds["data"]["challenge_url"].endswith(
        f"/clover3DS/challenge/{threeds['data']['transaction_id']}"
    )
    capture = http.post(f"/v1/charges/{body['id']}/capture", headers=bearer(merchant), json={})
    assert_error(capture, 400, "processing_error")


def answer(http, body: dict[str, Any], **form: str):
    path = "/clover3DS/challenge/" + body["threeds"]["data"]["transaction_id"]
    page = http.get(path)
    assert page.status_code == 200 and "One-time code" in page.text
    assert "frame-ancestors" not in page.headers["content-security-policy"]
    return http.post(path, data=form)


def test_the_right_code_authorizes_the_charge(http, merchant):
    body = start_challenge(http, merchant)
    done = answer(http, body, code="1234", action="verify")
    assert done.status_code == 200 and 'data-status="succeeded"' in done.text
    stored = http.get(f"/v1/charges/{body['id']}", headers=bearer(merchant)).json()
    assert stored["status"] == "succeeded" and stored["paid"] and stored["captured"]
    assert stored["auth_code"]
    assert stored["threeds"]["validation_result"] == "AUTHENTICATION_SUCCESSFUL"
    assert stored["threeds"]["liability_protection_status"] == "PROTECTED"
    result = stored["threeds"]["authentication_result"]
    assert result["authentication_status"] == "SUCCESS"
    assert result["transaction_id"] == body["threeds"]["data"]["transaction_id"]
    order = http.get(f"/v1/orders/{stored['order']}", headers=bearer(merchant)).json()
    assert order["status"] == "paid"
    path = "/clover3DS/challenge/" + body["threeds"]["data"]["transaction_id"]
    assert "Verified" in http.get(path).text  # answered once: the page shows the result
    assert http.post(path, data={"action": "cancel"}).status_code == 409
    after = http.get(f"/v1/charges/{body['id']}", headers=bearer(merchant)).json()
    assert after["status"] == "succeeded"  # a late Cancel changes nothing


@pytest.mark.parametrize("form", [{"action": "cancel"}, {"code": "0000", "action": "verify"}])
def test_cancel_or_a_wrong_code_declines_the_charge(http, merchant, form):
    body = start_challenge(http, merchant, CHALLENGE_MC)
    done = answer(http, body, **form)
    assert 'data-status="failed"' in done.text
    stored = http.get(f"/v1/charges/{body['id']}", headers=bearer(merchant)).json()
    assert stored["status"] == "failed" and stored["paid"] is False
    assert stored["outcome"]["type"] == "authentication_failed"
    assert stored["threeds"]["validation_result"] == "AUTHENTICATION_FAILED"
    assert stored["threeds"]["authentication_result"]["authentication_status"] == "FAILED"


def test_an_authorization_stays_uncaptured_after_the_challenge(http, merchant):
    body = start_challenge(http, merchant, capture=False)
    answer(http, body, code="1234")
    stored = http.get(f"/v1/charges/{body['id']}", headers=bearer(merchant)).json()
    assert stored["status"] == "succeeded" and stored["captured"] is False


def test_unknown_challenge_is_a_404_page(http):
    assert http.get("/clover3DS/challenge/NOSUCHTHING01").status_code == 404


def test_the_3ds_script_is_served_where_clover_serves_it(http):
    script = http.get("/clover3DS/clover3DS-sdk.js")
    assert script.status_code == 200 and "Clover3DS" in script.text
    assert "getBrowserInfo" in script.text and "executePatch" in script.text
