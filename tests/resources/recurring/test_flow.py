"""Recurring payments through the client against the real local sandbox, and a property:
whatever the clock, the declines and the cancels do, each due invoice is charged once."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import (
    AsyncCloverClient,
    CloverClient,
    Environment,
    InvalidRequestError,
    Plan,
    Subscription,
    test_card,
)
from helpers.sandbox.core import times
from helpers.sandbox.resources.recurring import dates

VISA = test_card("approve", brand="VISA")
DECLINED = test_card("decline", brand="VISA")


def clock(sandbox: Any, **body: Any) -> dict[str, Any]:
    response = httpx.post(f"{sandbox.url}/_sandbox/clock", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_a_plan_a_subscriber_and_a_quarter_of_renewals(live: CloverClient, sandbox: Any) -> None:
    plan = live.create_plan("Coffee club", 1500, "Month", tip_amount=100)
    assert isinstance(plan, Plan) and plan.interval == "MONTH"
    customer = live.create_customer(live.create_token(VISA.card()), email="ada@example.com")
    sub = live.create_subscription(plan, customer, start_date="2026-02-01", payments=3)
    assert isinstance(sub, Subscription) and sub.endDate.startswith("2026-04-01")
    clock(sandbox, advance="P1Y")
    invoices = live.list_invoices(sub, limit=100)
    assert [i.status for i in invoices] == ["PAID"] * 3 and [i.total for i in invoices] == [
        1600
    ] * 3
    assert live.get_subscription(sub).active is False  # its three payments are made
    assert live.get_plan(plan).subscriptionPaidTotalAmount == 4800
    assert [s.id for s in live.list_subscriptions(plan)] == [sub.id]
    changed = live.update_plan(plan, amount=1800, note="new price")
    assert changed.amount == 1800 and changed.note == "new price"
    live.delete_plan(plan)
    try:
        live.get_plan(plan)
    except InvalidRequestError as gone:
        assert gone.status == 404
    else:
        raise AssertionError("a deleted plan must answer 404")


def test_the_async_client_subscribes_and_cancels(sandbox: Any, sandbox_merchants: Any) -> None:
    merchant = sandbox_merchants[0]

    async def run() -> tuple[Subscription, list[str]]:
        async with AsyncCloverClient(
            Environment.local(sandbox.url),
            merchant["private_key"],
            merchant_id=merchant["merchant_id"],
            api_access_key=merchant["api_access_key"],
        ) as client:
            plan = await client.create_plan("Weekly flowers", 2500, "Week")
            customer = await client.create_customer(
                await client.create_token(VISA.card()), email="ada@example.com"
            )
            sub = await client.create_subscription(plan, customer)
            clock(sandbox, advance="P15D")
            canceled = await client.cancel_subscription(sub)
            clock(sandbox, advance="P1M")
            invoices = await client.list_invoices(sub)
            return canceled, [i.status for i in invoices]

    canceled, statuses = asyncio.run(run())
    assert canceled.active is False  # PUT active false, as Clover's page cancels
    assert statuses == ["PAID", "PAID", "PAID"]  # days 1, 8 and 15; nothing after the cancel


steps = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), st.integers(min_value=1, max_value=70)),
        st.tuples(st.just("decline"), st.just(0)),
        st.tuples(st.just("approve"), st.just(0)),
        st.tuples(st.just("cancel"), st.just(0)),
    ),
    max_size=12,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=steps)
@example(script=[("decline", 0), ("advance", 1), ("cancel", 0)])  # PUT active false voids
def test_each_due_invoice_is_charged_exactly_once(
    sandbox: Any, sandbox_merchants: Any, script: list[tuple[str, int]]
) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()
    merchant = sandbox_merchants[0]
    with CloverClient(
        Environment.local(sandbox.url),
        merchant["private_key"],
        merchant_id=merchant["merchant_id"],
        api_access_key=merchant["api_access_key"],
        requests_per_second=None,
    ) as client:
        plan = client.create_plan("Coffee club", 1000, "Week", 2)
        customer = client.create_customer(client.create_token(VISA.card()), email="ada@example.com")
        sub = client.create_subscription(plan, customer)
        canceled_at: int | None = None
        for action, days in script:
            if action == "advance":
                clock(sandbox, advance_ms=days * dates.DAY_MS)
            elif action == "decline":
                if len(client.get_customer(customer).sources.data) == 1:  # the newest declines
                    client.update_customer(customer, source=client.create_token(DECLINED.card()))
            elif action == "approve":
                cards = client.get_customer(customer).sources.data
                if len(cards) > 1:
                    client.revoke_card(customer, cards[-1])
            elif canceled_at is None:
                client.cancel_subscription(sub)
                canceled_at = clock(sandbox, advance_ms=0)["now"]
        now = clock(sandbox, advance_ms=0)["now"]
        invoices = list(client.list_invoices(sub, limit=100))
        charges = list(client.list_charges(customer=customer.id, limit=100))
        sub = client.get_subscription(sub)

    anchor = dates.parse(sub.startDate, "startDate")
    expected = [dates.period_start(anchor, "WEEK", 2, n) for n in range(len(invoices))]
    assert [dates.parse(i.dueDate, "dueDate") for i in invoices] == expected  # once per period
    by_id = {c.id: c for c in charges}
    assert sorted(by_id) == sorted(c for i in invoices for c in i.charges)  # no stray charges
    for invoice in invoices:
        succeeded = [c for c in invoice.charges if by_id[c].status == "succeeded"]
        assert len(succeeded) == (1 if invoice.status == "PAID" else 0)
        assert 1 <= invoice.attempts == len(invoice.charges) <= 5
        assert invoice.status != "FAILED" or invoice.attempts == 5
        assert dates.parse(invoice.dueDate, "dueDate") <= now
        if canceled_at is not None:
            assert dates.parse(invoice.dueDate, "dueDate") <= canceled_at
        if invoice.status == "OPEN":
            assert sub.active and dates.parse(invoice.nextAttemptDate, "next") > now
    if sub.active:
        next_due = dates.period_start(anchor, "WEEK", 2, len(invoices))
        assert next_due > now and sub.nextBillingDate == times.wire(next_due)
