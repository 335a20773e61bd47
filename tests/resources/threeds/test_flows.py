"""3-D Secure as Clover documents it, over HTTP: the three answers of a charge, the method
flow, the challenge flow, `finalize_payment`, `threeds` on order pay, the test cards, and
issue 23's 3-D Secure findings.

Clover's pages: https://docs.clover.com/docs/3ds-secure-configure-sdk (the answers, the
finalize call, the test cards), https://docs.clover.com/dev/docs/add-3ds-to-pay-for-an-order,
https://docs.clover.com/dev/docs/test-3ds-integration-in-sandbox.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.resources.threeds.flows import (
    CHALLENGE,
    CLOVER,
    DECLINE,
    FRICTIONLESS,
    METHOD_THEN_CHALLENGE,
    METHOD_THEN_DECLINE,
    METHOD_THEN_SUCCESS,
    answer_acs,
    creq,
    finalize,
    read,
    run_method,
    start,
    token,
)
from tests.support import assert_error, bearer, tokenize

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def test_method_flow_answer_has_clovers_shape(http, merchant):
    body = start(http, merchant, METHOD_THEN_SUCCESS).json()
    assert body["status"] == "pending" and body["paid"] is False
    threeds = body["threeds"]
    assert set(threeds) == {"validation_result", "liability_protection_status", "source", "data"}
    assert threeds["validation_result"] == "THREEDS_METHOD_FLOW_REQUIRED"
    assert threeds["liability_protection_status"] == "NOT_PROTECTED"
    assert threeds["source"] == "CLOVER"
    data = threeds["data"]
    assert set(data) == {
        "method_url",
        "method_notification_url",
        "threeds_server_transaction_id",
        "threeds_protocol_version",
    }
    assert UUID.fullmatch(data["threeds_server_transaction_id"])
    assert data["threeds_protocol_version"] == "2.2.0"


def test_challenge_answer_has_clovers_shape(http, merchant):
    threeds = start(http, merchant, CHALLENGE).json()["threeds"]
    assert threeds["validation_result"] == "CHALLENGE_FLOW_REQUIRED"
    assert threeds["liability_protection_status"] == "NOT_PROTECTED"
    assert set(threeds["data"]) == {
        "acs_url",
        "acs_transaction_id",
        "threeds_server_transaction_id",
        "threeds_protocol_version",
    }
    assert UUID.fullmatch(threeds["data"]["acs_transaction_id"])
    page = http.get("/threeds/acs", params={"creq": creq(threeds["data"])})  # a notebook's GET
    assert page.status_code == 200 and "One-time code" in page.text


def test_frictionless_test_card_is_authenticated_at_once(http, merchant):
    body = start(http, merchant, FRICTIONLESS).json()
    assert body["status"] == "succeeded"
    assert body["threeds"]["validation_result"] == "AUTHENTICATION_SUCCESSFUL"
    assert body["threeds"]["liability_protection_status"] == "PROTECTED"


def test_decline_test_card_is_declined_at_once(http, merchant):
    response = start(http, merchant, DECLINE)
    assert_error(response, 402, "card_declined")
    assert response.json()["error"]["declineCode"] == "authentication_failed"


def test_a_test_card_at_another_amount_is_frictionless(http, merchant):
    number, brand, _ = CHALLENGE
    body = start(http, merchant, (number, brand, 1234)).json()
    assert body["threeds"]["validation_result"] == "AUTHENTICATION_SUCCESSFUL"


def test_method_flow_then_success(http, merchant):
    body = start(http, merchant, METHOD_THEN_SUCCESS).json()
    notified = run_method(http, body["threeds"]["data"])
    assert notified.status_code == 200 and 'data-flow="method"' in notified.text
    assert 'data-status="Y"' in notified.text
    done = finalize(http, merchant, body["id"])
    assert done.status_code == 200, done.text
    charge = done.json()
    assert charge["status"] == "succeeded" and charge["captured"] and charge["auth_code"]
    assert charge["threeds"]["validation_result"] == "AUTHENTICATION_SUCCESSFUL"
    assert charge["threeds"]["liability_protection_status"] == "PROTECTED"
    assert read(http, merchant, f"/v1/orders/{charge['order']}")["status"] == "paid"


def test_method_flow_then_decline(http, merchant):
    body = start(http, merchant, METHOD_THEN_DECLINE).json()
    response = finalize(http, merchant, body["id"])
    assert_error(response, 402, "card_declined")
    stored = read(http, merchant, f"/v1/charges/{body['id']}")
    assert stored["status"] == "failed" and stored["outcome"]["type"] == "authentication_failed"


def test_method_flow_then_challenge_then_success(http, merchant):
    body = start(http, merchant, METHOD_THEN_CHALLENGE).json()
    run_method(http, body["threeds"]["data"])
    asked = finalize(http, merchant, body["id"]).json()
    assert asked["status"] == "pending"
    assert asked["threeds"]["validation_result"] == "CHALLENGE_FLOW_REQUIRED"
    data = asked["threeds"]["data"]
    assert (
        data["threeds_server_transaction_id"]
        == (body["threeds"]["data"]["threeds_server_transaction_id"])
    )
    answered = answer_acs(http, data, code="1234", action="verify")
    assert 'data-flow="challenge"' in answered.text and 'data-status="Y"' in answered.text
    done = finalize(http, merchant, body["id"]).json()
    assert done["status"] == "succeeded"


@pytest.mark.parametrize("form", [{"action": "cancel"}, {"code": "0000", "action": "verify"}])
def test_challenge_failed_declines_at_finalize(http, merchant, form):
    body = start(http, merchant, CHALLENGE).json()
    answered = answer_acs(http, body["threeds"]["data"], **form)
    assert 'data-status="N"' in answered.text
    response = finalize(http, merchant, body["id"], "N")
    assert_error(response, 402, "card_declined")
    stored = read(http, merchant, f"/v1/charges/{body['id']}")
    assert stored["status"] == "failed"
    assert stored["threeds"]["validation_result"] == "AUTHENTICATION_FAILED"


def test_the_issuer_decides_not_the_browsers_flow_status(http, merchant):
    body = start(http, merchant, CHALLENGE).json()
    answer_acs(http, body["threeds"]["data"], action="cancel")
    response = finalize(http, merchant, body["id"], "Y")  # a browser claiming success
    assert_error(response, 402, "card_declined")


def test_finalize_before_the_shopper_answers_is_refused_and_changes_nothing(http, merchant):
    body = start(http, merchant, CHALLENGE).json()
    assert finalize(http, merchant, body["id"]).status_code == 409
    assert read(http, merchant, f"/v1/charges/{body['id']}")["status"] == "pending"
    answer_acs(http, body["threeds"]["data"], code="1234", action="verify")
    assert finalize(http, merchant, body["id"]).json()["status"] == "succeeded"


def test_finalize_of_a_charge_not_waiting_names_the_field(http, merchant):
    body = start(http, merchant, FRICTIONLESS).json()
    assert_error(finalize(http, merchant, body["id"]), 400, "invalid_request", "charge_id")
    missing = assert_error(finalize(http, merchant, "NOSUCHCHARGE1"), 404, "resource_missing")
    assert missing["param"] == "charge_id" and "NOSUCHCHARGE1" in missing["message"]


@pytest.mark.parametrize(
    ("threeds", "param"),
    [
        (None, "threeds"),
        ({"source": "NON_CLOVER", "flow_status": "Y"}, "threeds.source"),
        ({"source": "CLOVER"}, "threeds.flow_status"),
        ({"source": "CLOVER", "flow_status": "maybe"}, "threeds.flow_status"),
        ({"source": "CLOVER", "flow_status": "Y", "extra": 1}, "threeds.extra"),
    ],
)
def test_finalize_request_is_checked_by_field(http, merchant, threeds, param):
    body: dict[str, Any] = {"charge_id": "ABCDEFGHJKMNP"}
    if threeds is not None:
        body["threeds"] = threeds
    response = http.post("/v1/charges/finalize_payment", headers=bearer(merchant), json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] == param


def test_acs_and_method_pages_refuse_bad_input_with_a_page(http):
    assert http.post("/threeds/acs", data={"creq": "%%%"}).status_code == 400
    assert http.post("/threeds/acs", data={}).status_code == 400
    assert http.get("/threeds/acs", params={"creq": "e30"}).status_code == 404  # {}
    assert (
        http.post("/threeds/method", data={"threeDSMethodData": "bm90IGpzb24"}).status_code == 400
    )
    assert http.post("/clover3DS/method-notification", data={}).status_code == 400


def test_another_merchant_cannot_finalize(http, merchant, other_merchant):
    body = start(http, merchant, METHOD_THEN_SUCCESS).json()
    assert_error(finalize(http, other_merchant, body["id"]), 404, "resource_missing")


# -- threeds on order pay (https://docs.clover.com/dev/docs/add-3ds-to-pay-for-an-order) ----


def order(http, merchant, amount: int) -> dict[str, Any]:
    body = {"currency": "usd", "items": [{"type": "sku", "amount": amount, "parent": "mug"}]}
    response = http.post("/v1/orders", headers=bearer(merchant), json=body)
    assert response.status_code == 200, response.text
    return response.json()


def pay(http, merchant, order_id: str, source: str, **body: Any):
    payload = {"source": source, "email": "ada@example.com", **body}
    return http.post(f"/v1/orders/{order_id}/pay", headers=bearer(merchant), json=payload)


def test_order_pay_takes_threeds_and_runs_the_challenge(http, merchant):
    opened = order(http, merchant, CHALLENGE[2])
    paying = pay(http, merchant, opened["id"], token(http, merchant, CHALLENGE), threeds=CLOVER)
    assert paying.status_code == 200, paying.text
    waiting = read(http, merchant, f"/v1/orders/{opened['id']}")
    assert waiting["status"] == "created" and waiting.get("amount_paid", 0) == 0
    charge = read(http, merchant, f"/v1/charges/{paying.json()['charge']}")
    assert charge["threeds"]["validation_result"] == "CHALLENGE_FLOW_REQUIRED"
    answer_acs(http, charge["threeds"]["data"], code="1234", action="verify")
    assert finalize(http, merchant, charge["id"]).status_code == 200
    paid = read(http, merchant, f"/v1/orders/{opened['id']}")
    assert paid["status"] == "paid" and paid["amount_paid"] == CHALLENGE[2]


def test_order_pay_frictionless_with_threeds(http, merchant):
    opened = order(http, merchant, 1200)
    paying = pay(http, merchant, opened["id"], tokenize(http, merchant, name="Ada"), threeds=CLOVER)
    assert paying.status_code == 200 and paying.json()["status"] == "paid"


# -- issue 23's 3-D Secure findings -------------------------------------------------------


def _captured(http, merchant, order_id: str) -> int:
    shown = read(http, merchant, f"/v1/orders/{order_id}")
    ids = [c["id"] for c in shown.get("past_charges", [])] + [shown["charge"]]
    return sum(read(http, merchant, f"/v1/charges/{i}")["amount_captured"] for i in ids)


def test_issue23_order_paid_twice_through_a_pending_challenge(http, merchant):
    """(High) A challenge charge with capture true waits on its order; paying the order
    with another card must be refused until it is finalized, so passing the challenge can
    never capture more than the order's total."""
    body = start(http, merchant, CHALLENGE).json()
    assert body["status"] == "pending"
    other = pay(http, merchant, body["order"], tokenize(http, merchant))
    assert_error(other, 409, "invalid_request")
    assert body["id"] in other.json()["error"]["message"]
    answer_acs(http, body["threeds"]["data"], code="1234", action="verify")
    assert finalize(http, merchant, body["id"]).status_code == 200
    shown = read(http, merchant, f"/v1/orders/{body['order']}")
    assert shown["status"] == "paid"
    assert _captured(http, merchant, body["order"]) == shown["amount"] == CHALLENGE[2]


