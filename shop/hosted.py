"""Hosted Checkout: the shopper pays on Clover's own page, and the shop learns the result
from a signed webhook.

The session is created on the server from the order's own lines (prices from the database),
and the session id is stored against the order. The order is paid **only** when a webhook
whose signature verifies says so, never because the browser came back to the success URL
(anyone can open that URL). Clover may deliver a webhook more than once, so each event id
is stored and a second delivery changes nothing. A webhook can also never come (the shop
was down longer than Clover retries): :func:`reconcile` then looks for the payment in
Clover's charges. Docs: https://docs.clover.com/docs/creating-a-hosted-checkout-session and
https://docs.clover.com/docs/ecomm-hosted-checkout-webhook
"""

from __future__ import annotations

import logging
import re
import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from helpers.clover.client import CloverClient
from helpers.clover.errors import CloverError
from helpers.clover.times import clover_time_ms
from helpers.clover.webhooks import WebhookError, verify_webhook

from .db import now_ms, opened, transaction
from .orders import Order, OrderStatus, get_order, transition

__all__ = ["HostedResult", "open_session", "receive_webhook", "reconcile", "shopper_from_form"]

log = logging.getLogger("shop.hosted")


# Clover requires the shopper's first and last name, email and phone number on every
# session (https://docs.clover.com/docs/creating-a-hosted-checkout-session), so the shop asks
# for them before it opens one. The labels are what the shopper reads in an error.
SHOPPER_FIELDS = {
    "firstName": "first name",
    "lastName": "last name",
    "email": "email address",
    "phoneNumber": "phone number",
}
SHOPPER_MAX = 64
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{5,30}")


def shopper_from_form(form: Mapping[str, str]) -> dict[str, str] | str:
    """The Hosted Checkout ``customer`` from the shop's form, or what the shopper must fix.

    Checked here, on the server, whatever the browser's form checked: a missing field would
    otherwise come back from Clover as an error the shopper cannot act on."""
    shopper = {name: form.get(name, "").strip() for name in SHOPPER_FIELDS}
    for name, label in SHOPPER_FIELDS.items():
        if not shopper[name]:
            return f"Enter your {label}: Clover's page needs it."
        if len(shopper[name]) > SHOPPER_MAX:
            return f"Your {label} is too long: {SHOPPER_MAX} characters at most."
    if len(shopper["email"]) > 254 or not EMAIL.fullmatch(shopper["email"]):
        return "Check your email address: it should look like name@example.com."
    if not PHONE.fullmatch(shopper["phoneNumber"]):
        return "Check your phone number: digits, with spaces or dashes if you like."
    return shopper


@dataclass(frozen=True)
class HostedResult:
    ok: bool
    message: str
    url: str | None = None


def open_session(
    database: str,
    client: CloverClient,
    order_id: str,
    return_url: str,
    customer: Mapping[str, str],
) -> HostedResult:
    """Create a Hosted Checkout session for a pending order and its shopper (``customer``,
    from :func:`shopper_from_form`)."""
    key = str(uuid.uuid4())
    with opened(database) as connection:
        with transaction(connection):
            order = get_order(connection, order_id)
            if order is None:
                raise KeyError(f"no order {order_id}")
            if order.status is not OrderStatus.PENDING:
                return HostedResult(False, f"Order {order_id} is {order.status}.")
            open_attempt = connection.execute(
                "SELECT 1 FROM payment_attempts WHERE order_id = ?"
                " AND status IN ('started', 'unknown')",
                (order_id,),
            ).fetchone()
            if open_attempt is not None:
                # That card payment may have gone through: finish it before offering another.
                return HostedResult(
                    False,
                    "Your card payment for this order is still being confirmed. "
                    "Press Pay on this page again instead.",
                )
            connection.execute(
                "INSERT INTO hosted_sessions (order_id, idempotency_key, status)"
                " VALUES (?, ?, 'creating')",
                (order_id, key),
            )
        lines = [
            {"name": line.name, "price": line.unit_price, "unitQty": line.quantity}
            for line in order.lines
        ]
        try:
            session = client.create_checkout_session(
                lines,
                customer=customer,
                success_url=return_url,
                failure_url=return_url,
                cancel_url=return_url,
                idempotency_key=key,
            )
        except CloverError as error:
            log.error("order %s: no Hosted Checkout session: %s", order_id, error)
            with transaction(connection):
                connection.execute(
                    "UPDATE hosted_sessions SET status = 'failed' WHERE idempotency_key = ?",
                    (key,),
                )
            return HostedResult(False, "Clover's payment page is not available; try again.")
        with transaction(connection):
            connection.execute(
                "UPDATE hosted_sessions SET session_id = ?, status = 'open', created = ?,"
                " expires = ? WHERE idempotency_key = ?",
                (
                    session["checkoutSessionId"],
                    clover_time_ms(session["createdTime"]),  # a string on Clover's wire
                    clover_time_ms(session["expirationTime"]),
                    key,
                ),
            )
    return HostedResult(True, "Opened.", client.checkout_page_url(session))


