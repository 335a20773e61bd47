"""POST /v1/charges and reads: the documented shape, test-card outcomes, validation."""

from __future__ import annotations

import re

import pytest

from tests.support import assert_error, bearer, charge, tokenize

ID = re.compile(r"^[0-9A-Z]{13}$")


def test_a_sale_has_clovers_shape(http, merchant):
    response = charge(
        http,
        merchant,
        1358,
        description="Two flat whites",
        external_reference_id="INV42",
        metadata={"table": "7"},
    )
    assert response.status_code == 200
    body = response.json()
    assert ID.match(body["id"]) and ID.match(body["order"])
    assert body["amount"] == 1358 and body["currency"] == "usd"
    assert body["captured"] is True and body["paid"] is True and body["refunded"] is False
    assert body["status"] == "succeeded" and body["amount_refunded"] == 0
    assert re.fullmatch(r"\d{12}", body["ref_num"]) and body["auth_code"]
    assert body["outcome"] == {"network_status": "approved_by_network", "type": "authorized"}
    assert body["source"]["last4"] == "4242" and body["source"]["brand"] == "VISA"
    assert body["source"]["cvc_check"] == "pass"
    assert body["description"] == "Two flat whites" and body["metadata"] == {"table": "7"}
    assert isinstance(body["created"], int) and body["created"] > 1_600_000_000_000
    assert http.get(f"/v1/charges/{body['id']}", headers=bearer(merchant)).json() == body


def test_an_authorization_is_not_captured(http, merchant):
    body = charge(http, merchant, 5000, capture=False).json()
    assert body["captured"] is False and body["status"] == "succeeded"
    assert body["amount_captured"] == 0


@pytest.mark.parametrize(
    ("number", "brand", "cvv"),
    [
        ("4005571702222222", "VISA", "123"),
        ("375987654000004", "AMEX", "1234"),
        ("5424180273333333", "MC", "123"),
        ("4264281511117771", "VISA", "123"),
        ("4005578003333335", "VISA", "123"),
    ],
)
def test_decline_cards_tokenize_then_decline_with_402(http, merchant, number, brand, cvv):
    response = charge(http, merchant, card={"number": number, "brand": brand, "cvv": cvv})
    error = assert_error(response, 402, "card_declined")
    assert response.json()["message"] == "402 Payment Required"
    assert error["type"] == "card_error"
    assert error["declineCode"] == error["decline_code"] == "issuer_declined"
    stored = http.get(f"/v1/charges/{error['charge']}", headers=bearer(merchant)).json()
    assert stored["status"] == "failed" and stored["paid"] is False
    assert stored["outcome"]["network_status"] == "declined_by_network"


def test_avs_cards_report_a_zip_match(http, merchant):
    response = charge(http, merchant, card={"number": "4761530001111126", "address_zip": "10001"})
    assert response.json()["source"]["address_zip_check"] == "pass"


def test_customer_ip_header_is_required(http, merchant):
    headers = bearer(merchant)
    del headers["x-forwarded-for"]
    response = http.post(
        "/v1/charges",
        headers=headers,
        json={"amount": 100, "currency": "usd", "source": tokenize(http, merchant)},
    )
    assert_error(response, 400, "invalid_request", "x-forwarded-for")


@pytest.mark.parametrize(
    ("body", "code", "param"),
    [
        ({"amount": None}, "invalid_request", "amount"),
        ({"amount": 0}, "invalid_charge_amount", "amount"),
        ({"amount": -100}, "invalid_charge_amount", "amount"),
        ({"amount": 10.5}, "invalid_charge_amount", "amount"),
        ({"amount": "1000"}, "invalid_charge_amount", "amount"),
        ({"amount": True}, "invalid_charge_amount", "amount"),
        ({"amount": 100_000_000}, "amount_too_large", "amount"),
        ({"amount": 10**40}, "amount_too_large", "amount"),
        ({"currency": None}, "invalid_request", "currency"),
        ({"currency": "USD"}, "invalid_request", "currency"),
        ({"currency": "xyz"}, "invalid_request", "currency"),
        ({"currency": 840}, "invalid_request", "currency"),
        ({"source": None}, "invalid_request", "source"),
        ({"source": 12}, "invalid_request", "source"),
        ({"source": "clv_doesnotexist"}, "invalid_request", "source"),
        ({"capture": "yes"}, "invalid_request", "capture"),
        ({"ecomind": "pos"}, "invalid_request", "ecomind"),
        ({"description": "d" * 256}, "invalid_request", "description"),
        ({"external_reference_id": "TOO-LONG-REF-1"}, "invalid_request", "external_reference_id"),
        ({"receipt_email": "not-an-email"}, "email_invalid", "receipt_email"),
        ({"metadata": ["a"]}, "invalid_request", "metadata"),
        ({"tip_amount": -1}, "invalid_tip_amount", "tip_amount"),
        ({"tax_amount": 1.5}, "invalid_tax_amount", "tax_amount"),
        (
            {"stored_credentials": {"sequence": "LAST", "initiator": "MERCHANT"}},
            "invalid_request",
            "stored_credentials.sequence",
        ),
        ({"amont": 100}, "invalid_request", "amont"),
    ],
)
def test_bad_charge_input_names_the_field(http, merchant, body, code, param):
    request = {"amount": 100, "currency": "usd", "source": tokenize(http, merchant), **body}
    request = {k: v for k, v in request.items() if v is not None}
    assert_error(http.post("/v1/charges", headers=bearer(merchant), json=request), 400, code, param)