def test_issue23_order_paid_twice_through_a_pending_order_pay_challenge(http, merchant):
    """(High, on order pay) The same hold when the waiting charge came from order pay."""
    opened = order(http, merchant, CHALLENGE[2])
    first = pay(http, merchant, opened["id"], token(http, merchant, CHALLENGE), threeds=CLOVER)
    charge_id = first.json()["charge"]
    assert_error(
        pay(http, merchant, opened["id"], tokenize(http, merchant)), 409, "invalid_request"
    )
    data = read(http, merchant, f"/v1/charges/{charge_id}")["threeds"]["data"]
    answer_acs(http, data, code="1234", action="verify")
    finalize(http, merchant, charge_id)
    assert _captured(http, merchant, opened["id"]) == CHALLENGE[2]


def test_issue23_a_declined_challenge_frees_the_order(http, merchant):
    body = start(http, merchant, CHALLENGE).json()
    answer_acs(http, body["threeds"]["data"], action="cancel")
    assert finalize(http, merchant, body["id"], "N").status_code == 402
    again = pay(http, merchant, body["order"], tokenize(http, merchant))
    assert again.status_code == 200 and again.json()["status"] == "paid"
    assert _captured(http, merchant, body["order"]) == CHALLENGE[2]


def require(http, merchant) -> None:
    switch = {"merchant_id": merchant["merchant_id"], "required": True}
    assert http.post("/_sandbox/threeds", json=switch).status_code == 200


