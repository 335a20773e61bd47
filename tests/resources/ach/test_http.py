"""ACH over HTTP: the token's fields and the consent, a pending charge that settles or is
returned as the sandbox clock passes three days, and a refund.

Clover's pages: https://docs.clover.com/docs/create-an-ach-token and
https://docs.clover.com/docs/internet-check-acceptance.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import assert_error, bearer

AGREEMENT = "2c74dcc0-61ad-4f08-8764-a29aeb98f4a4"
ACH: dict[str, Any] = {
    "bank_account_number": "123456789012",
    "bank_routing_number": "011000015",
    "check_type": "personal_check",
    "account_type": "checking",
    "customer_id_type": "driver_license",
    "customer_id_state": "NJ",
    "customer_id": "D1234567",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "phone": "5555550100",
    "address_line1": "1 Main St",
    "address_city": "Newark",
    "address_state": "NJ",
    "address_zip": "07102",
    "agreement": {"agreement_id": AGREEMENT, "type": "ICA", "locale": "en-US"},
}
DAY_MS = 24 * 3600 * 1000


def ach_token(http, merchant, **changes: Any):
    body = {k: v for k, v in {**ACH, **changes}.items() if v is not None}
    return http.post(
        "/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={"ach": body}
    )


def charge(http, merchant, **changes: Any) -> dict[str, Any]:
    token = ach_token(http, merchant, **changes)
    assert token.status_code == 200, token.text
    response = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={"amount": 2500, "currency": "usd", "source": token.json()["id"]},
    )
    assert response.status_code == 200, response.text
    return response.json()


def read(http, merchant, charge_id: str) -> dict[str, Any]:
    return http.get(f"/v1/charges/{charge_id}", headers=bearer(merchant)).json()


def test_token_shows_only_last_fours(http, merchant):
    response = ach_token(http, merchant)
    body = response.json()
    assert body["id"].startswith("clv_") and body["object"] == "token"
    assert body["ach"] == {"account_last4": "9012", "routing_last4": "0015"}
    assert "123456789012" not in response.text and "D1234567" not in response.text


@pytest.mark.parametrize(
    ("changes", "code", "param"),
    [
        ({"bank_account_number": "12345"}, "invalid_request", "ach.bank_account_number"),
        ({"bank_routing_number": "011000016"}, "invalid_request", "ach.bank_routing_number"),
        ({"check_type": "cash"}, "invalid_request", "ach.check_type"),
        ({"first_name": None}, "invalid_request", "ach.first_name"),
        ({"customer_id_state": "New Jersey"}, "invalid_request", "ach.customer_id_state"),
        (
            {"agreement": {"agreement_id": "another"}},
            "invalid_request",
            "ach.agreement.agreement_id",
        ),
        ({"agreement": {}}, "invalid_request", "ach.agreement.agreement_id"),
        ({"agreement": None}, "invalid_request", "ach.agreement"),
        (
            {"agreement": {"agreement_id": AGREEMENT, "text": "x"}},
            "invalid_request",
            "ach.agreement.text",
        ),
        (
            {"agreement": {"agreement_id": AGREEMENT, "template_data": "x"}},
            "invalid_request",
            "ach.agreement.template_data",
        ),
        ({"consent_text": "I agree"}, "invalid_request", "ach.consent_text"),
        ({"email": None}, "invalid_request", "ach.email"),
        ({"encrypted": True}, "invalid_request", "ach.encrypted"),
        ({"iban": "DE00"}, "invalid_request", "ach.iban"),
    ],
)
def test_each_field_is_checked_and_named(http, merchant, changes, code, param):
    assert_error(ach_token(http, merchant, **changes), 400, code, param)


def test_a_corporate_check_needs_the_business_name_not_a_person(http, merchant):
    corporate = {"check_type": "corporate_check", "first_name": None, "last_name": None}
    assert_error(
        ach_token(http, merchant, **corporate), 400, "invalid_request", "ach.business_name"
    )
    assert ach_token(http, merchant, **corporate, business_name="Acme Inc").status_code == 200


def test_the_agreement_object_of_clovers_example_and_the_older_bare_id(http, merchant):
    filled = {"agreement_id": AGREEMENT, "template_data": {"amount": "25.00", "date": "today"}}
    assert ach_token(http, merchant, agreement=filled).status_code == 200
    assert ach_token(http, merchant, agreement=AGREEMENT).status_code == 200


def test_a_charge_is_pending_with_the_agreement_then_settles(http, merchant):
    made = charge(http, merchant)
    assert made["status"] == "pending" and made["paid"] is False
    assert made["payment_method_details"] == "ach"
    assert made["ach"]["agreement"] == AGREEMENT and "consent" not in made["ach"]
    assert made["source"]["brand"] == "ACH" and made["source"]["account_last4"] == "9012"
    http.post("/_sandbox/clock", json={"advance_ms": 2 * DAY_MS}).raise_for_status()
    assert read(http, merchant, made["id"])["status"] == "pending"
    http.post("/_sandbox/clock", json={"advance_ms": 1 * DAY_MS}).raise_for_status()
    settled = read(http, merchant, made["id"])
    assert settled["status"] == "succeeded" and settled["paid"] is True
    assert settled["outcome"]["network_status"] == "settled"


def test_a_returned_payment_fails_days_later_and_lists_show_it(http, merchant):
    made = charge(http, merchant, bank_account_number="123456780001")
    http.post("/_sandbox/clock", json={"advance_ms": 3 * DAY_MS}).raise_for_status()
    listed = http.get("/v1/charges", headers=bearer(merchant)).json()["data"]
    mine = next(c for c in listed if c["id"] == made["id"])
    assert mine["status"] == "failed" and mine["ach_return_code"] == "R01"
    assert mine["outcome"] == {"network_status": "returned", "type": "returned"}


def test_a_settled_payment_can_be_refunded(http, merchant):
    made = charge(http, merchant)
    http.post("/_sandbox/clock", json={"advance_ms": 3 * DAY_MS}).raise_for_status()
    refund = http.post(
        "/v1/refunds", headers=bearer(merchant), json={"charge": made["id"], "amount": 1000}
    )
    assert refund.status_code == 200, refund.text
    assert read(http, merchant, made["id"])["amount_refunded"] == 1000


def test_capture_false_is_refused(http, merchant):
    token = ach_token(http, merchant).json()["id"]
    response = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={"amount": 2500, "currency": "usd", "source": token, "capture": False},
    )
    assert_error(response, 400, "invalid_request", "capture")
