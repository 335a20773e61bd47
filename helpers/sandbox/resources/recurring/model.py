"""Plans and subscriptions in the store (Clover's pages:
https://docs.clover.com/docs/working-with-recurring-payments-and-subscriptions,
https://docs.clover.com/docs/recurring-apis-subscriptions; reference: create,
createsubscription, getplans).

A plan says what is billed and how often, and names its merchant and the app that made
it (`developerAppId`); a subscription ties a customer with a card on file to a plan from a
start date, optionally to an end date, and may override the plan's amount, tip, tax rates
and note. It answers as Clover's sample does: the customer as `customerUuid`, the whole
plan embedded, and `total`. Billing itself (invoices and their charges, on the sandbox
clock) is billing.py. Times are kept privately in Unix ms (`_..._ms`) and shown in
ISO-8601 (dates.py).

A plan with active subscriptions cannot be deactivated (Clover's plans page). Where
Clover's pages are silent, the kit chooses, once (docs/choices.md, "Recurring payments"):

- Tax rates are the merchant's (`taxRateUuids`, from Clover's inventory API, which the
  sandbox does not serve): the sandbox knows the two demo rates in `TAX_RATES`, and
  refuses other ids by name.
- An inactive plan takes no new subscriptions (409); its subscriptions keep billing.
- A subscription without its own `amount`/`tipAmount`/`taxRateUuids` bills the plan's
  values as they are on the day of each invoice, so a plan's price change reaches them;
  its `total` is amount + tax + tip of the next invoice.
- Deleting a plan that still has active subscriptions is refused (409), as deactivating
  it is; a deleted plan answers 404 afterwards.
- Cancel is Clover's `PUT .../subscriptions/{id}` with `active: false`
  (docs/recurring-apis-subscriptions); the kit's `DELETE /recurring/v1/subscriptions/{id}`
  does the same: the subscription stays readable, `active: false` with a `deletedTime`
  (the field of the answer of https://docs.clover.com/reference/delete, "Delete
  subscription"), and bills nothing more.
- Times are written `2023-09-19T10:02:59.476+0000` (core/times.py; the pages disagree).
"""

from __future__ import annotations

from typing import Any

from helpers.sandbox.core import times
from helpers.sandbox.core.errors import not_found
from helpers.sandbox.core.store import Kind, Object, Store, public

PLAN = Kind.PLAN
SUBSCRIPTION = Kind.SUBSCRIPTION

TAX_RATES = {"TAXRATE000825": ("Sales tax 8.25%", 825_000), "TAXRATE001000": ("VAT 10%", 1_000_000)}
"""The demo merchants' tax rates by id: Clover writes a rate as an integer, 1000000 = 10%."""