def test_issue23_three_d_secure_required_is_skipped_by_order_pay(http, merchant):
    """(Medium) The merchant's "3-D Secure required" applies to order pay too."""
    require(http, merchant)
    opened = order(http, merchant, 1200)
    response = pay(http, merchant, opened["id"], tokenize(http, merchant))
    assert_error(response, 400, "invalid_request", "threeds")
    assert read(http, merchant, f"/v1/orders/{opened['id']}")["status"] == "created"
    ok = pay(http, merchant, opened["id"], tokenize(http, merchant, name="Ada"), threeds=CLOVER)
    assert ok.status_code == 200 and ok.json()["status"] == "paid"


MIT = {"sequence": "SUBSEQUENT", "is_scheduled": False, "initiator": "MERCHANT"}


def test_issue23_merchant_initiated_subsequent_on_a_fresh_token_skips_three_d_secure(
    http, merchant
):
    """(Low) SUBSEQUENT, MERCHANT on a card with no customer-initiated FIRST is not exempt."""
    require(http, merchant)
    response = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={
            "amount": 1500,
            "currency": "usd",
            "source": tokenize(http, merchant),
            "stored_credentials": MIT,
        },
    )
    error = assert_error(response, 400, "invalid_request", "threeds")
    assert "FIRST" in error["message"]


