"""``pay`` and ``refund`` against a fake Clover: every answer, and never a second charge."""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from helpers import CloverClient
from shop import payments
from shop.db import opened
from shop.orders import Order, OrderStatus, get_order
from shop.payments import STALE_AFTER_MS, AttemptStatus, Outcome

from .conftest import new_order
from .fakes import DECLINE_TOKEN, FakeClover

TOKEN = "clv_1TSTapprove0000000000000"
SHOPPER_IP = "203.0.113.7"


def _pay(
    database: str, client: CloverClient, order: Order, token: str = TOKEN
) -> payments.PayResult:
    return payments.pay(database, client, order.id, token, SHOPPER_IP)


def _status(database: str, order: Order) -> OrderStatus:
    with opened(database) as connection:
        found = get_order(connection, order.id)
    assert found is not None
    return found.status


def test_an_approval_pays_the_order_with_its_own_amount_and_the_shoppers_ip(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    result = _pay(database, fake_client, order)
    assert result.outcome is Outcome.PAID
    assert result.order.status is OrderStatus.PAID
    assert result.order.charge_id == result.charge_id
    (request,) = fake.charge_requests()
    body = json.loads(request.content)
    assert body["amount"] == order.amount == 2400
    assert body["source"] == TOKEN
    assert request.headers["x-forwarded-for"] == SHOPPER_IP
    assert request.headers["idempotency-key"]


def test_the_attempt_and_its_key_are_stored_before_clover_is_called(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    seen: list[dict[str, object]] = []

    def look(request: httpx.Request) -> None:
        with opened(database) as connection:
            row = connection.execute(
                "SELECT idempotency_key, status FROM payment_attempts WHERE order_id = ?",
                (order.id,),
            ).fetchone()
        seen.append({"row": dict(row), "header": request.headers["idempotency-key"]})

    fake.on_charge = look
    _pay(database, fake_client, order)
    assert seen == [
        {
            "row": {"idempotency_key": seen[0]["header"], "status": "started"},
            "header": seen[0]["header"],
        }
    ]


def test_the_token_is_erased_once_the_attempt_is_settled(
    database: str, fake_client: CloverClient, order: Order
) -> None:
    _pay(database, fake_client, order)
    with opened(database) as connection:
        sources = [row[0] for row in connection.execute("SELECT source FROM payment_attempts")]
    assert sources == [None]


def test_a_decline_says_so_and_leaves_the_order_payable(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    result = _pay(database, fake_client, order, DECLINE_TOKEN)
    assert result.outcome is Outcome.DECLINED
    assert result.http_status == 402
    assert result.message == "Your card was declined. Nothing was charged. Please try another card."
    assert result.order.status is OrderStatus.PENDING
    again = _pay(database, fake_client, order, TOKEN)
    assert again.outcome is Outcome.PAID
    assert len(fake.charge_requests()) == 2


def test_too_many_declines_fail_the_order(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    outcomes = [_pay(database, fake_client, order, DECLINE_TOKEN).outcome for _ in range(4)]
    assert outcomes == [Outcome.DECLINED, Outcome.DECLINED, Outcome.FAILED, Outcome.FAILED]
    assert _status(database, order) is OrderStatus.FAILED
    assert len(fake.charge_requests()) == 3  # the fourth never reached Clover


def test_a_429_says_nothing_was_charged_and_a_retry_then_pays(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    fake.next = ["429"]
    result = _pay(database, fake_client, order)
    assert result.outcome is Outcome.RATE_LIMITED
    assert result.http_status == 429
    assert "Nothing was charged" in result.message and "try again" in result.message
    assert _status(database, order) is OrderStatus.PENDING
    assert _pay(database, fake_client, order).outcome is Outcome.PAID
    assert len(fake.charges) == 1


def test_a_lost_answer_is_retried_only_with_the_saved_key_and_token(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    fake.next = ["drop"]  # Clover charges, the answer is lost on the way back
    lost = _pay(database, fake_client, order)
    assert lost.outcome is Outcome.UNKNOWN
    assert "never be charged twice" in lost.message
    assert _status(database, order) is OrderStatus.PENDING
    # The shopper presses Pay again; the page made a new token, which must not be used.
    again = _pay(database, fake_client, order, "clv_1TSTanother0000000000000")
    assert again.outcome is Outcome.PAID
    first, second = fake.charge_requests()
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"]
    assert first.content == second.content
    assert len(fake.charges) == 1
    assert again.charge_id in fake.charges


def test_a_lost_request_that_never_arrived_is_sent_again_the_same_way(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    fake.next = ["drop-before"]
    assert _pay(database, fake_client, order).outcome is Outcome.UNKNOWN
    assert _pay(database, fake_client, order).outcome is Outcome.PAID
    assert len(fake.charges) == 1


def test_paying_a_paid_order_does_not_call_clover(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    first = _pay(database, fake_client, order)
    for _ in range(3):  # a reload, a retry, a second tab
        again = _pay(database, fake_client, order, "clv_1TSTanother0000000000000")
        assert again.outcome is Outcome.PAID
        assert again.charge_id == first.charge_id
    assert len(fake.charge_requests()) == 1


def test_two_concurrent_payments_of_one_order_charge_once(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    """The first request is held inside Clover until the second has its answer."""
    inside = threading.Event()
    release = threading.Event()

    def hold(request: httpx.Request) -> None:
        inside.set()
        assert release.wait(10)

    fake.on_charge = hold
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(_pay, database, fake_client, order, TOKEN)
        assert inside.wait(10)
        second = pool.submit(_pay, database, fake_client, order, "clv_1TSTsecond00000000000000")
        in_progress = second.result(10)
        release.set()
        paid = first.result(10)
    assert in_progress.outcome is Outcome.IN_PROGRESS
    assert in_progress.http_status == 409
    assert paid.outcome is Outcome.PAID
    assert len(fake.charge_requests()) == 1
    assert payments.status(database, order.id).outcome is Outcome.PAID


def test_many_concurrent_payments_charge_once(
    database: str, fake: FakeClover, fake_client: CloverClient
) -> None:
    order = new_order(database)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda n: _pay(database, fake_client, order), range(8)))
    assert len(fake.charge_requests()) == 1
    assert {r.outcome for r in results} <= {Outcome.PAID, Outcome.IN_PROGRESS}
    assert _status(database, order) is OrderStatus.PAID


def test_a_stale_started_attempt_is_resent_with_its_key(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    """A process that died mid-call leaves an attempt "started": later it counts as lost."""
    fake.next = ["drop"]
    _pay(database, fake_client, order)
    with opened(database) as connection:
        connection.execute(
            "UPDATE payment_attempts SET status = ?, updated = updated - ?",
            (AttemptStatus.STARTED, STALE_AFTER_MS + 1),
        )
    assert _pay(database, fake_client, order).outcome is Outcome.PAID
    assert len(fake.charges) == 1


def test_a_page_without_a_token_is_told_to_enter_the_card_again(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    result = _pay(database, fake_client, order, "4242424242424242")
    assert result.outcome is Outcome.ERROR
    assert "enter your card again" in result.message
    assert fake.requests == []


def test_nothing_secret_is_logged(
    database: str,
    fake: FakeClover,
    fake_client: CloverClient,
    order: Order,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.next = ["drop"]
    _pay(database, fake_client, order)
    _pay(database, fake_client, order)
    text = caplog.text + repr(fake_client.journal)
    assert TOKEN not in caplog.text
    assert "fake-private-key-0000" not in text


def test_an_unknown_order_is_a_key_error(database: str, fake_client: CloverClient) -> None:
    with pytest.raises(KeyError):
        payments.pay(database, fake_client, "ord_missing", TOKEN, SHOPPER_IP)


# -- refunds -------------------------------------------------------------------------------


def test_a_partial_then_a_full_refund(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    _pay(database, fake_client, order)
    part = payments.refund(database, fake_client, order.id, 500)
    assert part.ok and part.amount == 500
    assert _status(database, order) is OrderStatus.PAID
    rest = payments.refund(database, fake_client, order.id)
    assert rest.ok and rest.amount == order.amount - 500
    with opened(database) as connection:
        done = get_order(connection, order.id)
    assert done is not None
    assert done.status is OrderStatus.REFUNDED and done.amount_refunded == order.amount
    assert [r["amount"] for r in fake.refunds] == [500, order.amount - 500]


def test_a_refund_posted_twice_refunds_once(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    _pay(database, fake_client, order)
    first = payments.refund(database, fake_client, order.id, 300, idempotency_key="form-1")
    second = payments.refund(database, fake_client, order.id, 300, idempotency_key="form-1")
    assert first.ok and second.ok
    assert "already sent" in second.message
    assert len(fake.refunds) == 1


def test_refunds_beyond_the_charge_or_of_unpaid_orders_are_refused(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    unpaid = payments.refund(database, fake_client, order.id)
    assert not unpaid.ok and "pending" in unpaid.message
    _pay(database, fake_client, order)
    too_much = payments.refund(database, fake_client, order.id, order.amount + 1)
    assert not too_much.ok and "2400 cents left" in too_much.message
    assert fake.refunds == []


def test_a_resend_that_finds_its_token_used_never_charges_again(
    database: str, fake: FakeClover, fake_client: CloverClient, order: Order
) -> None:
    """Clover forgot the key (kept 24 h at most) but the token was spent: the first charge
    may exist, so the order stays unconfirmed until a person reconciles it."""
    fake.next = ["drop", "token-used", "token-used"]
    assert _pay(database, fake_client, order).outcome is Outcome.UNKNOWN
    for _ in range(2):
        again = _pay(database, fake_client, order, "clv_1TSTanother0000000000000")
        assert again.outcome is Outcome.UNKNOWN
        assert "do not pay again" in again.message
    keys = {r.headers["idempotency-key"] for r in fake.charge_requests()}
    assert len(keys) == 1
    assert len(fake.charges) == 1
