"""Gift cards as Clover's page documents them (https://docs.clover.com/docs/gift-card-api):
a redemption for more than the balance is not declined, activation of a physical card and
of a virtual one by promotion code, multi-lock then capture, and the voids of a refund, a
reload and a cashout."""

from __future__ import annotations

from tests.resources.gift_cards.test_http import FIFTEEN, FIFTY, balance, gift_token, post
from tests.support import assert_error, bearer, tokenize

INACTIVE = "7777010000000035"
INACTIVE_OPEN = "7777010000000043"


def test_more_than_the_balance_is_not_declined_the_balance_goes_to_zero(http, merchant):
    token = gift_token(http, merchant, FIFTEEN)
    charge = post(
        http,
        merchant,
        "/v1/charges",
        amount=4000,
        currency="usd",
        source=token,
        partial_redemption=True,
    )
    assert charge.status_code == 200, charge.text
    body = charge.json()
    assert body["status"] == "succeeded" and body["amount"] == 1500 and body["paid"]
    assert body["partial_auth"] is True and body["warning_message"] is None
    assert body["gift_card"] == {
        "expiration_date": "3025-01-01",
        "previous_balance": 1500,
        "new_balance": 0,
    }


def test_without_partial_redemption_the_answer_carries_clovers_warning(http, merchant):
    token = gift_token(http, merchant, FIFTY)
    body = post(http, merchant, "/v1/charges", amount=100, currency="usd", source=token).json()
    assert body["warning_message"] == "partial_redemption should be true for gift card"
    assert "partial_auth" not in body


def test_a_physical_card_is_activated_by_its_token(http, merchant):
    token = gift_token(http, merchant, INACTIVE)
    refused = post(http, merchant, "/v1/balance_inquiry", source=token)
    assert_error(refused, 400, "invalid_request", "source")
    activated = post(http, merchant, "/v1/activate", source=token)
    assert activated.status_code == 200, activated.text
    body = activated.json()
    assert body["status"] == "succeeded" and body["amount"] == 5000
    assert body["source"] == {"last4": "0035"}
    assert body["gift_card"]["previous_balance"] == 0
    assert body["gift_card"]["new_balance"] == 5000
    assert balance(http, merchant, token) == 5000
    again = post(http, merchant, "/v1/activate", source=token)
    assert_error(again, 409, "invalid_request", "source")


def test_a_non_denominated_card_needs_its_amount(http, merchant):
    token = gift_token(http, merchant, INACTIVE_OPEN)
    assert_error(
        post(http, merchant, "/v1/activate", source=token), 400, "invalid_request", "amount"
    )
    body = post(http, merchant, "/v1/activate", source=token, amount=2000, currency="usd").json()
    assert body["gift_card"]["new_balance"] == 2000


def test_a_virtual_card_is_made_by_promotion_code_and_can_be_tokenized(http, merchant):
    made = post(http, merchant, "/v1/activate", promotion_code="67062")
    assert made.status_code == 200, made.text
    card = made.json()["gift_card"]
    assert card["new_balance"] == 5000 and card["number"].startswith("7777")
    assert len(card["security_card_value"]) == 8
    token = gift_token(http, merchant, card["number"])
    assert balance(http, merchant, token) == 5000
    wrong = post(http, merchant, "/v1/activate", promotion_code="67062", amount=10, currency="usd")
    assert_error(wrong, 400, "invalid_charge_amount", "amount")
    open_value = post(
        http, merchant, "/v1/activate", promotion_code="67063", amount=2000, currency="usd"
    )
    assert open_value.json()["gift_card"]["new_balance"] == 2000
    unknown = post(http, merchant, "/v1/activate", promotion_code="11111")
    assert_error(unknown, 400, "invalid_request", "promotion_code")


def test_multi_lock_then_capture_redeems_part_and_unlocks_the_rest(http, merchant):
    token = gift_token(http, merchant, FIFTY)
    lock = post(
        http,
        merchant,
        "/v1/charges",
        amount=1000,
        currency="usd",
        source=token,
        capture=False,
        partial_redemption=True,
    ).json()
    assert lock["captured"] is False and lock["amount"] == 1000
    assert lock["gift_card"]["previous_balance"] == 5000
    assert lock["gift_card"]["new_balance"] == 4000
    assert isinstance(lock["gift_card"]["lock_id"], int)
    inquiry = post(http, merchant, "/v1/balance_inquiry", source=token).json()
    assert inquiry["gift_card"]["new_balance"] == 4000
    assert inquiry["gift_card"]["lock_amount"] == 1000
    captured = post(http, merchant, f"/v1/charges/{lock['id']}/capture", amount=600)
    assert captured.status_code == 200, captured.text
    card = captured.json()["gift_card"]
    assert card["previous_balance"] == 5000 and card["new_balance"] == 4400
    assert card["lock_amount"] == 0 and card["lock_id"] == lock["gift_card"]["lock_id"]
    assert balance(http, merchant, token) == 4400


def test_a_void_of_a_lock_gives_it_all_back(http, merchant):
    token = gift_token(http, merchant, FIFTY)
    lock = post(
        http, merchant, "/v1/charges", amount=700, currency="usd", source=token, capture=False
    ).json()
    void = post(http, merchant, "/v1/refunds", charge=lock["id"])
    assert void.status_code == 200 and void.json()["metadata"]["refundType"] == "PREAUTH"
    assert balance(http, merchant, token) == 5000
    again = post(http, merchant, f"/v1/refunds/{void.json()['id']}/cancel")
    assert_error(again, 400, "invalid_request", "refund_id")
    assert balance(http, merchant, token) == 5000