def tax_for(amount: int, rate_ids: list[str]) -> int:
    """The tax on `amount` cents at each rate, rounded half up to the cent per rate."""
    return sum((amount * TAX_RATES[r][1] + 5_000_000) // 10_000_000 for r in rate_ids)


def _stamp(store: Store, obj: Object, created: bool = False) -> None:
    now = times.wire(store.sequence.now_ms())
    if created:
        obj["createdTime"] = now
    obj["modifiedTime"] = now


# -- plans -------------------------------------------------------------------------------


def create_plan(
    store: Store, merchant_id: str, values: dict[str, Any], developer_app_id: str | None
) -> Object:
    """A plan carries the merchant's id and the id of the app that made it
    (`developerAppId`, docs/working-with-recurring-payments-and-subscriptions)."""
    seq = store.sequence
    plan: Object = {
        "id": seq.object_id(),
        "object": "plan",
        "merchantId": merchant_id,
        "developerAppId": developer_app_id,
        "name": values["name"],
        "amount": values["amount"],
        "tipAmount": values.get("tipAmount") or 0,
        "taxRateUuids": values.get("taxRateUuids") or [],
        "note": values.get("note"),
        "interval": values["interval"],
        "intervalCount": values["intervalCount"],
        "active": True,
        "subscriptionCount": 0,
        "subscriptionPaidTotalAmount": 0,
        "lastRunDate": None,
        "_merchant": merchant_id,
    }
    _stamp(store, plan, created=True)
    store.put(PLAN, plan)
    return plan


def get_plan(store: Store, merchant_id: str, plan_id: str, param: str | None = None) -> Object:
    plan = store.get(PLAN, plan_id, merchant_id)
    if plan is None or plan.get("_deleted"):
        raise not_found("plan", plan_id, param=param)
    return plan


def update_plan(store: Store, plan: Object, values: dict[str, Any]) -> Object:
    plan.update(values)
    _stamp(store, plan)
    store.put(PLAN, plan)
    return plan


def delete_plan(store: Store, plan: Object) -> Object:
    plan["_deleted"] = True
    plan["active"] = False
    plan["deletedTime"] = times.wire(store.sequence.now_ms())
    store.put(PLAN, plan)
    return plan


def plans(store: Store, merchant_id: str) -> list[Object]:
    """The merchant's plans, newest first, deleted ones left out."""
    return [p for p in store.newest_first(PLAN, merchant_id) if not p.get("_deleted")]


def active_subscriptions(store: Store, merchant_id: str, plan_id: str) -> int:
    """How many of the plan's subscriptions still bill."""
    return sum(1 for s in subscriptions(store, merchant_id, plan_id) if s["active"])


# -- subscriptions -----------------------------------------------------------------------


def create_subscription(
    store: Store, merchant_id: str, plan: Object, values: dict[str, Any], start_ms: int
) -> Object:
    seq = store.sequence
    subscription: Object = {
        "id": seq.object_id(),
        "object": "subscription",
        "merchantId": merchant_id,
        "plan": {"id": plan["id"]},
        "customerUuid": values["customerId"],
        "collectionMethod": values["collectionMethod"],
        "startDate": times.wire(start_ms),
        "endDate": None if values.get("endDate") is None else times.wire(values["_end_ms"]),
        "active": True,
        "nextBillingDate": times.wire(start_ms),
        "_merchant": merchant_id,
        "_anchor_ms": start_ms,
        "_end_ms": values.get("_end_ms"),
        "_period": 0,
        "_next_ms": start_ms,
        "_open": [],
    }
    for name in ("amount", "tipAmount", "note", "taxRateUuids", "softDescriptor", "level2"):
        if values.get(name) is not None:
            subscription[name] = values[name]
    _stamp(store, subscription, created=True)
    store.put(SUBSCRIPTION, subscription)
    plan["subscriptionCount"] += 1
    store.put(PLAN, plan)
    return subscription


def get_subscription(store: Store, merchant_id: str, subscription_id: str) -> Object:
    subscription = store.get(SUBSCRIPTION, subscription_id, merchant_id)
    if subscription is None:
        raise not_found("subscription", subscription_id)
    return subscription


def subscriptions(store: Store, merchant_id: str, plan_id: str | None = None) -> list[Object]:
    """The merchant's subscriptions (of one plan), newest first."""
    return [
        s
        for s in store.newest_first(SUBSCRIPTION, merchant_id)
        if plan_id is None or s["plan"]["id"] == plan_id
    ]


def plan_of(store: Store, subscription: Object) -> Object:
    plan = store.get(PLAN, subscription["plan"]["id"], subscription["_merchant"])
    assert plan is not None
    return plan


def deactivate(store: Store, subscription: Object) -> None:
    """The subscription bills nothing more; its plan counts one active subscription less."""
    if not subscription["active"]:
        return
    subscription.update(active=False, nextBillingDate=None, _next_ms=None)
    _stamp(store, subscription)
    store.put(SUBSCRIPTION, subscription)
    plan = plan_of(store, subscription)
    plan["subscriptionCount"] = max(0, plan["subscriptionCount"] - 1)
    store.put(PLAN, plan)


def reactivate(store: Store, subscription: Object, next_ms: int | None) -> None:
    if subscription["active"]:
        return
    subscription.update(
        active=True,
        _next_ms=next_ms,
        nextBillingDate=None if next_ms is None else times.wire(next_ms),
    )
    plan = plan_of(store, subscription)
    plan["subscriptionCount"] += 1
    store.put(PLAN, plan)


def save(store: Store, subscription: Object) -> None:
    _stamp(store, subscription)
    store.put(SUBSCRIPTION, subscription)


def terms(store: Store, subscription: Object) -> tuple[int, int, int, list[str]]:
    """Subtotal, tax, tip and rates of the subscription's next invoice: its own values,
    or the plan's as they are now."""
    plan = plan_of(store, subscription)
    amount: int = subscription.get("amount") or plan["amount"]
    tip: int = subscription.get("tipAmount", plan["tipAmount"]) or 0
    rates: list[str] = subscription.get("taxRateUuids", plan["taxRateUuids"]) or []
    return amount, tax_for(amount, rates), tip, rates


def view(obj: Object) -> Object:
    return public(obj)


def view_subscription(store: Store, subscription: Object) -> Object:
    """A subscription as Clover answers it (https://docs.clover.com/docs/recurring-apis-
    subscriptions): the whole plan embedded, the customer as `customerUuid`, the `amount`
    and `note` it bills (its own, else the plan's: the page's samples show the plan's on a
    subscription created without them), `additionalCharges` (always `[]` here: the page
    shows only the empty list), `lastRunDate` once it has run, and `total`, what one period
    bills (amount + tax + tip, the kit's reading of the field)."""
    amount, tax, tip, _ = terms(store, subscription)
    plan = plan_of(store, subscription)
    note = subscription.get("note") or plan.get("note")
    return {
        **public(subscription),
        "amount": amount,
        "note": note,
        "additionalCharges": [],
        "plan": public(plan),
        "total": amount + tax + tip,
    }
