"""Issue 23's ACH findings, each a regression test named after it.

A refund comes after settlement (https://docs.clover.com/docs/ecommerce-refunding-payments:
"a refund is a repayment to the customer after the transaction is settled"), so a pending
ACH charge cannot be refunded, and a returned payment carries no refund and pays no order.
"""

from __future__ import annotations

from tests.resources.ach.test_http import ACH, DAY_MS, ach_token, read
from tests.support import assert_error, bearer

RETURNED_ACCOUNT = "123456780001"


def _order(http, merchant, amount: int = 3000) -> dict:
    response = http.post(
        "/v1/orders",
        headers=bearer(merchant),
        json={
            "currency": "usd",
            "items": [{"type": "sku", "amount": amount, "currency": "usd", "description": "Beans"}],
        },
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_ach_return_leaves_no_refund_standing_and_no_order_paid(http, merchant):
    token = ach_token(http, merchant, bank_account_number=RETURNED_ACCOUNT).json()["id"]
    made = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={"amount": 3000, "currency": "usd", "source": token},
    ).json()
    assert made["status"] == "pending"
    refund = http.post("/v1/refunds", headers=bearer(merchant), json={"charge": made["id"]})
    assert_error(refund, 400, "processing_error", "charge")
    assert "settle" in refund.json()["error"]["message"]
    http.post("/_sandbox/clock", json={"advance_ms": 3 * DAY_MS}).raise_for_status()
    returned = read(http, merchant, made["id"])
    assert returned["status"] == "failed" and returned["ach_return_code"] == "R01"
    assert returned["amount_captured"] == 0 and returned["amount_refunded"] == 0
    listed = http.get("/v1/refunds", params={"charge": made["id"]}, headers=bearer(merchant))
    assert listed.json()["data"] == []
    order = http.get(f"/v1/orders/{made['order']}", headers=bearer(merchant)).json()
    assert order["amount_paid"] == 0 and order["status"] != "paid"


def test_a_returned_ach_payment_of_an_order_unpays_it(http, merchant):
    order = _order(http, merchant)
    token = ach_token(http, merchant, bank_account_number=RETURNED_ACCOUNT).json()["id"]
    paid = http.post(
        f"/v1/orders/{order['id']}/pay", headers=bearer(merchant), json={"source": token}
    )
    assert paid.status_code == 200, paid.text
    http.post("/_sandbox/clock", json={"advance_ms": 3 * DAY_MS}).raise_for_status()
    after = http.get(f"/v1/orders/{order['id']}", headers=bearer(merchant)).json()
    assert after["amount_paid"] == 0 and after["status"] == "created"


def test_paying_an_order_with_an_ach_token_answers_the_order_not_500(http, merchant):
    order = _order(http, merchant)
    token = ach_token(http, merchant).json()["id"]
    paid = http.post(
        f"/v1/orders/{order['id']}/pay", headers=bearer(merchant), json={"source": token}
    )
    assert paid.status_code == 200, paid.text
    body = paid.json()
    assert body["source"]["brand"] == "ACH" and body["source"]["account_last4"] == "9012"
    assert ACH["bank_account_number"] not in paid.text
    http.post("/_sandbox/clock", json={"advance_ms": 3 * DAY_MS}).raise_for_status()
    charge = read(http, merchant, body["charge"])
    assert charge["status"] == "succeeded"
    settled = http.get(f"/v1/orders/{order['id']}", headers=bearer(merchant)).json()
    assert settled["status"] == "paid" and settled["amount_paid"] == 3000
