"""Invoices and their charges, on the sandbox clock (docs/recurring-apis-subscriptions:
https://docs.clover.com/docs/recurring-apis-subscriptions and
https://docs.clover.com/dev/docs/recurring-apis-subscriptions).

"The subscription generates an invoice for each payment", and "a subscription is
deactivated if the customer's invoice payment fails after five attempts. Failures can
occur due to invalid or missing customer information or card data": when the clock
reaches a period's start, the subscription's invoice is made and charged to the
customer's card on file through the charges model, as a stored credential used by the
merchant on schedule (`stored_credentials`: SUBSEQUENT, `is_scheduled`, MERCHANT). Then:

- approved: the invoice is PAID, and the next period is scheduled;
- declined, or no usable card (revoked, none on file, customer gone): the invoice stays
  OPEN and is tried again a day later (the spacing is the kit's choice: Clover's pages
  give the count, five, not the spacing; docs/choices.md); the fifth failure marks it
  FAILED and deactivates the subscription. (An older version of the docs page said a
  subscription without a card on file is deactivated at once; both current pages count
  a missing card among the five failures.)

`run_some` is what `/_sandbox/clock` calls, a few attempts at a time: every renewal and
retry due up to the new time, in time order (ties: oldest subscription first), each with
the clock set to its moment, so charges, invoices and webhooks carry the dates they would
on Clover. It is deterministic under a seed. Invoices are readable at
`GET /recurring/v1/subscriptions/{id}/invoices` (the kit's path: Clover's recurring pages
show no invoice endpoint).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

from helpers.sandbox.core import times
from helpers.sandbox.core.errors import ApiError
from helpers.sandbox.core.store import Kind, Object, Store, public
from helpers.sandbox.resources.charges import model as charges
from helpers.sandbox.resources.recurring import dates, model

INVOICE = Kind.INVOICE
MAX_ATTEMPTS = 5
RETRY_AFTER_MS = dates.DAY_MS
SCHEDULED_USE = {"sequence": "SUBSEQUENT", "is_scheduled": True, "initiator": "MERCHANT"}
BILLER_IP = "127.0.0.1"
"""The IP a scheduled charge carries: Clover's own servers start it, not a shopper."""

Listener = Callable[[Store, str, str, Object], None]
"""Told of every billing event: (store, merchant id, event name, object)."""

_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Be told of billing events ('invoice.paid', 'subscription.deactivated'...)."""
    if listener not in _listeners:
        _listeners.append(listener)


def tell(store: Store, merchant_id: str, event: str, obj: Object) -> None:
    for listener in _listeners:
        listener(store, merchant_id, event, obj)


def invoices(store: Store, merchant_id: str, subscription_id: str) -> list[Object]:
    """A subscription's invoices, oldest first."""
    return [
        public(i)
        for i in reversed(list(store.newest_first(INVOICE, merchant_id)))
        if i["subscriptionId"] == subscription_id
    ]


def _open_invoice(store: Store, subscription: Object, due_ms: int) -> Object:
    amount, tax, tip, rates = model.terms(store, subscription)
    seq = store.sequence
    invoice: Object = {
        "id": seq.object_id(),
        "object": "invoice",
        "subscriptionId": subscription["id"],
        "planId": subscription["plan"]["id"],
        "customerUuid": subscription["customerUuid"],
        "period": subscription["_period"] + 1,
        "dueDate": times.wire(due_ms),
        "amount": amount,
        "taxAmount": tax,
        "tipAmount": tip,
        "taxRateUuids": rates,
        "total": amount + tax + tip,
        "currency": "usd",
        "status": "OPEN",
        "attempts": 0,
        "charges": [],
        "lastError": None,
        "nextAttemptDate": times.wire(due_ms),
        "paidTime": None,
        "createdTime": times.wire(seq.now_ms()),
        "_merchant": subscription["_merchant"],
        "_retry_ms": due_ms,
    }
    store.put(INVOICE, invoice)
    return invoice


