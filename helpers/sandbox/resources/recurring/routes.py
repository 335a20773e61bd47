"""`/recurring/v1/...`: plans, subscriptions and their invoices, over HTTP (Clover's
pages: https://docs.clover.com/docs/working-with-recurring-payments-and-subscriptions,
https://docs.clover.com/docs/recurring-apis-subscriptions; the API reference's
https://docs.clover.com/dev/reference/getplans and createsubscription).

HTTP only: every request must name its merchant in `X-Clover-Merchant-Id` (documented as
required), bodies are checked here field by field, the work is model.py and billing.py.
Plan and subscription lists answer a JSON array, as Clover's samples do. Plans filter by
`active`, `name`, `interval` and `intervalCount`, sort by `name` (the default and the one
documented sort) and page with `limit` (at least 10, as documented; default 10, the kit's)
and `offset` (getplans). Subscription lists page with the same `limit` and `offset` (the
kit's choice: the subscription pages show no query parameters; docs/choices.md).
"""

from __future__ import annotations

from typing import Any

from helpers.sandbox.core import fields, times
from helpers.sandbox.core.errors import (
    bad_interval,
    bad_limit,
    invalid_request,
    merchant_header_missing,
    not_a_flag,
    not_a_whole_number,
    plan_has_subscriptions,
    plan_inactive,
    start_date_not_in_future,
    subscriber_without_card,
    subscription_canceled,
)
from helpers.sandbox.core.http import Call
from helpers.sandbox.core.money import MAX_AMOUNT
from helpers.sandbox.core.probe import Probe
from helpers.sandbox.resources.customers import model as customers
from helpers.sandbox.resources.recurring import billing, dates, model

PLAN_FIELDS = ("name", "amount", "note", "taxRateUuids", "tipAmount", "interval", "intervalCount")
PLAN_UPDATE_FIELDS = ("name", "amount", "note", "taxRateUuids", "tipAmount", "active")
SUBSCRIPTION_FIELDS = (
    "customerId",
    "collectionMethod",
    "startDate",
    "endDate",
    "amount",
    "tipAmount",
    "note",
    "taxRateUuids",
    "active",
    "softDescriptor",
    "level2",
)
SUBSCRIPTION_UPDATE_FIELDS = (
    "amount",
    "tipAmount",
    "note",
    "taxRateUuids",
    "startDate",
    "endDate",
    "active",
)
COLLECTION_METHODS = ("CHARGE_AUTOMATICALLY",)
"""Required on create; "currently, CHARGE_AUTOMATICALLY is the only method allowed"
(https://docs.clover.com/docs/recurring-apis-subscriptions)."""
SOFT_DESCRIPTOR_FIELDS = (
    "dbaName",
    "street",
    "city",
    "region",
    "postalCode",
    "countryCode",
    "merchantContactInfo",
)
"""docs/setting-soft-descriptors' fields, in the recurring API's camelCase (the page's
sample sends `dbaName`)."""
MAX_INTERVAL_COUNT = 1000
MIN_LIMIT, MAX_LIMIT = 10, 100
MAX_SCHEDULE_YEARS = 100


def _merchant(call: Call) -> str:
    if not call.headers.get("x-clover-merchant-id", "").strip():
        raise merchant_header_missing("The recurring payments API")
    return call.merchant_id


def _paged(call: Call, objects: list[Any]) -> list[Any]:
    """One page of `objects` as a JSON array: `limit` (10 to 100, default 10), `offset`."""
    limit, offset = call.query.get("limit", "10"), call.query.get("offset", "0")
    if not fields.ascii_digits(limit) or not MIN_LIMIT <= int(limit) <= MAX_LIMIT:
        raise bad_limit(limit, MAX_LIMIT, MIN_LIMIT)
    if not fields.ascii_digits(offset):
        raise not_a_whole_number("offset", offset)
    return objects[int(offset) : int(offset) + int(limit)]


