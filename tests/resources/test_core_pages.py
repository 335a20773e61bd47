"""Differences between the sandbox and Clover's core pages, read whole; one test each,
named after what Clover's page says (the page's URL is beside each)."""

from __future__ import annotations

import datetime as dt

from helpers.clover.environments import Environment
from helpers.clover.operation import Calls
from helpers.clover.resources.charges import Charges
from tests.support import assert_error, bearer, charge, tokenize

DOCS = "https://docs.clover.com/docs/"


# -- capture (capture-a-charge-tutorial) ------------------------------------------------


def test_capture_takes_a_receipt_email_that_replaces_the_charges(http, merchant):
    """DOCS + capture-a-charge-tutorial: body `amount`, `receipt_email`, `level2`."""
    auth = charge(http, merchant, 1000, capture=False, receipt_email="old@example.com").json()
    captured = http.post(
        f"/v1/charges/{auth['id']}/capture",
        headers=bearer(merchant),
        json={"receipt_email": "new@example.com"},
    )
    assert captured.status_code == 200, captured.text
    assert captured.json()["receipt_email"] == "new@example.com"
    bad = http.post(
        f"/v1/charges/{auth['id']}/capture",
        headers=bearer(merchant),
        json={"receipt_email": "not an email"},
    )
    assert_error(bad, 400, "email_invalid", "receipt_email")


def test_the_client_sends_a_captures_receipt_email():
    env = Environment.local("http://127.0.0.1:1")
    spec = Charges.capture_charge.spec(Calls(env), "CHARGE", receipt_email="a@example.com")
    assert spec.json_body == {"receipt_email": "a@example.com"}


# -- charge lists (get-charges) -------------------------------------------------------


