"""Capture, refunds and voids: the charge's state after each, and every documented error."""

from __future__ import annotations

from tests.support import assert_error, bearer, charge


def capture(http, merchant, charge_id, **body):
    return http.post(f"/v1/charges/{charge_id}/capture", headers=bearer(merchant), json=body)


def refund(http, merchant, charge_id, **body):
    return http.post("/v1/refunds", headers=bearer(merchant), json={"charge": charge_id, **body})


def read(http, merchant, charge_id):
    return http.get(f"/v1/charges/{charge_id}", headers=bearer(merchant)).json()


def test_partial_capture_releases_the_rest(http, merchant):
    auth = charge(http, merchant, 5000, capture=False).json()
    captured = capture(http, merchant, auth["id"], amount=4200).json()
    assert captured["captured"] is True and captured["amount"] == 5000
    assert captured["amount_captured"] == 4200
    assert_error(capture(http, merchant, auth["id"]), 400, "charge_already_captured")
    assert_error(refund(http, merchant, auth["id"], amount=4300), 400, "processing_error")
    assert refund(http, merchant, auth["id"]).json()["amount"] == 4200


def test_capture_without_amount_takes_everything(http, merchant):
    auth = charge(http, merchant, 5000, capture=False).json()
    response = http.post(f"/v1/charges/{auth['id']}/capture", headers=bearer(merchant))
    assert response.json()["amount_captured"] == 5000


def test_capture_errors(http, merchant):
    sale = charge(http, merchant, 1000).json()
    assert_error(capture(http, merchant, sale["id"]), 400, "processing_error")
    auth = charge(http, merchant, 1000, capture=False).json()
    assert_error(
        capture(http, merchant, auth["id"], amount=1001), 400, "invalid_charge_amount", "amount"
    )
    assert_error(
        capture(http, merchant, auth["id"], amount=0), 400, "invalid_charge_amount", "amount"
    )
    assert_error(capture(http, merchant, "NOSUCHCHARGE1"), 404, "resource_missing")
    declined = charge(http, merchant, card={"number": "4005571702222222"})
    assert_error(
        capture(http, merchant, declined.json()["error"]["charge"]), 400, "processing_error"
    )


def test_full_and_partial_refunds(http, merchant):
    sale = charge(http, merchant, 2000).json()
    first = refund(http, merchant, sale["id"], amount=500, reason="requested_by_customer")
    assert first.status_code == 200
    body = first.json()
    assert body["object"] == "refund" and body["amount"] == 500 and body["charge"] == sale["id"]
    assert body["status"] == "succeeded" and body["metadata"] == {"refundType": "AUTH"}
    assert body["reason"] == "requested_by_customer"
    state = read(http, merchant, sale["id"])
    assert state["amount_refunded"] == 500 and state["refunded"] is False
    assert_error(refund(http, merchant, sale["id"], amount=1501), 400, "processing_error")
    rest = refund(http, merchant, sale["id"]).json()
    assert rest["amount"] == 1500
    state = read(http, merchant, sale["id"])
    assert state["amount_refunded"] == 2000 and state["refunded"] is True
    assert_error(refund(http, merchant, sale["id"], amount=1), 400, "charge_already_refunded")


def test_refunding_an_authorization_voids_it(http, merchant):
    auth = charge(http, merchant, 3000, capture=False).json()
    void = refund(http, merchant, auth["id"]).json()
    assert void["metadata"]["refundType"] == "PREAUTH" and void["amount"] == 3000
    assert read(http, merchant, auth["id"])["refunded"] is True
    assert_error(capture(http, merchant, auth["id"]), 400, "processing_error")
    assert_error(refund(http, merchant, auth["id"]), 400, "charge_already_refunded")


def test_a_void_is_all_or_nothing(http, merchant):
    auth = charge(http, merchant, 3000, capture=False).json()
    assert_error(refund(http, merchant, auth["id"], amount=100), 400, "processing_error")


def test_refund_input_errors(http, merchant):
    sale = charge(http, merchant, 2000).json()
    assert_error(
        http.post("/v1/refunds", headers=bearer(merchant), json={}),
        400,
        "invalid_request",
        "charge",
    )
    assert_error(refund(http, merchant, "NOSUCHCHARGE1"), 404, "resource_missing", "charge")
    assert_error(
        refund(http, merchant, sale["id"], amount=-5), 400, "invalid_charge_amount", "amount"
    )
    assert_error(
        refund(http, merchant, sale["id"], reason="changed_mind"), 400, "invalid_request", "reason"
    )
    assert_error(refund(http, merchant, sale["id"], note="x"), 400, "invalid_request", "note")
    declined = charge(http, merchant, card={"number": "4005571702222222"}).json()
    assert_error(refund(http, merchant, declined["error"]["charge"]), 400, "processing_error")


def test_refunds_are_readable_and_listed_by_charge(http, merchant):
    one = charge(http, merchant, 2000).json()
    two = charge(http, merchant, 2000).json()
    r1 = refund(http, merchant, one["id"], amount=100).json()
    r2 = refund(http, merchant, one["id"], amount=200).json()
    refund(http, merchant, two["id"], amount=300)
    assert http.get(f"/v1/refunds/{r1['id']}", headers=bearer(merchant)).json() == r1
    listed = http.get("/v1/refunds", headers=bearer(merchant), params={"charge": one["id"]}).json()
    assert listed["object"] == "list" and [r["id"] for r in listed["data"]] == [r2["id"], r1["id"]]
    assert_error(
        http.get("/v1/refunds/NOSUCHREFUND1", headers=bearer(merchant)), 404, "resource_missing"
    )
