"""Recurring payments: plans, subscriptions and their invoices (Clover's pages:
https://docs.clover.com/docs/recurring-payments-and-subscriptions-apis,
https://docs.clover.com/docs/working-with-recurring-payments-and-subscriptions,
https://docs.clover.com/docs/recurring-apis-subscriptions,
https://docs.clover.com/dev/reference/getplans).

A **plan** says what is billed and how often (``interval`` Day, Week, Month or Year, every
``interval_count`` of them); a **subscription** ties a customer with a card on file to a
plan from a start date. Clover then makes an invoice for each period and charges the card
on file itself; an invoice is tried five times, and a subscription whose invoice keeps
failing is deactivated, a missing card on file counting as a failure. Every call names
the merchant in ``X-Clover-Merchant-Id``. Plan and subscription lists answer a JSON array
(a ``list``); invoices are the local sandbox's own path and answer the kit's list page.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from ..objects import CloverObject, ListPage
from ..spec import Ref, Spec, cents, drop_none, object_id, optional_cents

if TYPE_CHECKING:
    from ..environments import Environment

__all__ = [
    "Invoice",
    "Plan",
    "Subscription",
    "cancel_subscription",
    "create_plan",
    "create_subscription",
    "delete_plan",
    "get_plan",
    "get_subscription",
    "iso_date",
    "list_invoices",
    "list_plans",
    "list_subscriptions",
    "update_plan",
    "update_subscription",
]

Interval = Literal["DAY", "WEEK", "MONTH", "YEAR", "Day", "Week", "Month", "Year"]
When = str | date | datetime


class Plan(CloverObject):
    """``name``, ``amount`` (cents), ``interval`` and ``intervalCount`` (not editable),
    ``tipAmount``, ``taxRateUuids``, ``note``, ``active``, ``merchantId``,
    ``developerAppId``, ``createdTime``/``modifiedTime`` (``2023-09-19T10:02:59.476+0000``),
    ``object`` ("plan"); on the local sandbox also ``subscriptionCount`` and
    ``subscriptionPaidTotalAmount``."""


class Subscription(CloverObject):
    """A customer on a plan: ``plan`` (the whole plan), ``customerUuid``,
    ``collectionMethod``, ``amount`` and ``note`` (its own or the plan's), ``startDate``,
    ``endDate``, ``active``, ``total``, ``additionalCharges``, ``lastRunDate`` once it has
    run, ``object`` ("subscription"); on the local sandbox also ``nextBillingDate``."""


class Invoice(CloverObject):
    """One period's bill: ``dueDate``, ``total`` (= ``amount`` + ``taxAmount`` +
    ``tipAmount``), ``status`` (OPEN, PAID, FAILED, VOID), ``attempts``, ``charges``."""


def iso_date(value: When) -> str:
    """A date or time as ISO-8601 for Clover; a naive datetime is taken as UTC."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _headers(merchant_id: str | None) -> dict[str, str]:
    if not merchant_id:
        raise ValueError(
            "The recurring payments API needs the merchant id (X-Clover-Merchant-Id): "
            "create the client with merchant_id=..."
        )
    return {"X-Clover-Merchant-Id": merchant_id}


def _url(env: Environment, path: str) -> str:
    return f"{env.hosted_checkout_url}/recurring/v1{path}"


def _page_params(limit: int | None, offset: int | None) -> dict[str, Any]:
    return drop_none({"limit": limit, "offset": offset})


def create_plan(
    env: Environment,
    merchant_id: str | None,
    name: str,
    amount: int,
    interval: Interval,
    interval_count: int = 1,
    *,
    tip_amount: int | None = None,
    tax_rate_uuids: Iterable[str] | None = None,
    note: str | None = None,
    idempotency_key: str | None = None,
) -> Spec[Plan]:
    cents("amount", amount, example="1500 for $15.00 a period")
    optional_cents("tip_amount", tip_amount)
    body = drop_none(
        {
            "name": name,
            "amount": amount,
            "interval": interval,
            "intervalCount": interval_count,
            "tipAmount": tip_amount,
            "taxRateUuids": None if tax_rate_uuids is None else list(tax_rate_uuids),
            "note": note,
        }
    )
    return Spec(
        "POST",
        _url(env, "/plans"),
        body,
        idempotency_key=idempotency_key,
        headers=_headers(merchant_id),
        read=Plan,
    )


def _plans(body: Any) -> list[Plan]:
    return [Plan(item) for item in body]


def _subscriptions(body: Any) -> list[Subscription]:
    return [Subscription(item) for item in body]


def list_plans(
    env: Environment,
    merchant_id: str | None,
    limit: int | None,
    offset: int | None,
    filters: Mapping[str, Any] | None = None,
) -> Spec[list[Plan]]:
    """``filters`` in Clover's names (getplans): ``active``, ``name``, ``interval``,
    ``intervalCount``, ``sort``."""
    params = {**drop_none(dict(filters or {})), **_page_params(limit, offset)}
    if isinstance(params.get("active"), bool):
        params["active"] = str(params["active"]).lower()
    return Spec(
        "GET",
        _url(env, "/plans"),
        params=params,
        headers=_headers(merchant_id),
        read=_plans,
    )


def get_plan(env: Environment, merchant_id: str | None, plan: Ref) -> Spec[Plan]:
    return Spec(
        "GET", _url(env, f"/plans/{object_id(plan)}"), headers=_headers(merchant_id), read=Plan
    )