def test_charge_lists_filter_by_created_dot_operator_in_ms_and_date_time(http, merchant):
    """DOCS + get-charges: `created.gt=2021-01-12`, `created.lte=2021-01-15 15:00:00`, or ms."""
    first = charge(http, merchant).json()
    second = charge(http, merchant).json()
    listed = http.get(
        "/v1/charges", headers=bearer(merchant), params={"created.gt": first["created"]}
    ).json()
    assert [c["id"] for c in listed["data"]] == [second["id"]]
    day = dt.datetime.fromtimestamp(first["created"] / 1000, dt.UTC)
    before = (day - dt.timedelta(days=1)).strftime("%Y-%m-%d")
    after = (day + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    for params, ids in (
        ({"created.gte": before}, {first["id"], second["id"]}),
        ({"created.lte": before}, set()),
        ({"created.gte": after}, set()),
        ({"created.lt": after}, {first["id"], second["id"]}),
    ):
        page = http.get("/v1/charges", headers=bearer(merchant), params=params)
        assert page.status_code == 200, page.text
        assert {c["id"] for c in page.json()["data"]} == ids, params
    bad = http.get("/v1/charges", headers=bearer(merchant), params={"created.gt": "yesterday"})
    assert_error(bad, 400, "invalid_request", "created.gt")


def test_the_client_lists_charges_with_clovers_created_filters():
    env = Environment.local("http://127.0.0.1:1")
    spec = Charges.list_charges.spec(Calls(env), created_gte=1, created_lte=2)
    assert spec.params == {"created.gte": 1, "created.lte": 2}


def test_charge_lists_filter_by_is_threeds(http, merchant):
    """DOCS + get-charges: `is_threeds`, `threeds_validation_result`."""
    plain = charge(http, merchant).json()
    no = http.get("/v1/charges", headers=bearer(merchant), params={"is_threeds": "false"})
    yes = http.get("/v1/charges", headers=bearer(merchant), params={"is_threeds": "true"})
    assert [c["id"] for c in no.json()["data"]] == [plain["id"]]
    assert yes.json()["data"] == []
    assert "is_threeds" not in no.headers.get("x-sandbox-ignored-params", "")


# -- charges (ecommerce-accepting-payments, ecommerce-saving-card) -----------------------


def test_a_card_charge_says_payment_method_details_card(http, merchant):
    """DOCS + ecommerce-accepting-payments: `"payment_method_details": "card"`."""
    assert charge(http, merchant).json()["payment_method_details"] == "card"


def test_stored_credentials_take_the_installment_and_bill_pay_fields(http, merchant):
    """DOCS + ecommerce-saving-card: `installment_info`, `bill_pay_indicator`,
    `invoice_number`, `description` beside `sequence`, `is_scheduled`, `initiator`."""
    stored = {
        "sequence": "FIRST",
        "is_scheduled": True,
        "initiator": "CARDHOLDER",
        "installment_info": "1 of 3",
        "bill_pay_indicator": "INSTALLMENT",
        "invoice_number": "INV-1",
        "description": "Three payments",
    }
    response = charge(http, merchant, stored_credentials=stored)
    assert response.status_code == 200, response.text
    bad = charge(http, merchant, stored_credentials={**stored, "bill_pay_indicator": "WEEKLY"})
    assert_error(bad, 400, "invalid_request", "stored_credentials.bill_pay_indicator")


# -- refunds (ecommerce-refunding-payments) ---------------------------------------------


def test_refunds_refuse_part_of_a_charge_with_tax_or_tip(http, merchant):
    """DOCS + ecommerce-refunding-payments: `/v1/refunds` does not support partial refunds
    for charges that include taxes or tips."""
    for extra in ({"tax_amount": 100}, {"tip_amount": 200}):
        sale = charge(http, merchant, 1100, **extra).json()
        part = http.post(
            "/v1/refunds", headers=bearer(merchant), json={"charge": sale["id"], "amount": 500}
        )
        assert_error(part, 400, "invalid_request", "amount")
        whole = http.post("/v1/refunds", headers=bearer(merchant), json={"charge": sale["id"]})
        assert whole.status_code == 200 and whole.json()["amount"] == 1100


# -- tokens (create-a-card-token) -------------------------------------------------------


def test_a_card_token_takes_country_and_needs_no_brand(http, merchant):
    """DOCS + create-a-card-token: `country` optional, `brand` optional."""
    headers = {"apikey": merchant["api_access_key"]}
    card = {"number": "6011361000006668", "exp_month": "12", "exp_year": "2030", "cvv": "123"}
    response = http.post("/v1/tokens", headers=headers, json={"card": {**card, "country": "US"}})
    assert response.status_code == 200, response.text
    assert response.json()["card"]["brand"] == "DISCOVER"
    bad = http.post("/v1/tokens", headers=headers, json={"card": {**card, "country": "USA"}})
    assert_error(bad, 400, "invalid_request", "card.country")
    assert tokenize(http, merchant, brand="VISA").startswith("clv_")


# -- orders (ecommerce-accepting-payments, ecommerce-refunding-payments) ------------------

SKU = {"amount": 1800, "currency": "usd", "description": "Test item #1", "quantity": 1}


def _order(http, merchant, **body):
    return http.post(
        "/v1/orders",
        headers=bearer(merchant),
        json={"currency": "usd", "items": [{**SKU, "type": "sku"}], **body},
    )


def test_an_order_takes_shipping(http, merchant):
    """DOCS + ecommerce-accepting-payments: the create-an-order sample sends `shipping`."""
    shipping = {
        "name": "John Doe",
        "address": {
            "city": "Sunnyvale",
            "country": "US",
            "line1": "415 N Mathilda Ave",
            "postal_code": "94085",
            "state": "California",
        },
    }
    response = _order(http, merchant, shipping=shipping)
    assert response.status_code == 200, response.text
    assert response.json()["shipping"] == shipping
    bad = _order(http, merchant, shipping={"name": "x", "planet": "Mars"})
    assert_error(bad, 400, "invalid_request", "shipping.planet")


def test_an_order_items_tax_rate_may_be_the_merchants_tax_rate_uuid(http, merchant):
    """DOCS + ecommerce-accepting-payments: "TAX AS UUID", `{"name", "tax_rate_uuid"}`."""
    rated = {
        **SKU,
        "type": "sku",
        "tax_rates": [{"name": "Sale", "tax_rate_uuid": "TAXRATE001000"}],
    }
    response = http.post(
        "/v1/orders", headers=bearer(merchant), json={"currency": "usd", "items": [rated]}
    )
    assert response.status_code == 200, response.text
    assert response.json()["amount"] == 1980 and response.json()["tax_amount"] == 180
    unknown = {**rated, "tax_rates": [{"name": "Sale", "tax_rate_uuid": "NOPE"}]}
    bad = http.post(
        "/v1/orders", headers=bearer(merchant), json={"currency": "usd", "items": [unknown]}
    )
    assert_error(bad, 400, "invalid_request", "items[0].tax_rates[0].tax_rate_uuid")


def test_a_paid_order_says_its_ecomind(http, merchant):
    """DOCS + ecommerce-accepting-payments: the pay-for-an-order answer shows `ecomind`."""
    order = _order(http, merchant).json()
    paid = http.post(
        f"/v1/orders/{order['id']}/pay",
        headers=bearer(merchant),
        json={"source": tokenize(http, merchant), "ecomind": "moto"},
    )
    assert paid.status_code == 200, paid.text
    assert paid.json()["ecomind"] == "moto"


def test_returned_items_take_amount_description_and_type(http, merchant):
    """DOCS + ecommerce-refunding-payments: each returned item sends `parent`, `amount`,
    `description`, `quantity`, `type`."""
    order = _order(http, merchant).json()
    http.post(
        f"/v1/orders/{order['id']}/pay",
        headers=bearer(merchant),
        json={"source": tokenize(http, merchant)},
    ).raise_for_status()
    item = {**SKU, "parent": order["items"][0]["parent"], "type": "sku"}
    item.pop("currency")
    wrong = http.post(
        f"/v1/orders/{order['id']}/returns",
        headers=bearer(merchant),
        json={"items": [{**item, "amount": 999}]},
    )
    assert_error(wrong, 400, "invalid_request", "items[0].amount")
    returned = http.post(
        f"/v1/orders/{order['id']}/returns", headers=bearer(merchant), json={"items": [item]}
    )
    assert returned.status_code == 200, returned.text
    assert returned.json()["status"] == "returned"


def test_a_subsequent_charge_without_a_first_carries_clovers_warning_text(http, merchant):
    """DOCS + ecommerce-accepting-payments: the pay-for-an-order answer's `warning_message`
    is "Subsequent credential on file pay request sent for without Initial credential on
    file pay request." (lesson 10 had called the wording the sandbox's)."""
    source = tokenize(http, merchant)
    saved = http.post(
        "/v1/customers", headers=bearer(merchant), json={"source": source, "email": "b@x.co"}
    ).json()
    stored = {"sequence": "SUBSEQUENT", "is_scheduled": False, "initiator": "CARDHOLDER"}
    made = charge(http, merchant, source=saved["id"], stored_credentials=stored).json()
    assert made["warning_message"] == (
        "Subsequent credential on file pay request sent for without Initial credential on "
        "file pay request."
    )


def test_a_charge_takes_the_merchants_tax_rate_uuid(http, merchant):
    """DOCS + ecommerce-accepting-payments: `tax_rate_uuid` (recommended) or `tax_amount`;
    the sample charges 1100 with a 10% rate and answers `tax_amount` 100."""
    made = charge(http, merchant, 1100, tax_rate_uuid="TAXRATE001000")
    assert made.status_code == 200, made.text
    assert made.json()["tax_amount"] == 100 and made.json()["tax_rate_uuid"] == "TAXRATE001000"
    bad = charge(http, merchant, 1100, tax_rate_uuid="NOPE")
    assert_error(bad, 400, "invalid_request", "tax_rate_uuid")


def test_a_paid_order_carries_its_charges_warning_message(http, merchant):
    """DOCS + ecommerce-accepting-payments: the pay-for-an-order answer shows
    `warning_message`."""
    order = _order(http, merchant).json()
    stored = {"sequence": "SUBSEQUENT", "is_scheduled": False, "initiator": "CARDHOLDER"}
    paid = http.post(
        f"/v1/orders/{order['id']}/pay",
        headers=bearer(merchant),
        json={"source": tokenize(http, merchant), "stored_credentials": stored},
    )
    assert paid.status_code == 200, paid.text
    assert paid.json()["warning_message"].startswith("Subsequent credential on file")


def test_the_openapi_document_carries_what_the_pages_added(http):
    """The OpenAPI document (GET /openapi.json) names the fields and parameters above."""
    spec = http.get("/openapi.json").json()
    text = str(spec)
    schemas = spec["components"]["schemas"]
    assert "payment_method_details" in schemas["Charge"]["properties"]
    assert {"shipping", "ecomind", "warning_message"} <= set(schemas["Order"]["properties"])
    for name in ("created.gt", "is_threeds", "threeds_validation_result", "no_refresh_token"):
        assert f"'{name}'" in text, name
    for field in ("receipt_email", "tax_rate_uuid", "bill_pay_indicator", "country"):
        assert f"'{field}'" in text, field


def test_the_client_sends_an_orders_shipping():
    from helpers.clover.resources.orders import Orders

    env = Environment.local("http://127.0.0.1:1")
    shipping = {"name": "John Doe", "address": {"city": "Sunnyvale", "country": "US"}}
    spec = Orders.create_order.spec(Calls(env), [{"type": "sku", "amount": 100}], shipping=shipping)
    assert spec.json_body["shipping"] == shipping


def test_only_a_paid_order_can_be_returned(http, merchant):
    """DOCS + ecommerce-refunding-payments: "the order status value must be either paid or
    fulfilled" to use /v1/orders/{orderId}/returns."""
    order = _order(http, merchant).json()
    part = http.post(
        f"/v1/orders/{order['id']}/pay",
        headers=bearer(merchant),
        json={"source": tokenize(http, merchant), "amount": 800},
    )
    assert part.status_code == 200 and part.json()["status"] == "created", part.text
    refused = http.post(f"/v1/orders/{order['id']}/returns", headers=bearer(merchant), json={})
    assert_error(refused, 400, "invalid_request")
    assert (
        http.get(f"/v1/charges/{part.json()['charge']}", headers=bearer(merchant)).json()[
            "amount_refunded"
        ]
        == 0
    )