def test_merchant_initiated_after_a_first_with_threeds_is_exempt(http, merchant):
    require(http, merchant)
    source = tokenize(http, merchant, name="Ada")
    first = {"sequence": "FIRST", "is_scheduled": False, "initiator": "CARDHOLDER"}
    made = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={
            "amount": 1500,
            "currency": "usd",
            "source": source,
            "receipt_email": "ada@example.com",
            "threeds": CLOVER,
            "stored_credentials": first,
            "intent": "save_credential_on_file",
        },
    )
    assert made.status_code == 200, made.text
    later = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={"amount": 1500, "currency": "usd", "source": source, "stored_credentials": MIT},
    )
    assert later.status_code == 200, later.text


def test_a_charge_waiting_for_threeds_cannot_be_refunded(http, merchant):
    """Found while building this flow: a void of a waiting charge was accepted, and the
    finalize then succeeded too: refunded money that was never authorized."""
    body = start(http, merchant, CHALLENGE).json()
    refund = http.post("/v1/refunds", headers=bearer(merchant), json={"charge": body["id"]})
    error = assert_error(refund, 400, "processing_error")
    assert "finalize" in error["message"]
    answer_acs(http, body["threeds"]["data"], code="1234", action="verify")
    done = finalize(http, merchant, body["id"]).json()
    assert done["status"] == "succeeded" and done["amount_refunded"] == 0


def test_a_replayed_order_pay_answer_is_unchanged_by_its_finalize(http, merchant):
    """Found by the money state machine: finalize changed the order answer an idempotent
    replay of the pay gives back (its status_transitions), so the replay was not the first
    answer byte for byte."""
    opened = order(http, merchant, CHALLENGE[2])
    headers = bearer(merchant)
    body = {"source": token(http, merchant, CHALLENGE), "threeds": CLOVER, "email": "a@b.co"}
    first = http.post(f"/v1/orders/{opened['id']}/pay", headers=headers, json=body)
    charge = read(http, merchant, f"/v1/charges/{first.json()['charge']}")
    answer_acs(http, charge["threeds"]["data"], code="1234", action="verify")
    assert finalize(http, merchant, charge["id"]).status_code == 200
    again = http.post(f"/v1/orders/{opened['id']}/pay", headers=headers, json=body)
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.content == first.content


def test_a_replayed_order_answer_is_the_first_answer_after_the_order_is_paid(http, merchant):
    """Found beside the one above: a replay of `POST /v1/orders` after the order was paid
    showed the later `status_transitions.paid`: the idempotency store kept the answer's
    nested objects shared with the stored order."""
    headers = bearer(merchant)
    body = {"currency": "usd", "items": [{"type": "sku", "amount": 1200, "parent": "mug"}]}
    first = http.post("/v1/orders", headers=headers, json=body)
    pay(http, merchant, first.json()["id"], tokenize(http, merchant))
    again = http.post("/v1/orders", headers=headers, json=body)
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.content == first.content