def _page(call: Call, objects: list[Any]) -> dict[str, Any]:
    """The kit's list envelope, for its own invoices path (`data`, `has_more`)."""
    limit, offset = call.query.get("limit", "10"), call.query.get("offset", "0")
    if not fields.ascii_digits(limit) or not 1 <= int(limit) <= 100:
        raise bad_limit(limit)
    if not fields.ascii_digits(offset):
        raise not_a_whole_number("offset", offset)
    start, end = int(offset), int(offset) + int(limit)
    data = [model.view(o) for o in objects[start:end]]
    return {"object": "list", "data": data, "has_more": len(objects) > end}


def _plan_filters(call: Call, objects: list[Any]) -> list[Any]:
    """getplans' filters: `active`, `name`, `interval`, `intervalCount`; sorted by name."""
    query = call.query
    active = query.get("active")
    if active is not None:
        if active.lower() not in ("true", "false"):
            raise not_a_flag("active", active)
        objects = [p for p in objects if p["active"] is (active.lower() == "true")]
    name = query.get("name")
    if name is not None:
        objects = [p for p in objects if p["name"] == name]
    interval = query.get("interval")
    if interval is not None:
        if interval.upper() not in dates.INTERVALS:
            raise bad_interval(interval)
        objects = [p for p in objects if p["interval"] == interval.upper()]
    count = query.get("intervalCount")
    if count is not None:
        if not fields.ascii_digits(count):
            raise not_a_whole_number("intervalCount", count)
        objects = [p for p in objects if p["intervalCount"] == int(count)]
    sort = query.get("sort", "name")
    if sort != "name":
        raise invalid_request(f"sort may only be name; got {sort[:20]!r}.", param="sort")
    return sorted(objects, key=lambda p: p["name"])


def _money(body: dict[str, Any], name: str, minimum: int = 0, required: bool = False) -> Any:
    return fields.integer(body, name, minimum=minimum, maximum=MAX_AMOUNT, required=required)


def _tax_rates(body: dict[str, Any]) -> list[str] | None:
    rates = body.get("taxRateUuids")
    if rates is None:
        return None
    if not isinstance(rates, list) or not all(isinstance(r, str) for r in rates):
        raise invalid_request(
            "taxRateUuids must be a list of tax rate ids (strings).", param="taxRateUuids"
        )
    if len(",".join(rates)) > 255:
        raise invalid_request(
            "taxRateUuids may hold at most 255 characters of ids in all.", param="taxRateUuids"
        )
    for i, rate in enumerate(rates):
        if rate not in model.TAX_RATES:
            known = ", ".join(f"{k} ({v[0]})" for k, v in model.TAX_RATES.items())
            raise invalid_request(
                f"taxRateUuids[{i}] {rate[:20]!r} is not one of this merchant's tax rates; "
                f"the local sandbox's demo merchants have {known}.",
                param=f"taxRateUuids[{i}]",
            )
    return rates


def _interval(body: dict[str, Any]) -> str:
    raw = fields.string(body, "interval", required=True, max_length=10)
    assert raw is not None
    value = raw.upper()
    if value not in dates.INTERVALS:
        raise bad_interval(raw)
    return value


def as_clover_reads(body: Any, numbers: tuple[str, ...] = ()) -> Any:
    """The body as Clover's own samples show it read: the plan edit sample sends
    `"amount": ""` and the cancel sample `"active": "false"`, and both are answered 200
    (https://docs.clover.com/docs/working-with-recurring-payments-and-subscriptions,
    https://docs.clover.com/docs/recurring-apis-subscriptions). So an empty string in a
    number field of an update is read as not sent, and `"true"`/`"false"` as the boolean
    (the kit's reading of the samples; docs/choices.md, Recurring payments)."""
    if isinstance(body, Probe) or not isinstance(body, dict):
        return body  # the OpenAPI document's probe reads the fields as they are declared
    read = {k: v for k, v in body.items() if not (k in numbers and v == "")}
    active = read.get("active")
    if isinstance(active, str) and active.strip().lower() in ("true", "false"):
        read["active"] = active.strip().lower() == "true"
    return read


