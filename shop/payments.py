"""Charging an order exactly once, and refunding it.

The rule that keeps a shopper from paying twice: **write the attempt and its idempotency
key to the database before calling Clover**, and when an answer is lost, send the very same
request again (same key, same token, same amount) and never a new one. Clover recognises
the key and answers with the first charge instead of making a second
(https://docs.clover.com/docs/ecommerce-accepting-payments). While one request is talking
to Clover for an order, any other request for that order (a double click, a second tab) is
told to wait, never sent on.

Each charge carries the shopper's IP in ``x-forwarded-for``, which Clover requires on
charges and order payments (https://docs.clover.com/reference/createcharge).
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from helpers.clover.client import CloverClient
from helpers.clover.errors import (
    APIConnectionError,
    APIError,
    CardError,
    CloverError,
    RateLimitError,
)

from .db import now_ms, opened, transaction
from .orders import IllegalTransition, Order, OrderStatus, get_order, transition

__all__ = [
    "STALE_AFTER_MS",
    "AttemptStatus",
    "Outcome",
    "PayResult",
    "ReconcileResult",
    "RefundResult",
    "external_reference",
    "pay",
    "reconcile",
    "refund",
    "status",
]

log = logging.getLogger("shop.payments")

STALE_AFTER_MS = 120_000
"""An attempt still ``started`` after this long lost its request (a crash, a restart):
it is then resent with its saved key like any lost answer."""


class AttemptStatus(StrEnum):
    STARTED = "started"
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    RATE_LIMITED = "rate_limited"
    UNKNOWN = "unknown"
    """No answer from Clover: the charge may have happened. Resend with the saved key."""
    ERROR = "error"


class Outcome(StrEnum):
    PAID = "paid"
    DECLINED = "declined"
    RATE_LIMITED = "rate_limited"
    UNKNOWN = "unknown"
    IN_PROGRESS = "in_progress"
    FAILED = "failed"
    ERROR = "error"
    NOT_PAYABLE = "not_payable"


# A decline stays 402 (Clover's own status for it, taught in notebook 19): the payment page
# reads the body of every answer, so the status never surfaces as an uncaught error.
_HTTP_STATUS = {
    Outcome.PAID: 200,
    Outcome.DECLINED: 402,
    Outcome.RATE_LIMITED: 429,
    Outcome.UNKNOWN: 502,
    Outcome.IN_PROGRESS: 409,
    Outcome.FAILED: 402,
    Outcome.ERROR: 400,
    Outcome.NOT_PAYABLE: 409,
}


@dataclass(frozen=True)
class PayResult:
    """What the shopper is told: ``message`` is written for them, safe to show."""

    outcome: Outcome
    message: str
    order: Order
    charge_id: str | None = None
    error_code: str | None = None

    @property
    def http_status(self) -> int:
        return _HTTP_STATUS[self.outcome]

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "message": self.message,
            "order": {"id": self.order.id, "status": self.order.status.value},
            "charge": self.charge_id,
            "code": self.error_code,
        }


MESSAGES = {
    Outcome.PAID: "Thank you: your payment was approved.",
    Outcome.RATE_LIMITED: (
        "The payment service is busy. Nothing was charged; please try again in a moment."
    ),
    Outcome.UNKNOWN: (
        "We could not confirm your payment with the bank. Please press Pay again in a moment: "
        "we will check it, and you will never be charged twice."
    ),
    Outcome.IN_PROGRESS: "Your payment is being processed; this page will update.",
    Outcome.FAILED: (
        "This order was declined too many times and is closed. Nothing was charged. "
        "Please contact us or start a new order."
    ),
    Outcome.NOT_PAYABLE: "This order cannot be paid any more.",
}


UNCONFIRMED = (
    "We are still confirming your earlier payment with the bank. Please do not pay again: "
    "we will email you, or contact us with your order number."
)


def _decline_message(error: CardError) -> str:
    """A decline told in words fit for the shopper; Clover's reason codes stay in the log."""
    if error.code in {"expired_card"}:
        return "Your card has expired. Please use another card."
    if error.code in {"incorrect_cvc", "invalid_cvc"}:
        return "The security code (CVV) is not right. Please check it and try again."
    if error.code in {"incorrect_number", "invalid_number"}:
        return "The card number is not right. Please check it and try again."
    return "Your card was declined. Nothing was charged. Please try another card."