def test_a_refund_to_a_gift_card_is_voided_by_cancel(http, merchant):
    token = gift_token(http, merchant, FIFTY)
    charge = post(http, merchant, "/v1/charges", amount=1000, currency="usd", source=token).json()
    refund = post(http, merchant, "/v1/refunds", charge=charge["id"], amount=400).json()
    assert balance(http, merchant, token) == 4400
    voided = post(http, merchant, f"/v1/refunds/{refund['id']}/cancel", reason="USER_CANCEL")
    assert voided.status_code == 200, voided.text
    body = voided.json()
    assert body["object"] == "void_on_refund" and body["status"] == "succeeded"
    assert body["amount"] == 400 and body["charge"] == charge["id"]
    assert body["metadata"]["refundType"] == "VOID"
    assert body["gift_card"]["previous_balance"] == 4400
    assert body["gift_card"]["new_balance"] == 4000
    assert balance(http, merchant, token) == 4000
    again = post(http, merchant, f"/v1/refunds/{refund['id']}/cancel")
    assert_error(again, 409, "invalid_request", "refund_id")


def test_a_reload_and_a_cashout_are_voided_by_refunds(http, merchant):
    token = gift_token(http, merchant, FIFTY)
    reload = post(http, merchant, "/v1/reload", source=token, amount=500, currency="usd").json()
    void = post(http, merchant, "/v1/refunds", charge=reload["id"], reason="requested_by_customer")
    assert void.status_code == 200, void.text
    assert void.json()["metadata"]["refundType"] == "VOID"
    assert void.json()["gift_card"]["new_balance"] == 5000
    cashout = post(http, merchant, "/v1/cashout", source=token).json()
    assert balance(http, merchant, token) == 0
    back = post(http, merchant, "/v1/refunds", charge=cashout["id"]).json()
    assert back["gift_card"]["new_balance"] == 5000 and balance(http, merchant, token) == 5000


def test_only_a_gift_card_refund_is_voided_and_only_if_the_card_holds_it(http, merchant):
    card_charge = post(
        http, merchant, "/v1/charges", amount=800, currency="usd", source=tokenize(http, merchant)
    ).json()
    card_refund = post(http, merchant, "/v1/refunds", charge=card_charge["id"]).json()
    refused = post(http, merchant, f"/v1/refunds/{card_refund['id']}/cancel")
    assert_error(refused, 400, "invalid_request", "refund_id")
    token = gift_token(http, merchant, FIFTEEN)
    charge = post(http, merchant, "/v1/charges", amount=1500, currency="usd", source=token).json()
    refund = post(http, merchant, "/v1/refunds", charge=charge["id"]).json()
    post(http, merchant, "/v1/cashout", source=token).raise_for_status()
    spent = post(http, merchant, f"/v1/refunds/{refund['id']}/cancel")
    assert_error(spent, 400, "invalid_request", "refund_id")
    after = http.get(f"/v1/refunds/{refund['id']}", headers=bearer(merchant)).json()
    assert after["status"] == "succeeded"


def test_the_pages_string_booleans_are_taken_and_other_strings_refused(http, merchant):
    token = gift_token(http, merchant, FIFTY)
    lock = post(
        http,
        merchant,
        "/v1/charges",
        amount=100,
        currency="usd",
        source=token,
        capture="false",
        partial_redemption="true",
    )
    assert lock.status_code == 200, lock.text
    assert lock.json()["captured"] is False and lock.json()["partial_auth"] is True
    other = gift_token(http, merchant, FIFTY)
    wrong = post(
        http, merchant, "/v1/charges", amount=100, currency="usd", source=other, capture="yes"
    )
    assert_error(wrong, 400, "invalid_request", "capture")


def test_a_capture_of_0_releases_a_lock_and_leaves_the_balance(http, merchant):
    token = gift_token(http, merchant, FIFTY)
    lock = post(
        http, merchant, "/v1/charges", amount=900, currency="usd", source=token, capture=False
    ).json()
    held = post(http, merchant, "/v1/balance_inquiry", source=token).json()["gift_card"]
    assert (held["new_balance"], held["lock_amount"]) == (4100, 900)
    released = post(http, merchant, f"/v1/charges/{lock['id']}/capture", amount=0)
    assert released.status_code == 200, released.text
    body = released.json()
    assert body["gift_card"]["new_balance"] == 5000 and body["gift_card"]["lock_amount"] == 0
    assert body["refunded"] is True and body["amount_captured"] == 0
    assert balance(http, merchant, token) == 5000
    again = post(http, merchant, f"/v1/charges/{lock['id']}/capture", amount=100)
    assert again.status_code == 400
    refund = post(http, merchant, "/v1/refunds", charge=lock["id"])
    assert_error(refund, 400, "charge_already_refunded")
    assert balance(http, merchant, token) == 5000
    card = post(
        http,
        merchant,
        "/v1/charges",
        amount=800,
        currency="usd",
        source=tokenize(http, merchant),
        capture=False,
    ).json()
    zero = post(http, merchant, f"/v1/charges/{card['id']}/capture", amount=0)
    assert_error(zero, 400, "invalid_charge_amount", "amount")