def test_a_refused_charge_leaves_its_token_usable(http, merchant):
    token = tokenize(http, merchant)
    bad = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={"amount": -1, "currency": "usd", "source": token},
    )
    assert bad.status_code == 400
    assert charge(http, merchant, source=token).status_code == 200


@pytest.mark.parametrize(
    "headers", [{}, {"authorization": "Bearer wrong"}, {"authorization": "Basic abc"}]
)
def test_wrong_credentials_are_a_bare_401(http, headers):
    response = http.get("/v1/charges", headers=headers)
    assert response.status_code == 401 and response.json() == {"message": "401 Unauthorized"}


def test_apikey_does_not_open_the_ecommerce_api(http, merchant):
    response = http.get("/v1/charges", headers={"apikey": merchant["api_access_key"]})
    assert response.status_code == 401


def test_unknown_charge_is_404(http, merchant):
    assert_error(
        http.get("/v1/charges/NOSUCHCHARGE1", headers=bearer(merchant)), 404, "resource_missing"
    )


def make_charges(http, merchant, count):
    return [charge(http, merchant, 100 + i).json()["id"] for i in range(count)]


def test_list_is_newest_first_and_pages_both_ways(http, merchant):
    ids = make_charges(http, merchant, 7)
    headers = bearer(merchant)
    page = http.get("/v1/charges", headers=headers, params={"limit": 3}).json()
    assert page["object"] == "list" and page["url"] == "/v1/charges"
    assert [c["id"] for c in page["data"]] == ids[::-1][:3] and page["has_more"] is True
    page2 = http.get(
        "/v1/charges",
        headers=headers,
        params={"limit": 3, "starting_after": page["data"][-1]["id"]},
    ).json()
    assert [c["id"] for c in page2["data"]] == ids[::-1][3:6] and page2["has_more"] is True
    last = http.get(
        "/v1/charges",
        headers=headers,
        params={"limit": 3, "starting_after": page2["data"][-1]["id"]},
    ).json()
    assert [c["id"] for c in last["data"]] == [ids[0]] and last["has_more"] is False
    back = http.get(
        "/v1/charges", headers=headers, params={"limit": 2, "ending_before": page2["data"][0]["id"]}
    ).json()
    assert [c["id"] for c in back["data"]] == ids[::-1][1:3] and back["has_more"] is True


def test_list_defaults_to_ten_and_filters_by_created(http, merchant):
    make_charges(http, merchant, 12)
    headers = bearer(merchant)
    everything = http.get("/v1/charges", headers=headers, params={"limit": 100}).json()["data"]
    assert len(http.get("/v1/charges", headers=headers).json()["data"]) == 10
    middle = everything[5]["created"]
    newer = http.get(
        "/v1/charges", headers=headers, params={"created.gt": middle, "limit": 100}
    ).json()["data"]
    assert [c["id"] for c in newer] == [c["id"] for c in everything[:5]]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"starting_after": "NOSUCHCHARGE1"}, "starting_after"),
        ({"created.gte": "yesterday"}, "created.gte"),
        ({"limit": "9" * 65}, "limit"),
    ],
)
def test_bad_list_parameters_name_the_parameter(http, merchant, params, param):
    response = http.get("/v1/charges", headers=bearer(merchant), params=params)
    assert_error(response, 400, "invalid_request", param)


def test_query_bytes_that_are_not_utf8_are_refused_naming_the_parameter(http, merchant):
    response = http.get("/v1/charges?limit=%ED%A0%80", headers=bearer(merchant))
    assert_error(response, 400, "invalid_request", "limit")
    assert "surrogate" in response.json()["error"]["message"]


def test_unknown_query_parameters_are_ignored_and_named(http, merchant):
    """Clover ignores parameters it does not know (its Python SDK sends merchantUuid on
    every GET); the sandbox does too, and names them in a header."""
    response = http.get(
        "/v1/charges",
        headers=bearer(merchant),
        params={"merchantUuid": merchant["merchant_id"], "limit": 2, "colour": "red"},
    )
    assert response.status_code == 200
    assert response.headers["x-sandbox-ignored-params"] == "merchantUuid, colour"
    one = http.get("/v1/charges", headers=bearer(merchant), params={"limit": 1})
    assert "x-sandbox-ignored-params" not in one.headers
