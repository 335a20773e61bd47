"""Cards on file: customers, multi-pay tokens, stored credentials, revoking a card."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support import assert_error, bearer, charge, tokenize

FIRST = {"sequence": "FIRST", "is_scheduled": False, "initiator": "CARDHOLDER"}
AGAIN = {"sequence": "SUBSEQUENT", "is_scheduled": False, "initiator": "CARDHOLDER"}
RECURRING = {"sequence": "SUBSEQUENT", "is_scheduled": True, "initiator": "MERCHANT"}


def create_customer(http: httpx.Client, merchant: dict[str, str], **body: Any) -> httpx.Response:
    body.setdefault("source", tokenize(http, merchant))
    return http.post(
        "/v1/customers",
        headers=bearer(merchant),
        json={"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace", **body},
    )


def test_a_customer_is_created_with_the_card_saved(http, merchant):
    response = create_customer(
        http,
        merchant,
        phone="4085551858",
        shipping={"name": "Ada", "address": {"city": "Sunnyvale"}},
    )
    assert response.status_code == 200, response.text
    customer = response.json()
    assert customer["object"] == "customer"
    assert len(customer["id"]) == 13 and customer["id"].isupper()
    assert customer["name"] == "Ada Lovelace"
    assert customer["email"] == "ada@example.com"
    assert customer["shipping"]["address"]["city"] == "Sunnyvale"
    assert customer["sources"]["object"] == "list"
    [card_id] = customer["sources"]["data"]
    assert len(card_id) == 13 and not card_id.startswith("clv_")
    again = http.get(f"/v1/customers/{customer['id']}", headers=bearer(merchant)).json()
    assert again == customer


@pytest.mark.parametrize(
    ("body", "code", "param"),
    [
        ({"source": None}, "invalid_request", "source"),
        ({"source": "clv_doesnotexist"}, "invalid_request", "source"),
        ({"email": "not-an-email"}, "email_invalid", "email"),
        ({"phone": 4085551858}, "invalid_request", "phone"),
        ({"shipping": {"address": {"zip": "1"}}}, "invalid_request", "shipping.address.zip"),
        ({"nickname": "Ada"}, "invalid_request", "nickname"),
    ],
)
def test_bad_customer_input_names_the_field(http, merchant, body, code, param):
    request = {"email": "ada@example.com", "source": tokenize(http, merchant), **body}
    request = {k: v for k, v in request.items() if v is not None}
    response = http.post("/v1/customers", headers=bearer(merchant), json=request)
    assert_error(response, 400, code, param)


def test_a_charged_single_use_token_cannot_be_saved(http, merchant):
    token = tokenize(http, merchant)
    assert charge(http, merchant, source=token).status_code == 200
    assert_error(create_customer(http, merchant, source=token), 400, "token_already_used", "source")


def test_a_token_charged_with_intent_to_save_can_be_saved_after(http, merchant):
    token = tokenize(http, merchant)
    first = charge(
        http, merchant, source=token, intent="save_credential_on_file", stored_credentials=FIRST
    )
    assert first.status_code == 200
    assert create_customer(http, merchant, source=token).status_code == 200


def test_a_customer_id_as_source_charges_the_saved_card(http, merchant):
    customer = create_customer(http, merchant).json()
    response = charge(http, merchant, 2300, source=customer["id"])
    assert response.status_code == 200, response.text
    made = response.json()
    assert made["customer"] == customer["id"]
    assert made["source"]["id"] == customer["sources"]["data"][0]
    assert made["source"]["last4"] == "4242"
    again = charge(http, merchant, 1800, source=customer["id"])
    assert again.status_code == 200
    listed = http.get(
        "/v1/charges", headers=bearer(merchant), params={"customer": customer["id"]}
    ).json()["data"]
    assert [c["amount"] for c in listed] == [1800, 2300]


def test_the_saved_token_is_multi_pay_but_needs_stored_credentials(http, merchant):
    token = tokenize(http, merchant)
    create_customer(http, merchant, source=token)
    assert_error(charge(http, merchant, source=token), 400, "invalid_request", "stored_credentials")
    for _ in range(2):
        response = charge(http, merchant, source=token, stored_credentials=RECURRING)
        assert response.status_code == 200, response.text


def test_a_multipay_flag_on_v1_tokens_makes_a_reusable_token(http, merchant):
    response = http.post(
        "/v1/tokens",
        headers={"apikey": merchant["api_access_key"]},
        json={
            "card": {
                "number": "4242424242424242",
                "exp_month": "12",
                "exp_year": "2034",
                "cvv": "123",
                "brand": "VISA",
            },
            "multipay": True,
        },
    )
    token = response.json()["id"]
    assert charge(http, merchant, source=token, stored_credentials=FIRST).status_code == 200
    assert charge(http, merchant, source=token, stored_credentials=AGAIN).status_code == 200
    assert_error(
        http.post(
            "/v1/tokens",
            headers={"apikey": merchant["api_access_key"]},
            json={"card": {}, "multipay": "yes"},
        ),
        400,
        "invalid_request",
        "multipay",
    )


def test_a_subsequent_charge_without_a_first_carries_a_warning(http, merchant):
    customer = create_customer(http, merchant).json()
    warned = charge(http, merchant, source=customer["id"], stored_credentials=AGAIN).json()
    assert "without Initial credential on file" in warned["warning_message"]

    token = tokenize(http, merchant)
    first = charge(
        http, merchant, source=token, intent="save_credential_on_file", stored_credentials=FIRST
    ).json()
    assert first["warning_message"] is None
    saved = create_customer(http, merchant, source=token).json()
    fine = charge(http, merchant, source=saved["id"], stored_credentials=RECURRING).json()
    assert fine["warning_message"] is None


def test_a_declined_first_charge_does_not_count_as_the_first(http, merchant):
    token = tokenize(http, merchant, number="4005571702222222")
    customer = create_customer(http, merchant, source=token).json()
    declined = charge(http, merchant, source=customer["id"], stored_credentials=FIRST)
    assert_error(declined, 402, "card_declined")
    again = charge(http, merchant, source=customer["id"], stored_credentials=AGAIN)
    failed = assert_error(again, 402, "card_declined")["charge"]
    stored = http.get(f"/v1/charges/{failed}", headers=bearer(merchant)).json()
    assert "Initial credential on file" in (stored["warning_message"] or ""), stored


def test_put_adds_a_card_which_then_pays_and_the_same_card_twice_is_409(http, merchant):
    customer = create_customer(http, merchant).json()
    amex = tokenize(http, merchant, number="378282246310005", cvv="1234", brand="AMEX")
    response = http.put(
        f"/v1/customers/{customer['id']}",
        headers=bearer(merchant),
        json={"source": amex, "phone": "5550100"},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert len(updated["sources"]["data"]) == 2 and updated["phone"] == "5550100"
    assert charge(http, merchant, source=customer["id"]).json()["source"]["brand"] == "AMEX"

    same_visa = tokenize(http, merchant)
    again = http.put(
        f"/v1/customers/{customer['id']}", headers=bearer(merchant), json={"source": same_visa}
    )
    error = assert_error(again, 409, "invalid_request", "source")
    assert customer["sources"]["data"][0] in error["message"]


def test_revoking_a_card_stops_the_customer_and_the_token(http, merchant):
    token = tokenize(http, merchant)
    customer = create_customer(http, merchant, source=token).json()
    [card_id] = customer["sources"]["data"]
    response = http.delete(
        f"/v1/customers/{customer['id']}/sources/{card_id}", headers=bearer(merchant)
    )
    assert response.json() == {"deleted": True, "id": card_id, "object": "deletedcard"}
    assert (
        http.get(f"/v1/customers/{customer['id']}", headers=bearer(merchant)).json()["sources"][
            "data"
        ]
        == []
    )
    assert_error(
        charge(http, merchant, source=customer["id"]), 400, "card_on_file_missing", "source"
    )
    assert_error(
        charge(http, merchant, source=token, stored_credentials=RECURRING),
        400,
        "card_on_file_missing",
        "source",
    )
    gone = http.delete(
        f"/v1/customers/{customer['id']}/sources/{card_id}", headers=bearer(merchant)
    )
    assert_error(gone, 404, "resource_missing")


def test_missing_customers_are_404_and_other_merchants_see_nothing(http, merchant, other_merchant):
    customer = create_customer(http, merchant).json()
    for who in (other_merchant,):
        assert_error(
            http.get(f"/v1/customers/{customer['id']}", headers=bearer(who)),
            404,
            "resource_missing",
        )
        assert_error(charge(http, who, source=customer["id"]), 404, "resource_missing", "source")
    assert_error(charge(http, merchant, source="ZZZZZZZZZZZZZ"), 404, "resource_missing", "source")
    assert_error(charge(http, merchant, source="not-a-customer"), 400, "invalid_request", "source")
    assert_error(
        http.put("/v1/customers/ZZZZZZZZZZZZZ", headers=bearer(merchant), json={}),
        404,
        "resource_missing",
    )


def test_creating_a_customer_is_idempotent(http, merchant):
    token = tokenize(http, merchant)
    headers = bearer(merchant)
    body = {"email": "ada@example.com", "source": token}
    first = http.post("/v1/customers", headers=headers, json=body)
    second = http.post("/v1/customers", headers=headers, json=body)
    assert second.headers["idempotent-replayed"] == "true"
    assert first.json() == second.json()


@pytest.mark.parametrize("email", [None, "", "  "])
def test_a_new_customer_needs_an_email(http, merchant, email):
    """ecommerce-saving-card: `email` and `source` are the required parameters of
    POST /v1/customers; without an email nothing is saved and the token stays unused."""
    token = tokenize(http, merchant)
    response = create_customer(http, merchant, source=token, email=email)
    error = assert_error(response, 400, "invalid_request", "email")
    assert "email" in error["message"]
    assert http.get("/v1/customers", headers=bearer(merchant)).json().get("data", []) == []
    assert create_customer(http, merchant, source=token).status_code == 200


def test_an_update_may_leave_the_email_out(http, merchant):
    customer = create_customer(http, merchant).json()
    changed = http.put(
        f"/v1/customers/{customer['id']}", headers=bearer(merchant), json={"firstName": "Grace"}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["email"] == "ada@example.com"