def _schedule_next(store: Store, subscription: Object) -> None:
    """Move the subscription to its next period, or end it after its end date."""
    plan = model.plan_of(store, subscription)
    subscription["_period"] += 1
    next_ms = dates.period_start(
        subscription["_anchor_ms"], plan["interval"], plan["intervalCount"], subscription["_period"]
    )
    end_ms = subscription["_end_ms"]
    if (end_ms is not None and next_ms > end_ms) or next_ms >= dates.MAX_MS:
        model.deactivate(store, subscription)
        subscription["_ended"] = True  # its last invoices are still tried
        tell(store, subscription["_merchant"], "subscription.ended", subscription)
        return
    subscription["_next_ms"] = next_ms
    subscription["nextBillingDate"] = times.wire(next_ms)
    store.put(Kind.SUBSCRIPTION, subscription)


def _charge(store: Store, invoice: Object, plan: Object) -> tuple[Object | None, ApiError | None]:
    body: dict[str, Any] = {
        "amount": invoice["total"],
        "currency": invoice["currency"],
        "source": invoice["customerUuid"],
        "description": f"{plan['name']}, period {invoice['period']}"[:255],
        "stored_credentials": dict(SCHEDULED_USE),
    }
    if invoice["taxAmount"]:
        body["tax_amount"] = invoice["taxAmount"]
    if invoice["tipAmount"]:
        body["tip_amount"] = invoice["tipAmount"]
    try:
        request = charges.charge_request(body)
        return charges.create(store, invoice["_merchant"], request, BILLER_IP), None
    except ApiError as refused:
        return None, refused


def _attempt(store: Store, subscription: Object, invoice: Object) -> None:
    """One try at paying an open invoice, and what follows from its outcome."""
    merchant_id = subscription["_merchant"]
    plan = model.plan_of(store, subscription)
    charge, refused = _charge(store, invoice, plan)
    invoice["attempts"] += 1
    now = store.sequence.now_ms()
    subscription["lastRunDate"] = times.wire(now)  # docs/recurring-apis-subscriptions
    store.put(Kind.SUBSCRIPTION, subscription)
    if charge is not None:
        invoice.update(
            status="PAID", paidTime=times.wire(now), nextAttemptDate=None, _retry_ms=None
        )
        invoice["charges"].append(charge["id"])
        plan["subscriptionPaidTotalAmount"] += invoice["total"]
        plan["lastRunDate"] = times.wire(now)
        store.put(Kind.PLAN, plan)
    else:
        assert refused is not None
        charge_id = refused.extra.get("charge")
        if charge_id:
            invoice["charges"].append(charge_id)
        invoice["lastError"] = {"code": refused.code, "message": refused.message}
        retry = invoice["attempts"] < MAX_ATTEMPTS  # a missing card counts as a failure
        if retry:
            invoice.update(
                nextAttemptDate=times.wire(invoice["_retry_ms"] + RETRY_AFTER_MS),
                _retry_ms=invoice["_retry_ms"] + RETRY_AFTER_MS,
            )
        else:
            invoice.update(status="FAILED", nextAttemptDate=None, _retry_ms=None)
    store.put(INVOICE, invoice)
    if invoice["status"] != "OPEN" and invoice["id"] in subscription["_open"]:
        subscription["_open"].remove(invoice["id"])
        store.put(Kind.SUBSCRIPTION, subscription)
    if charge is not None:
        tell(store, merchant_id, "invoice.paid", invoice)
    else:
        tell(store, merchant_id, "invoice.payment_failed", invoice)
    if invoice["status"] == "FAILED":
        for other in list(subscription["_open"]):
            _void(store, merchant_id, subscription, other)
        model.deactivate(store, subscription)
        subscription["_ended"] = False
        tell(store, merchant_id, "subscription.deactivated", subscription)


def _void(store: Store, merchant_id: str, subscription: Object, invoice_id: str) -> None:
    invoice = store.get(INVOICE, invoice_id, merchant_id)
    if invoice is not None and invoice["status"] == "OPEN":
        invoice.update(status="VOID", nextAttemptDate=None, _retry_ms=None)
        store.put(INVOICE, invoice)
    if invoice_id in subscription["_open"]:
        subscription["_open"].remove(invoice_id)
        store.put(Kind.SUBSCRIPTION, subscription)