def update_plan(
    env: Environment, merchant_id: str | None, plan: Ref, changes: Mapping[str, Any]
) -> Spec[Plan]:
    """``changes`` in Clover's names: ``name``, ``amount``, ``tipAmount``, ``taxRateUuids``,
    ``note``, ``active``."""
    for money in ("amount", "tipAmount"):
        optional_cents(money, changes.get(money))
    return Spec(
        "PUT",
        _url(env, f"/plans/{object_id(plan)}"),
        drop_none(changes),
        headers=_headers(merchant_id),
        read=Plan,
    )


def delete_plan(env: Environment, merchant_id: str | None, plan: Ref) -> Spec[Plan]:
    return Spec(
        "DELETE", _url(env, f"/plans/{object_id(plan)}"), headers=_headers(merchant_id), read=Plan
    )


def _end_of_payments(plan: Ref, start: When | None, payments: int) -> str:
    """The end date that allows exactly `payments` invoices: the day of the last one."""
    if not isinstance(plan, Mapping | CloverObject) or start is None:
        raise ValueError(
            "payments=N needs the Plan object (not its id) and start_date, to work out the "
            "end date; or pass end_date yourself."
        )
    first = datetime.fromisoformat(iso_date(start))
    first = first if first.tzinfo else first.replace(tzinfo=UTC)
    interval, count = str(plan["interval"]).upper(), int(plan["intervalCount"])
    steps = count * (payments - 1)
    if interval in ("DAY", "WEEK"):
        last = first + timedelta(days=steps * (7 if interval == "WEEK" else 1))
    else:
        months = steps * (12 if interval == "YEAR" else 1)
        index = first.month - 1 + months
        year, month = first.year + index // 12, index % 12 + 1
        day = min(first.day, calendar.monthrange(year, month)[1])
        last = first.replace(year=year, month=month, day=day)
    return last.isoformat()


def create_subscription(
    env: Environment,
    merchant_id: str | None,
    plan: Ref,
    customer: Ref,
    *,
    start_date: When | None = None,
    end_date: When | None = None,
    payments: int | None = None,
    amount: int | None = None,
    tip_amount: int | None = None,
    tax_rate_uuids: Iterable[str] | None = None,
    note: str | None = None,
    soft_descriptor: Mapping[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> Spec[Subscription]:
    """``payments=N`` is the kit's: the end date of the N-th invoice, worked out from the
    plan's interval (Clover takes only ``endDate``)."""
    optional_cents("amount", amount)
    optional_cents("tip_amount", tip_amount)
    if payments is not None:
        if end_date is not None:
            raise ValueError("Give end_date or payments, not both.")
        if payments < 1:
            raise ValueError(f"payments must be 1 or more, not {payments}")
        end_date = _end_of_payments(plan, start_date, payments)
    body = drop_none(
        {
            "customerId": object_id(customer),
            "collectionMethod": "CHARGE_AUTOMATICALLY",
            "startDate": None if start_date is None else iso_date(start_date),
            "endDate": None if end_date is None else iso_date(end_date),
            "amount": amount,
            "tipAmount": tip_amount,
            "taxRateUuids": None if tax_rate_uuids is None else list(tax_rate_uuids),
            "note": note,
            "softDescriptor": None if soft_descriptor is None else dict(soft_descriptor),
        }
    )
    return Spec(
        "POST",
        _url(env, f"/plans/{object_id(plan)}/subscriptions"),
        body,
        idempotency_key=idempotency_key,
        headers=_headers(merchant_id),
        read=Subscription,
    )


def list_subscriptions(
    env: Environment,
    merchant_id: str | None,
    plan: Ref | None,
    limit: int | None,
    offset: int | None,
) -> Spec[list[Subscription]]:
    path = "/subscriptions" if plan is None else f"/plans/{object_id(plan)}/subscriptions"
    return Spec(
        "GET",
        _url(env, path),
        params=_page_params(limit, offset),
        headers=_headers(merchant_id),
        read=_subscriptions,
    )


def get_subscription(
    env: Environment, merchant_id: str | None, subscription: Ref
) -> Spec[Subscription]:
    return Spec(
        "GET",
        _url(env, f"/subscriptions/{object_id(subscription)}"),
        headers=_headers(merchant_id),
        read=Subscription,
    )


def update_subscription(
    env: Environment, merchant_id: str | None, subscription: Ref, changes: Mapping[str, Any]
) -> Spec[Subscription]:
    """``changes`` in Clover's names: ``amount``, ``tipAmount``, ``taxRateUuids``, ``note``,
    ``startDate`` (only before the subscription starts), ``endDate``, ``active``."""
    dated = ("startDate", "endDate")
    body = {k: iso_date(v) if k in dated else v for k, v in drop_none(changes).items()}
    for money in ("amount", "tipAmount"):
        optional_cents(money, body.get(money))
    return Spec(
        "PUT",
        _url(env, f"/subscriptions/{object_id(subscription)}"),
        body,
        headers=_headers(merchant_id),
        read=Subscription,
    )


def cancel_subscription(
    env: Environment, merchant_id: str | None, subscription: Ref
) -> Spec[Subscription]:
    """Clover cancels with ``PUT`` and ``active: false``
    (https://docs.clover.com/docs/recurring-apis-subscriptions, Cancel a subscription)."""
    return Spec(
        "PUT",
        _url(env, f"/subscriptions/{object_id(subscription)}"),
        {"active": False},
        headers=_headers(merchant_id),
        read=Subscription,
    )


def list_invoices(
    env: Environment,
    merchant_id: str | None,
    subscription: Ref,
    limit: int | None,
    offset: int | None,
) -> Spec[ListPage]:
    return Spec(
        "GET",
        _url(env, f"/subscriptions/{object_id(subscription)}/invoices"),
        params=_page_params(limit, offset),
        headers=_headers(merchant_id),
        read=ListPage.of(Invoice),
    )