def _record(connection: sqlite3.Connection, event: Any, order_id: str | None, result: str) -> None:
    connection.execute(
        "UPDATE webhook_events SET order_id = ?, result = ? WHERE event_id = ?",
        (order_id, result, str(event.get("id"))),
    )


def receive_webhook(
    database: str, body: bytes, signature: str | None, secret: str, *, max_declines: int = 3
) -> tuple[int, str]:
    """Verify, deduplicate and apply one Hosted Checkout webhook; (HTTP status, text).

    A 2xx tells Clover to stop delivering, so it is answered once the event is stored;
    a bad signature gets 400 and changes nothing.
    """
    try:
        event = verify_webhook(body, signature, secret)
    except WebhookError as error:
        log.warning("webhook refused: %s", error.reason)
        return 400, f"refused: {error.reason}"
    event_id = str(event.get("id") or "")
    session_id = str(event.get("data") or "")
    status = str(event.get("status") or "")
    if not event_id or not session_id:
        return 400, "refused: no event id or session"
    with opened(database) as connection, transaction(connection):
        stored = connection.execute(
            "INSERT OR IGNORE INTO webhook_events"
            " (event_id, type, status, session_id, result, received) VALUES (?, ?, ?, ?, ?, ?)",
            (event_id, event.get("type"), status, session_id, "received", now_ms()),
        )
        if stored.rowcount == 0:
            return 200, "duplicate: already applied"
        row = connection.execute(
            "SELECT order_id FROM hosted_sessions WHERE session_id = ?", (session_id,)
        ).fetchone()
        if row is None:
            _record(connection, event, None, "unknown session")
            log.warning("webhook %s names a session this shop did not open", event_id)
            return 200, "ignored: unknown session"
        order_id = row["order_id"]
        order = get_order(connection, order_id)
        assert order is not None
        result = _apply(connection, order, status, event_id, max_declines)
        connection.execute(
            "UPDATE hosted_sessions SET status = ? WHERE session_id = ?",
            ("paid" if status == "APPROVED" else "declined", session_id),
        )
        _record(connection, event, order_id, result)
    log.info("webhook %s for order %s: %s", event_id, order_id, result)
    return 200, result


def _apply(
    connection: sqlite3.Connection, order: Order, status: str, charge_id: str, max_declines: int
) -> str:
    if status == "APPROVED":
        if order.status is OrderStatus.PENDING:
            transition(connection, order.id, OrderStatus.PAID, charge_id=charge_id)
            return "paid"
        if order.charge_id == charge_id:
            return "already paid by this charge"
        # Paid twice (another tab, the iframe): a person must refund one of the charges.
        return f"PAID TWICE: order already {order.status} by {order.charge_id}; refund {charge_id}"
    if status == "DECLINED" and order.status is OrderStatus.PENDING:
        connection.execute("UPDATE orders SET declines = declines + 1 WHERE id = ?", (order.id,))
        if order.declines + 1 >= max_declines:
            transition(connection, order.id, OrderStatus.FAILED)
            return "declined; order failed"
        return "declined"
    return f"no change ({status})"


def reconcile(database: str, client: CloverClient, order_id: str) -> HostedResult:
    """For a pending order whose webhook never came: look for its payment in Clover.

    Clover's Hosted Checkout charge carries no reference of ours, so this matches a
    succeeded charge of exactly the order's amount made after the session opened and not
    already counted for another order. Exactly one match pays the order; none leaves it
    pending; more than one is left to a person.
    """
    with opened(database) as connection:
        order = get_order(connection, order_id)
        if order is None:
            raise KeyError(f"no order {order_id}")
        if order.status is not OrderStatus.PENDING:
            return HostedResult(False, f"Order {order_id} is {order.status}: nothing to do.")
        session = connection.execute(
            "SELECT created FROM hosted_sessions WHERE order_id = ? AND created IS NOT NULL"
            " ORDER BY id LIMIT 1",
            (order_id,),
        ).fetchone()
        if session is None:
            return HostedResult(False, f"Order {order_id} never opened Clover's page.")
        claimed = {
            row[0]
            for row in connection.execute(
                "SELECT charge_id FROM orders WHERE charge_id IS NOT NULL"
            )
        }
    candidates = [
        charge
        for charge in client.iter_charges(created_gte=int(session["created"]))
        if charge.get("status") == "succeeded"
        and charge.get("amount") == order.amount
        and charge.get("id") not in claimed
    ]
    if not candidates:
        return HostedResult(False, "No payment found on Clover: the order stays pending.")
    if len(candidates) > 1:
        ids = ", ".join(str(c["id"]) for c in candidates)
        return HostedResult(False, f"Several payments could be this order's ({ids}): check.")
    charge_id = str(candidates[0]["id"])
    with opened(database) as connection, transaction(connection):
        transition(connection, order_id, OrderStatus.PAID, charge_id=charge_id)
    log.info("order %s reconciled with charge %s", order_id, charge_id)
    return HostedResult(True, f"Paid by charge {charge_id} (reconciled).")