def _open_attempt(connection: sqlite3.Connection, order_id: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = connection.execute(
        "SELECT * FROM payment_attempts WHERE order_id = ? AND status IN (?, ?)"
        " ORDER BY id DESC LIMIT 1",
        (order_id, AttemptStatus.STARTED, AttemptStatus.UNKNOWN),
    ).fetchone()
    return row


@dataclass
class _Claim:
    """The attempt this request owns, or the answer to give without calling Clover."""

    attempt_id: int = 0
    key: str = ""
    source: str = ""
    customer_ip: str = ""
    amount: int = 0
    currency: str = "usd"
    answer: PayResult | None = field(default=None)
    resend: bool = False
    """True when this request resends an attempt whose answer was lost."""


def _claim(connection: sqlite3.Connection, order_id: str, source: str, customer_ip: str) -> _Claim:
    """Inside one write transaction: decide, and record the attempt before any network."""
    order = get_order(connection, order_id)
    if order is None:
        raise KeyError(f"no order {order_id}")
    if order.status is not OrderStatus.PENDING:
        if order.status in {OrderStatus.PAID, OrderStatus.FULFILLED}:
            return _Claim(
                answer=PayResult(Outcome.PAID, MESSAGES[Outcome.PAID], order, order.charge_id)
            )
        outcome = Outcome.FAILED if order.status is OrderStatus.FAILED else Outcome.NOT_PAYABLE
        return _Claim(answer=PayResult(outcome, MESSAGES[outcome], order))
    stamp = now_ms()
    row = _open_attempt(connection, order_id)
    if row is not None:
        running = row["status"] == AttemptStatus.STARTED
        if running and stamp - row["updated"] < STALE_AFTER_MS:
            return _Claim(
                answer=PayResult(Outcome.IN_PROGRESS, MESSAGES[Outcome.IN_PROGRESS], order)
            )
        # A lost answer: resend the same request. The new token (if any) is not used, since
        # another body under the same key would be refused; the saved one was never charged
        # twice and cannot be.
        connection.execute(
            "UPDATE payment_attempts SET status = ?, updated = ? WHERE id = ?",
            (AttemptStatus.STARTED, stamp, row["id"]),
        )
        return _Claim(
            row["id"],
            row["idempotency_key"],
            row["source"],
            row["customer_ip"],
            row["amount"],
            order.currency,
            resend=True,
        )
    if not source.startswith("clv_"):
        return _Claim(
            answer=PayResult(
                Outcome.ERROR,
                "The card details did not reach us. Please enter your card again.",
                order,
                error_code="missing_token",
            )
        )
    key = str(uuid.uuid4())
    cursor = connection.execute(
        "INSERT INTO payment_attempts (order_id, idempotency_key, source, customer_ip, amount,"
        " status, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (order_id, key, source, customer_ip, order.amount, AttemptStatus.STARTED, stamp, stamp),
    )
    assert cursor.lastrowid is not None
    return _Claim(cursor.lastrowid, key, source, customer_ip, order.amount, order.currency)


def _finish(
    connection: sqlite3.Connection,
    attempt_id: int,
    status: AttemptStatus,
    *,
    charge_id: str | None = None,
    error_code: str | None = None,
    message: str | None = None,
) -> None:
    # The token is kept only while a resend may need it; once the attempt is settled it
    # is erased.
    keep_source = status is AttemptStatus.UNKNOWN
    connection.execute(
        "UPDATE payment_attempts SET status = ?, charge_id = ?, error_code = ?, message = ?,"
        " updated = ?" + ("" if keep_source else ", source = NULL") + " WHERE id = ?",
        (status, charge_id, error_code, message, now_ms(), attempt_id),
    )


def external_reference(order_id: str) -> str:
    """The order's id as Clover's ``external_reference_id`` (at most 12 alphanumerics), so a
    charge can be traced back to its order on Clover's side."""
    return order_id.removeprefix("ord_")[:12]


def pay(
    database: str,
    client: CloverClient,
    order_id: str,
    source: str,
    customer_ip: str,
    *,
    max_declines: int = 3,
) -> PayResult:
    """Charge order ``order_id`` with the ``clv_`` token ``source``, at most once.

    The order's amount comes from the database, never from the caller. KeyError when there
    is no such order.
    """
    with opened(database) as connection:
        with transaction(connection):
            claim = _claim(connection, order_id, source, customer_ip)
        if claim.answer is not None:
            return claim.answer
        reference = external_reference(order_id)
        try:
            charge = client.create_charge(
                claim.amount,
                claim.source,
                currency=claim.currency,
                description=f"Order {order_id}",
                external_reference_id=reference,
                idempotency_key=claim.key,
                customer_ip=claim.customer_ip,
            )
        except CardError as error:
            return _declined(connection, claim, order_id, error, max_declines)
        except RateLimitError as error:
            log.info("order %s: Clover answered 429; nothing was charged", order_id)
            return _settle(
                connection,
                claim,
                order_id,
                AttemptStatus.RATE_LIMITED,
                Outcome.RATE_LIMITED,
                MESSAGES[Outcome.RATE_LIMITED],
                error,
            )
        except (APIConnectionError, APIError) as error:
            log.warning("order %s: no answer from Clover (%s); key kept", order_id, error.code)
            return _settle(
                connection,
                claim,
                order_id,
                AttemptStatus.UNKNOWN,
                Outcome.UNKNOWN,
                MESSAGES[Outcome.UNKNOWN],
                error,
            )
        except CloverError as error:
            if claim.resend and error.code == "token_already_used":
                # The first request did use the token, yet Clover did not recognise the key
                # (kept 24 h at most): the charge may exist. Never charge again; a person
                # reconciles the order from the admin page.
                log.error("order %s: resend found its token used; reconcile it", order_id)
                return _settle(
                    connection,
                    claim,
                    order_id,
                    AttemptStatus.UNKNOWN,
                    Outcome.UNKNOWN,
                    UNCONFIRMED,
                    error,
                )
            log.error("order %s: Clover refused the charge: %s", order_id, error)
            text = (
                "This card entry was already used. Please enter your card again."
                if error.code == "token_already_used"
                else "The payment could not be made. Nothing was charged. Please try again."
            )
            return _settle(
                connection, claim, order_id, AttemptStatus.ERROR, Outcome.ERROR, text, error
            )
        charge_id = str(charge.get("id"))
        if charge.get("status") != "succeeded" or not charge.get("paid", True):
            message = _decline_message(CardError())
            with transaction(connection):
                _finish(
                    connection,
                    claim.attempt_id,
                    AttemptStatus.DECLINED,
                    charge_id=charge_id,
                    message=message,
                )
                order = _count_decline(connection, order_id, max_declines)
            return PayResult(Outcome.DECLINED, message, order, charge_id)
        with transaction(connection):
            _finish(connection, claim.attempt_id, AttemptStatus.SUCCEEDED, charge_id=charge_id)
            order = transition(connection, order_id, OrderStatus.PAID, charge_id=charge_id)
        log.info("order %s paid by charge %s", order_id, charge_id)
        return PayResult(Outcome.PAID, MESSAGES[Outcome.PAID], order, charge_id)


_OUTCOME_OF_ATTEMPT = {
    AttemptStatus.STARTED: Outcome.IN_PROGRESS,
    AttemptStatus.SUCCEEDED: Outcome.PAID,
    AttemptStatus.DECLINED: Outcome.DECLINED,
    AttemptStatus.RATE_LIMITED: Outcome.RATE_LIMITED,
    AttemptStatus.UNKNOWN: Outcome.UNKNOWN,
    AttemptStatus.ERROR: Outcome.ERROR,
}


def status(database: str, order_id: str) -> PayResult:
    """Where an order's payment stands, told as ``pay`` would: a page polls this while
    another request for the same order is talking to Clover."""
    with opened(database) as connection:
        order = get_order(connection, order_id)
        if order is None:
            raise KeyError(f"no order {order_id}")
        last = connection.execute(
            "SELECT status, message, error_code FROM payment_attempts WHERE order_id = ?"
            " ORDER BY id DESC LIMIT 1",
            (order_id,),
        ).fetchone()
    if order.status in {OrderStatus.PAID, OrderStatus.FULFILLED}:
        return PayResult(Outcome.PAID, MESSAGES[Outcome.PAID], order, order.charge_id)
    if order.status is OrderStatus.FAILED:
        return PayResult(Outcome.FAILED, MESSAGES[Outcome.FAILED], order)
    if order.status is not OrderStatus.PENDING:
        return PayResult(Outcome.NOT_PAYABLE, MESSAGES[Outcome.NOT_PAYABLE], order)
    if last is None:
        return PayResult(Outcome.IN_PROGRESS, "Waiting for your card.", order)
    outcome = _OUTCOME_OF_ATTEMPT[AttemptStatus(last["status"])]
    message = last["message"] or MESSAGES.get(outcome, "")
    return PayResult(outcome, message, order, error_code=last["error_code"])


def _settle(
    connection: sqlite3.Connection,
    claim: _Claim,
    order_id: str,
    status: AttemptStatus,
    outcome: Outcome,
    message: str,
    error: CloverError,
) -> PayResult:
    with transaction(connection):
        _finish(connection, claim.attempt_id, status, error_code=error.code, message=message)
        order = get_order(connection, order_id)
    assert order is not None
    return PayResult(outcome, message, order, error_code=error.code)


def _count_decline(connection: sqlite3.Connection, order_id: str, max_declines: int) -> Order:
    connection.execute("UPDATE orders SET declines = declines + 1 WHERE id = ?", (order_id,))
    order = get_order(connection, order_id)
    assert order is not None
    if order.declines >= max_declines:
        order = transition(connection, order_id, OrderStatus.FAILED)
    return order


def _declined(
    connection: sqlite3.Connection,
    claim: _Claim,
    order_id: str,
    error: CardError,
    max_declines: int,
) -> PayResult:
    log.info("order %s declined: %s (%s)", order_id, error.code, error.decline_code)
    message = _decline_message(error)
    with transaction(connection):
        _finish(
            connection,
            claim.attempt_id,
            AttemptStatus.DECLINED,
            charge_id=error.charge,
            error_code=error.code,
            message=message,
        )
        order = _count_decline(connection, order_id, max_declines)
    if order.status is OrderStatus.FAILED:
        return PayResult(Outcome.FAILED, MESSAGES[Outcome.FAILED], order, error_code=error.code)
    return PayResult(Outcome.DECLINED, message, order, error_code=error.code)


@dataclass(frozen=True)
class RefundResult:
    ok: bool
    message: str
    refund_id: str | None = None
    amount: int | None = None


def refund(
    database: str,
    client: CloverClient,
    order_id: str,
    amount: int | None = None,
    *,
    idempotency_key: str | None = None,
) -> RefundResult:
    """Refund all (``amount`` None) or part of an order's charge, recorded before sending.

    ``idempotency_key`` comes from the admin's form, so a form posted twice (a reload, a
    double click) finds its first refund instead of refunding again. A full refund, or the
    last part of one, moves the order to ``refunded``.
    """
    key = idempotency_key or str(uuid.uuid4())
    with opened(database) as connection:
        with transaction(connection):
            seen = connection.execute(
                "SELECT status, refund_id, amount, message FROM refunds WHERE idempotency_key = ?",
                (key,),
            ).fetchone()
            if seen is not None:
                return RefundResult(
                    seen["status"] == "succeeded",
                    f"This refund was already sent ({seen['status']}).",
                    seen["refund_id"],
                    seen["amount"],
                )
            order = get_order(connection, order_id)
            if order is None:
                raise KeyError(f"no order {order_id}")
            if order.status not in {OrderStatus.PAID, OrderStatus.FULFILLED} or not order.charge_id:
                return RefundResult(
                    False, f"Order {order_id} is {order.status}: nothing to refund."
                )
            busy = connection.execute(
                "SELECT 1 FROM refunds WHERE order_id = ? AND status = 'started'", (order_id,)
            ).fetchone()
            if busy:
                return RefundResult(False, f"A refund of order {order_id} is already under way.")
            wanted = order.refundable if amount is None else amount
            if not 0 < wanted <= order.refundable:
                return RefundResult(
                    False,
                    f"A refund must be between 1 cent and the {order.refundable} cents left.",
                )
            cursor = connection.execute(
                "INSERT INTO refunds (order_id, idempotency_key, amount, status, created)"
                " VALUES (?, ?, ?, 'started', ?)",
                (order_id, key, wanted, now_ms()),
            )
            refund_row = cursor.lastrowid
            charge_id = order.charge_id
        full = wanted == order.refundable and order.amount_refunded == 0 and amount is None
        try:
            made = client.create_refund(charge_id, None if full else wanted, idempotency_key=key)
        except CloverError as error:
            log.error("refund of order %s failed: %s", order_id, error)
            with transaction(connection):
                connection.execute(
                    "UPDATE refunds SET status = 'failed', message = ? WHERE id = ?",
                    (str(error), refund_row),
                )
            return RefundResult(False, f"Clover did not refund: {error}")
        refunded = int(made.get("amount") or wanted)
        with transaction(connection):
            connection.execute(
                "UPDATE refunds SET status = 'succeeded', refund_id = ?, amount = ? WHERE id = ?",
                (made.get("id"), refunded, refund_row),
            )
            total = order.amount_refunded + refunded
            if total >= order.amount:
                try:
                    transition(connection, order_id, OrderStatus.REFUNDED, amount_refunded=total)
                except IllegalTransition:  # pragma: no cover - guarded by the busy check
                    log.error("order %s refunded on Clover but could not be marked", order_id)
            else:
                connection.execute(
                    "UPDATE orders SET amount_refunded = ?, updated = ? WHERE id = ?",
                    (total, now_ms(), order_id),
                )
        return RefundResult(True, "Refunded.", str(made.get("id")), refunded)


RECONCILE_SCAN = 300
"""How many of Clover's newest charges :func:`reconcile` reads before giving up."""


@dataclass(frozen=True)
class ReconcileResult:
    ok: bool
    message: str


def reconcile(database: str, client: CloverClient, order_id: str) -> ReconcileResult:
    """For a pending order whose card payment's answer was lost: find its charge on Clover.

    The shop's charges carry the order in ``external_reference_id``; a succeeded charge of
    the order's amount with that reference pays the order, and closes its open attempt.
    """
    with opened(database) as connection:
        order = get_order(connection, order_id)
    if order is None:
        raise KeyError(f"no order {order_id}")
    if order.status is not OrderStatus.PENDING:
        return ReconcileResult(False, f"Order {order_id} is {order.status}: nothing to do.")
    reference = external_reference(order_id)
    for number, charge in enumerate(client.iter_charges(page_size=100)):
        if number >= RECONCILE_SCAN:
            break
        if (
            charge.get("external_reference_id") == reference
            and charge.get("status") == "succeeded"
            and charge.get("amount") == order.amount
        ):
            charge_id = str(charge["id"])
            with opened(database) as connection, transaction(connection):
                connection.execute(
                    "UPDATE payment_attempts SET status = ?, charge_id = ?, source = NULL,"
                    " updated = ? WHERE order_id = ? AND status IN (?, ?)",
                    (
                        AttemptStatus.SUCCEEDED,
                        charge_id,
                        now_ms(),
                        order_id,
                        AttemptStatus.STARTED,
                        AttemptStatus.UNKNOWN,
                    ),
                )
                transition(connection, order_id, OrderStatus.PAID, charge_id=charge_id)
            log.info("order %s reconciled with charge %s", order_id, charge_id)
            return ReconcileResult(True, f"Paid by charge {charge_id} (reconciled).")
    return ReconcileResult(
        False, f"No succeeded charge of order {order_id} among Clover's newest charges."
    )


def attempts(database: str, order_id: str) -> list[dict[str, Any]]:
    """An order's payment attempts, without the token: for the admin page and tests."""
    with opened(database) as connection:
        rows = connection.execute(
            "SELECT id, idempotency_key, status, charge_id, error_code, amount, created"
            " FROM payment_attempts WHERE order_id = ? ORDER BY id",
            (order_id,),
        ).fetchall()
    return [dict(row) for row in rows]