def _plan_values(body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    if not creating:
        body = as_clover_reads(body, ("amount", "tipAmount"))
        fixed = [name for name in ("interval", "intervalCount") if name in body]
        if fixed:  # working-with-recurring-payments-and-subscriptions, "Edit a plan"
            raise invalid_request(
                f"{fixed[0]} cannot be edited: to bill on another schedule, create a new plan "
                "(and deactivate this one once it has no active subscriptions).",
                param=fixed[0],
            )
    fields.reject_unknown(body, PLAN_FIELDS if creating else PLAN_UPDATE_FIELDS)
    name = fields.string(body, "name", max_length=127, required=creating)
    if name is not None and len(name.strip()) < 3:
        raise invalid_request(
            f"name must be 3 to 127 characters, not blank; got {name!r}.", param="name"
        )
    values = {
        "name": name,
        "amount": _money(body, "amount", minimum=1, required=creating),
        "note": fields.string(body, "note", max_length=255),
        "taxRateUuids": _tax_rates(body),
        "tipAmount": _money(body, "tipAmount"),
    }
    if creating:
        values["interval"] = _interval(body)
        values["intervalCount"] = fields.integer(
            body,
            "intervalCount",
            minimum=1,
            maximum=MAX_INTERVAL_COUNT,
            required=True,
            unit="intervals",
        )
    else:
        values["active"] = body.get("active") if "active" in body else None
        if values["active"] is not None:
            fields.boolean(body, "active", True)
    return {k: v for k, v in values.items() if v is not None}


def plan_request(body: dict[str, Any]) -> dict[str, Any]:
    """The body of a new plan, checked (ref: create)."""
    return _plan_values(body, creating=True)


def plan_update_request(body: dict[str, Any]) -> dict[str, Any]:
    """The body of a plan's update, checked (ref: editplan)."""
    return _plan_values(body, creating=False)


# -- plans -------------------------------------------------------------------------------


def create_plan(call: Call) -> Any:
    merchant_id = _merchant(call)
    values = plan_request(call.body)
    app_id = call.caller.app_id if call.caller is not None else None
    return model.view(model.create_plan(call.store, merchant_id, values, app_id))


def list_plans(call: Call) -> Any:
    plans = _plan_filters(call, model.plans(call.store, _merchant(call)))
    return [model.view(p) for p in _paged(call, plans)]


def get_plan(call: Call) -> Any:
    return model.view(model.get_plan(call.store, _merchant(call), call.path["plan_id"]))


def update_plan(call: Call) -> Any:
    merchant_id = _merchant(call)
    plan = model.get_plan(call.store, merchant_id, call.path["plan_id"])
    values = plan_update_request(call.body)
    if values.get("active") is False and plan["active"]:
        active = model.active_subscriptions(call.store, merchant_id, plan["id"])
        if active:  # working-with-recurring-payments-and-subscriptions
            raise plan_has_subscriptions(plan["id"], active, "deactivating")
    return model.view(model.update_plan(call.store, plan, values))


def delete_plan(call: Call) -> Any:
    merchant_id = _merchant(call)
    plan = model.get_plan(call.store, merchant_id, call.path["plan_id"])
    active = model.active_subscriptions(call.store, merchant_id, plan["id"])
    if active:
        raise plan_has_subscriptions(plan["id"], active, "deleting")
    return model.view(model.delete_plan(call.store, plan))


# -- subscriptions -----------------------------------------------------------------------


def _date(body: dict[str, Any], name: str) -> str | None:
    """A date field as sent, checked to be ISO-8601; None when left out."""
    raw = fields.string(body, name, max_length=40)
    if raw is not None:
        dates.parse(raw, name)
    return raw


def _end_ms(raw: str | None, start_ms: int) -> int | None:
    """The end date, checked against the start."""
    if raw is None:
        return None
    end_ms = dates.parse(raw, "endDate")
    if end_ms <= start_ms:
        raise invalid_request(
            f"endDate must be after the start date {times.iso(start_ms)}; got {raw!r}.",
            param="endDate",
        )
    if end_ms - start_ms > MAX_SCHEDULE_YEARS * 366 * dates.DAY_MS:
        raise invalid_request(
            f"endDate may be at most {MAX_SCHEDULE_YEARS} years after the start; leave it "
            "out for a subscription that runs until it is canceled.",
            param="endDate",
        )
    return end_ms


def _soft_descriptor(body: dict[str, Any]) -> dict[str, Any] | None:
    """What the customer's statement names (docs/recurring-apis-subscriptions links
    https://docs.clover.com/docs/setting-soft-descriptors: a DBA name of at most 38
    characters)."""
    descriptor = fields.mapping(body, "softDescriptor")
    if descriptor is not None:
        fields.reject_unknown(descriptor, SOFT_DESCRIPTOR_FIELDS, prefix="softDescriptor")
        fields.string(descriptor, "dbaName", max_length=38, prefix="softDescriptor")
        for name in SOFT_DESCRIPTOR_FIELDS[1:]:
            fields.string(descriptor, name, max_length=255, prefix="softDescriptor")
    return descriptor


def subscription_request(body: dict[str, Any]) -> dict[str, Any]:
    """The body of a new subscription, checked field by field (ref: createsubscription);
    its dates are checked against the clock by the handler."""
    body = as_clover_reads(body)
    fields.reject_unknown(body, SUBSCRIPTION_FIELDS)
    customer_id = fields.string(body, "customerId", required=True, max_length=64)
    assert customer_id is not None
    method = fields.string(body, "collectionMethod", required=True, choices=COLLECTION_METHODS)
    return {
        "customerId": customer_id,
        "collectionMethod": method,
        "_start": _date(body, "startDate"),
        "_end": _date(body, "endDate"),
        "amount": _money(body, "amount", minimum=1),
        "tipAmount": _money(body, "tipAmount"),
        "note": fields.string(body, "note", max_length=255),
        "taxRateUuids": _tax_rates(body),
        "softDescriptor": _soft_descriptor(body),
        "level2": fields.mapping(body, "level2"),  # createsubscription; kept, not charged
        "_active": fields.boolean(body, "active", True),
    }


def create_subscription(call: Call) -> Any:
    store = call.store
    merchant_id = _merchant(call)
    plan = model.get_plan(store, merchant_id, call.path["plan_id"], param="planId")
    values = subscription_request(call.body)
    customer_id = values["customerId"]
    active = values.pop("_active")
    now = store.sequence.now_ms()
    raw_start = values.pop("_start")
    start_ms = (
        dates.next_midnight(now) if raw_start is None else dates.parse(raw_start, "startDate")
    )
    if start_ms <= now:
        raise start_date_not_in_future("startDate", times.iso(start_ms), times.iso(now))
    values["_end_ms"] = _end_ms(values.pop("_end"), start_ms)
    values["endDate"] = values["_end_ms"]
    customer = customers.get(store, merchant_id, customer_id, param="customerId")
    if not customer["sources"]["data"]:
        raise subscriber_without_card(customer_id)
    if not plan["active"]:
        raise plan_inactive(plan["id"])
    subscription = model.create_subscription(store, merchant_id, plan, values, start_ms)
    if not active:
        model.deactivate(store, subscription)
    billing.tell(store, merchant_id, "subscription.created", subscription)
    return model.view_subscription(store, subscription)


def list_plan_subscriptions(call: Call) -> Any:
    merchant_id = _merchant(call)
    plan = model.get_plan(call.store, merchant_id, call.path["plan_id"], param="planId")
    found = model.subscriptions(call.store, merchant_id, plan["id"])
    return [model.view_subscription(call.store, s) for s in _paged(call, found)]


def list_subscriptions(call: Call) -> Any:
    found = model.subscriptions(call.store, _merchant(call))
    return [model.view_subscription(call.store, s) for s in _paged(call, found)]


def get_subscription(call: Call) -> Any:
    merchant_id = _merchant(call)
    found = model.get_subscription(call.store, merchant_id, call.path["subscription_id"])
    return model.view_subscription(call.store, found)


def update_subscription(call: Call) -> Any:
    store, body = call.store, call.body
    subscription = model.get_subscription(store, _merchant(call), call.path["subscription_id"])
    if subscription.get("_canceled"):
        raise subscription_canceled(subscription["id"])
    changes = subscription_update_request(body)
    start_ms = _new_start(store, subscription, changes.pop("_start"))
    anchor_ms = subscription["_anchor_ms"] if start_ms is None else start_ms
    end_ms = _end_ms(changes.pop("_end"), anchor_ms)
    if end_ms is None and start_ms is not None and subscription["_end_ms"] is not None:
        _end_ms(subscription["endDate"], start_ms)  # the kept end must follow the new start
    active = changes.pop("_active")
    subscription.update({k: v for k, v in changes.items() if v is not None})
    if start_ms is not None:
        subscription.update(_anchor_ms=start_ms, startDate=times.wire(start_ms))
        if subscription["active"]:
            subscription.update(_next_ms=start_ms, nextBillingDate=times.wire(start_ms))
    if end_ms is not None:
        subscription.update(endDate=times.wire(end_ms), _end_ms=end_ms)
    if active is False:
        billing.deactivate(store, subscription)
    elif active is True and not subscription["active"]:
        model.reactivate(store, subscription, _next_period_after(store, subscription))
    model.save(store, subscription)
    return model.view_subscription(store, subscription)


def _new_start(store: Any, subscription: dict[str, Any], raw: str | None) -> int | None:
    """A new `startDate`: "Only a future subscription's start date is editable"
    (https://docs.clover.com/docs/recurring-apis-subscriptions, Edit a subscription)."""
    if raw is None:
        return None
    start_ms = dates.parse(raw, "startDate")
    now = store.sequence.now_ms()
    if subscription["_period"] != 0 or subscription["_anchor_ms"] <= now:
        raise invalid_request(
            f"startDate can only be changed before the subscription starts; this one started "
            f"on {subscription['startDate']}. Change endDate, or cancel it and subscribe again.",
            param="startDate",
        )
    if start_ms <= now:
        raise start_date_not_in_future("startDate", times.wire(start_ms), times.wire(now))
    return start_ms


def subscription_update_request(body: dict[str, Any]) -> dict[str, Any]:
    """The body of a subscription's update, checked (docs: recurring-apis-subscriptions)."""
    body = as_clover_reads(body, ("amount", "tipAmount"))
    fields.reject_unknown(body, SUBSCRIPTION_UPDATE_FIELDS)
    changes = {
        "amount": _money(body, "amount", minimum=1),
        "tipAmount": _money(body, "tipAmount"),
        "note": fields.string(body, "note", max_length=255),
        "taxRateUuids": _tax_rates(body),
        "_start": _date(body, "startDate"),
        "_end": _date(body, "endDate"),
    }
    active = body.get("active")
    if active is not None:
        fields.boolean(body, "active", True)
    return {**changes, "_active": active}


def _next_period_after(store: Any, subscription: dict[str, Any]) -> int | None:
    """A reactivated subscription bills from its next period start after now."""
    plan = model.plan_of(store, subscription)
    now = store.sequence.now_ms()
    period = subscription["_period"]
    while True:
        start = dates.period_start(
            subscription["_anchor_ms"], plan["interval"], plan["intervalCount"], period
        )
        if start > now or start >= dates.MAX_MS:
            break
        period += 1
    subscription["_period"] = period
    end_ms = subscription["_end_ms"]
    return None if end_ms is not None and start > end_ms else start


def cancel_subscription(call: Call) -> Any:
    subscription = model.get_subscription(call.store, _merchant(call), call.path["subscription_id"])
    if not subscription.get("_canceled"):
        billing.cancel(call.store, subscription)
    return model.view_subscription(call.store, subscription)


def list_invoices(call: Call) -> Any:
    merchant_id = _merchant(call)
    subscription = model.get_subscription(call.store, merchant_id, call.path["subscription_id"])
    objects = billing.invoices(call.store, merchant_id, subscription["id"])
    return _page(call, objects)
