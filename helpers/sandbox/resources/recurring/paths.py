"""Recurring payments' paths (api host): plans, subscriptions and their invoices, each
with its OpenAPI operation; app.py gathers them."""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.operation import REF, Operation, route
from helpers.sandbox.resources.recurring import routes as recurring

RECURRING = "https://docs.clover.com/docs/recurring-apis-subscriptions"
PLAN_SEARCH = ("active", "name", "interval", "intervalCount", "sort", "limit", "offset")
PAGES = ("limit", "offset")
MERCHANT = ("x-clover-merchant-id",)


def _recurring(summary: str, reference: str = RECURRING, **more: Any) -> Operation:
    """A recurring payments operation: api host, the merchant named in its header."""
    return Operation(summary, "Recurring", "api", reference, headers=MERCHANT, **more)


def _by_id(name: str, *operations: str) -> dict[str, dict[str, Any]]:
    """Links from an answer's `id` to the operations that take it as `name`."""
    return {
        op: {"operationId": op, "parameters": {name: "$response.body#/id"}} for op in operations
    }


def routes() -> list[BaseRoute]:
    return [
        route(
            "/recurring/v1/plans",
            recurring.create_plan,
            "POST",
            doc=_recurring(
                "Create a plan: what is billed, and how often",
                REF + "create",
                body=recurring.plan_request,
                example={
                    "name": "Coffee club",
                    "amount": 2500,
                    "interval": "MONTH",
                    "intervalCount": 1,
                },
                response="Plan",
                links=_by_id(
                    "plan_id",
                    "create_subscription",
                    "get_plan",
                    "update_plan",
                    "list_plan_subscriptions",
                ),
            ),
        ),
        route(
            "/recurring/v1/plans",
            recurring.list_plans,
            "GET",
            doc=_recurring(
                "List plans (a JSON array), filtered, sorted by name",
                "https://docs.clover.com/dev/reference/getplans",
                response="PlanList",
                query=PLAN_SEARCH,
            ),
        ),
        route(
            "/recurring/v1/plans/{plan_id}",
            recurring.get_plan,
            "GET",
            doc=_recurring("Read a plan", response="Plan"),
        ),
        route(
            "/recurring/v1/plans/{plan_id}",
            recurring.update_plan,
            "PUT",
            doc=_recurring(
                "Update a plan (its price reaches subscriptions without their own)",
                REF + "editplan",
                body=recurring.plan_update_request,
                example={"amount": 2700},
                response="Plan",
            ),
        ),
        route(
            "/recurring/v1/plans/{plan_id}",
            recurring.delete_plan,
            "DELETE",
            doc=_recurring("Delete a plan with no active subscription", response="Plan"),
        ),
        route(
            "/recurring/v1/plans/{plan_id}/subscriptions",
            recurring.create_subscription,
            "POST",
            doc=_recurring(
                "Subscribe a customer with a card on file to a plan",
                REF + "createsubscription",
                body=recurring.subscription_request,
                example={"customerId": "CUSTOMER_ID", "collectionMethod": "CHARGE_AUTOMATICALLY"},
                response="Subscription",
                links=_by_id(
                    "subscription_id",
                    "get_subscription",
                    "update_subscription",
                    "cancel_subscription",
                    "list_invoices",
                ),
            ),
        ),
        route(
            "/recurring/v1/plans/{plan_id}/subscriptions",
            recurring.list_plan_subscriptions,
            "GET",
            doc=_recurring(
                "List a plan's subscriptions (a JSON array), newest first",
                response="SubscriptionList",
                query=PAGES,
            ),
        ),
        route(
            "/recurring/v1/subscriptions",
            recurring.list_subscriptions,
            "GET",
            doc=_recurring(
                "List subscriptions (a JSON array), newest first",
                response="SubscriptionList",
                query=PAGES,
            ),
        ),
        route(
            "/recurring/v1/subscriptions/{subscription_id}",
            recurring.get_subscription,
            "GET",
            doc=_recurring("Read a subscription", response="Subscription"),
        ),
        route(
            "/recurring/v1/subscriptions/{subscription_id}",
            recurring.update_subscription,
            "PUT",
            doc=_recurring(
                "Update a subscription: its amount, note, tax rates, start date (before it "
                "starts), end date; cancel it with active false",
                body=recurring.subscription_update_request,
                example={"note": "This is a revised note"},
                response="Subscription",
            ),
        ),
        route(
            "/recurring/v1/subscriptions/{subscription_id}",
            recurring.cancel_subscription,
            "DELETE",
            doc=_recurring(
                "Delete a subscription: as PUT active false; it stays readable with a "
                "deletedTime, and bills nothing more",
                response="Subscription",
            ),
        ),
        route(
            "/recurring/v1/subscriptions/{subscription_id}/invoices",
            recurring.list_invoices,
            "GET",
            doc=_recurring(
                "List a subscription's invoices and the charges that paid them",
                response="InvoiceList",
                query=PAGES,
            ),
        ),
    ]