def deactivate(store: Store, subscription: Object) -> None:
    """`PUT active: false`, Clover's cancel: no more invoices, and the open ones are voided,
    so nothing is charged after it (Clover's pages do not say what becomes of an unpaid
    invoice: docs/choices.md, "Recurring payments"). An invoice left OPEN would never be
    retried, as only active subscriptions are billed."""
    for invoice_id in list(subscription["_open"]):
        _void(store, subscription["_merchant"], subscription, invoice_id)
    model.deactivate(store, subscription)
    subscription["_ended"] = False


def cancel(store: Store, subscription: Object) -> None:
    """`DELETE`: deactivated as by `PUT active: false`, and stamped `deletedTime`."""
    deactivate(store, subscription)
    subscription["deletedTime"] = times.wire(store.sequence.now_ms())
    subscription["_canceled"] = True
    model.save(store, subscription)
    tell(store, subscription["_merchant"], "subscription.canceled", subscription)


def _next_event(store: Store, subscription: Object) -> tuple[int, Object | None] | None:
    """The subscription's next moment to act: (time, invoice to retry or None to renew)."""
    if not subscription["active"] and not subscription.get("_ended"):
        return None
    best: tuple[int, Object | None] | None = None
    if subscription["active"] and subscription["_next_ms"] is not None:
        best = (subscription["_next_ms"], None)
    for invoice_id in subscription["_open"]:
        invoice = store.get(INVOICE, invoice_id, subscription["_merchant"])
        retry_ms = None if invoice is None else invoice["_retry_ms"]
        if retry_ms is not None and (best is None or retry_ms < best[0]):
            best = (retry_ms, invoice)
    return best


def _schedule(store: Store, merchants: list[str]) -> list[tuple[int, int, int, str, str]]:
    """Every subscription's next moment as a heap of (time, merchant's rank, the
    subscription's rank, merchant id, subscription id): ties go to the oldest."""
    heap = []
    for rank, merchant_id in enumerate(merchants):
        for subscription in store.newest_first(Kind.SUBSCRIPTION, merchant_id):
            event = _next_event(store, subscription)
            if event is not None:
                index = store.index_of(Kind.SUBSCRIPTION, subscription["id"])
                heap.append((event[0], rank, index, merchant_id, subscription["id"]))
    heapq.heapify(heap)
    return heap


def _pop_due(
    store: Store, heap: list[tuple[int, int, int, str, str]], target_ms: int
) -> tuple[int, Object, Object | None] | None:
    """The earliest thing due by `target_ms`, checked against the subscription as it is
    now (an entry is pushed again after each attempt, so older ones may be stale)."""
    while heap and heap[0][0] <= target_ms:
        when, rank, index, merchant_id, subscription_id = heapq.heappop(heap)
        subscription = store.get(Kind.SUBSCRIPTION, subscription_id, merchant_id)
        event = None if subscription is None else _next_event(store, subscription)
        if event is None:
            continue
        if event[0] != when:
            heapq.heappush(heap, (event[0], rank, index, merchant_id, subscription_id))
            continue
        assert subscription is not None
        heapq.heappush(heap, (when, rank, index, merchant_id, subscription_id))
        return when, subscription, event[1]
    return None


def run_until(store: Store, target_ms: int) -> int:
    """Move the clock to `target_ms`, paying every renewal and retry due on the way in
    time order; answers how many charge attempts were made."""
    attempts, _ = run_some(store, target_ms, limit=None)
    return attempts


def run_some(store: Store, target_ms: int, limit: int | None) -> tuple[int, bool]:
    """At most `limit` charge attempts of those due up to `target_ms`, in time order, the
    clock set to each one's moment; answers (attempts, done). When done, the clock is at
    `target_ms`; when not, it is at the last attempt's moment and a further call goes on
    from there (the clock control commits between calls: issue 23)."""
    heap = _schedule(store, store.merchants_of(Kind.SUBSCRIPTION))
    attempts = 0
    while True:
        due = _pop_due(store, heap, target_ms)
        if due is None:
            break
        if limit is not None and attempts >= limit:
            return attempts, False
        when, subscription, invoice = due
        store.move_clock_to(when)
        if invoice is None:
            invoice = _open_invoice(store, subscription, when)
            subscription["_open"].append(invoice["id"])
            _schedule_next(store, subscription)
        _attempt(store, subscription, invoice)
        attempts += 1
    store.move_clock_to(target_ms)
    return attempts, True
