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
from typing import Any, Literal

from ..objects import CloverObject, ListPage
from ..operation import Calls, operation
from ..spec import Ref, Spec, cents, drop_none, object_id, optional_cents

__all__ = ["Interval", "Invoice", "Plan", "Recurring", "Subscription", "When", "iso_date"]

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


def _spec(
    calls: Calls,
    method: str,
    path: str,
    read: Any,
    body: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> Spec[Any]:
    """A call of ``/recurring/v1``, naming the merchant in ``X-Clover-Merchant-Id``."""
    if not calls.merchant_id:
        raise ValueError(
            "The recurring payments API needs the merchant id (X-Clover-Merchant-Id): "
            "create the client with merchant_id=..."
        )
    return Spec(
        method,
        f"{calls.environment.hosted_checkout_url}/recurring/v1{path}",
        body,
        params,
        idempotency_key=idempotency_key,
        headers={"X-Clover-Merchant-Id": calls.merchant_id},
        read=read,
    )


def _page(limit: int | None, offset: int | None) -> dict[str, Any]:
    return drop_none({"limit": limit, "offset": offset})


def _plans(body: Any) -> list[Plan]:
    return [Plan(item) for item in body]


def _subscriptions(body: Any) -> list[Subscription]:
    return [Subscription(item) for item in body]


def _uuids(values: Iterable[str] | None) -> list[str] | None:
    return None if values is None else list(values)


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


class Recurring(Calls):
    """The calls of ``/recurring/v1``: plans, subscriptions, and a subscription's invoices."""

    @operation
    def create_plan(
        self,
        name: str,
        amount: int,
        interval: Interval = "MONTH",
        interval_count: int = 1,
        *,
        tip_amount: int | None = None,
        tax_rate_uuids: Iterable[str] | None = None,
        note: str | None = None,
        idempotency_key: str | None = None,
    ) -> Spec[Plan]:
        """``POST /recurring/v1/plans``: bill ``amount`` cents every ``interval_count``
        days, weeks, months or years."""
        cents("amount", amount, example="1500 for $15.00 a period")
        optional_cents("tip_amount", tip_amount)
        body = {
            "name": name,
            "amount": amount,
            "interval": interval,
            "intervalCount": interval_count,
            "tipAmount": tip_amount,
            "taxRateUuids": _uuids(tax_rate_uuids),
            "note": note,
        }
        return _spec(self, "POST", "/plans", Plan, drop_none(body), None, idempotency_key)

    @operation
    def list_plans(
        self,
        limit: int | None = None,
        offset: int | None = None,
        *,
        active: bool | None = None,
        name: str | None = None,
        interval: Interval | None = None,
        interval_count: int | None = None,
    ) -> Spec[list[Plan]]:
        """``GET /recurring/v1/plans``: a JSON array, sorted by name; ``limit`` is at least
        10 (https://docs.clover.com/dev/reference/getplans), filtered by the options given."""
        filters = {
            "active": None if active is None else str(active).lower(),
            "name": name,
            "interval": interval,
            "intervalCount": interval_count,
        }
        params = {**drop_none(filters), **_page(limit, offset)}
        return _spec(self, "GET", "/plans", _plans, params=params)

    @operation
    def get_plan(self, plan: Ref) -> Spec[Plan]:
        """``GET /recurring/v1/plans/{id}``."""
        return _spec(self, "GET", f"/plans/{object_id(plan)}", Plan)

    @operation
    def update_plan(
        self,
        plan: Ref,
        *,
        name: str | None = None,
        amount: int | None = None,
        tipAmount: int | None = None,
        taxRateUuids: Iterable[str] | None = None,
        note: str | None = None,
        active: bool | None = None,
    ) -> Spec[Plan]:
        """``PUT /recurring/v1/plans/{id}`` with Clover's names: ``name``, ``amount``,
        ``tipAmount``, ``taxRateUuids``, ``note``, ``active`` (the interval cannot change)."""
        optional_cents("amount", amount)
        optional_cents("tipAmount", tipAmount)
        body = {
            "name": name,
            "amount": amount,
            "tipAmount": tipAmount,
            "taxRateUuids": _uuids(taxRateUuids),
            "note": note,
            "active": active,
        }
        return _spec(self, "PUT", f"/plans/{object_id(plan)}", Plan, drop_none(body))

    @operation
    def delete_plan(self, plan: Ref) -> Spec[Plan]:
        """``DELETE /recurring/v1/plans/{id}``: refused while it has active subscriptions."""
        return _spec(self, "DELETE", f"/plans/{object_id(plan)}", Plan)

    @operation
    def create_subscription(
        self,
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
        """``POST /recurring/v1/plans/{id}/subscriptions``: bill the customer's card on file
        from ``start_date`` (default: tomorrow) until ``end_date``, or for ``payments``
        invoices, or until canceled; ``soft_descriptor`` is Clover's ``softDescriptor``
        (``{"dbaName": ...}``). ``payments=N`` is the kit's: the end date of the N-th
        invoice, worked out from the plan's interval (Clover takes only ``endDate``)."""
        optional_cents("amount", amount)
        optional_cents("tip_amount", tip_amount)
        if payments is not None:
            if end_date is not None:
                raise ValueError("Give end_date or payments, not both.")
            if payments < 1:
                raise ValueError(f"payments must be 1 or more, not {payments}")
            end_date = _end_of_payments(plan, start_date, payments)
        body = {
            "customerId": object_id(customer),
            "collectionMethod": "CHARGE_AUTOMATICALLY",
            "startDate": None if start_date is None else iso_date(start_date),
            "endDate": None if end_date is None else iso_date(end_date),
            "amount": amount,
            "tipAmount": tip_amount,
            "taxRateUuids": _uuids(tax_rate_uuids),
            "note": note,
            "softDescriptor": None if soft_descriptor is None else dict(soft_descriptor),
        }
        path = f"/plans/{object_id(plan)}/subscriptions"
        return _spec(self, "POST", path, Subscription, drop_none(body), None, idempotency_key)

    @operation
    def list_subscriptions(
        self, plan: Ref | None = None, limit: int | None = None, offset: int | None = None
    ) -> Spec[list[Subscription]]:
        """``GET /recurring/v1/subscriptions``, or one plan's: a JSON array, newest first;
        ``limit`` (10 to 100) and ``offset`` page it (the kit's: see docs/choices.md)."""
        path = "/subscriptions" if plan is None else f"/plans/{object_id(plan)}/subscriptions"
        return _spec(self, "GET", path, _subscriptions, params=_page(limit, offset))

    @operation
    def get_subscription(self, subscription: Ref) -> Spec[Subscription]:
        """``GET /recurring/v1/subscriptions/{id}``."""
        return _spec(self, "GET", f"/subscriptions/{object_id(subscription)}", Subscription)

    @operation
    def update_subscription(
        self,
        subscription: Ref,
        *,
        amount: int | None = None,
        tipAmount: int | None = None,
        taxRateUuids: Iterable[str] | None = None,
        note: str | None = None,
        startDate: When | None = None,
        endDate: When | None = None,
        active: bool | None = None,
    ) -> Spec[Subscription]:
        """``PUT /recurring/v1/subscriptions/{id}`` with Clover's names: ``amount``,
        ``tipAmount``, ``taxRateUuids``, ``note``, ``startDate`` (before it starts only),
        ``endDate``, ``active``."""
        optional_cents("amount", amount)
        optional_cents("tipAmount", tipAmount)
        body = {
            "amount": amount,
            "tipAmount": tipAmount,
            "taxRateUuids": _uuids(taxRateUuids),
            "note": note,
            "startDate": None if startDate is None else iso_date(startDate),
            "endDate": None if endDate is None else iso_date(endDate),
            "active": active,
        }
        path = f"/subscriptions/{object_id(subscription)}"
        return _spec(self, "PUT", path, Subscription, drop_none(body))

    @operation
    def cancel_subscription(self, subscription: Ref) -> Spec[Subscription]:
        """``PUT /recurring/v1/subscriptions/{id}`` with ``active: false``, as Clover's page
        cancels (https://docs.clover.com/docs/recurring-apis-subscriptions, Cancel a
        subscription): nothing more is billed."""
        path = f"/subscriptions/{object_id(subscription)}"
        return _spec(self, "PUT", path, Subscription, {"active": False})

    @operation
    def list_invoices(
        self, subscription: Ref, limit: int | None = None, offset: int | None = None
    ) -> Spec[ListPage]:
        """``GET /recurring/v1/subscriptions/{id}/invoices``: a subscription's invoices,
        oldest first (a local sandbox path)."""
        path = f"/subscriptions/{object_id(subscription)}/invoices"
        return _spec(self, "GET", path, ListPage.of(Invoice), params=_page(limit, offset))
