"""Named events a developer can fire on purpose (`python -m helpers.sandbox trigger EVENT`),
each made of real objects through the resources' own models. Their updates are sent as
any other write's are (model.committed), once the trigger's request is committed.

Each named event makes what its name says for a demo merchant (with the documented test
card 4242 4242 4242 4242), so the objectId in the message can be fetched back from the
API like any other.
"""

from __future__ import annotations

from collections.abc import Callable

from helpers.sandbox.core.store import Object, Store
from helpers.sandbox.resources.app_webhooks.model import app_of
from helpers.sandbox.resources.charges import model as charges
from helpers.sandbox.resources.customers import model as customers
from helpers.sandbox.resources.orders import model as orders
from helpers.sandbox.resources.recurring import dates
from helpers.sandbox.resources.recurring import model as recurring
from helpers.sandbox.resources.tokens import model as tokens

TEST_CARD = {"number": "4242424242424242", "exp_month": "12", "exp_year": "2030", "cvv": "123"}


def _token(store: Store, merchant_id: str) -> Object:
    card = {**TEST_CARD, "brand": "VISA"}
    return tokens.tokenize(store, merchant_id, card, TEST_CARD["number"])


def _customer(store: Store, merchant_id: str) -> Object:
    profile = {"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace"}
    return customers.create(store, merchant_id, profile, _token(store, merchant_id))


def payment(store: Store, merchant_id: str) -> Object:
    request = charges.charge_request(
        {"amount": 1358, "currency": "usd", "source": _token(store, merchant_id)["id"]}
    )
    charge = charges.create(store, merchant_id, request, "203.0.113.7")
    return charges.view(charge)


def order(store: Store, merchant_id: str) -> Object:
    item = {"type": "sku", "amount": 450, "currency": "usd", "description": "Latte", "quantity": 2}
    made = orders.create(store, merchant_id, "usd", [item])
    return orders.view(store, made)


def customer(store: Store, merchant_id: str) -> Object:
    made = _customer(store, merchant_id)
    return recurring.view(made)


def subscription(store: Store, merchant_id: str) -> Object:
    """A plan, a customer and its subscription: Clover sends no update for the
    subscription itself, so the message holds the customer's CREATE; its renewals will
    come as payments."""
    plan = recurring.create_plan(
        store,
        merchant_id,
        {"name": "Coffee club", "amount": 1500, "interval": "MONTH", "intervalCount": 1},
        app_of(store, merchant_id),
    )
    buyer = _customer(store, merchant_id)
    start = dates.next_midnight(store.sequence.now_ms())
    made = recurring.create_subscription(
        store,
        merchant_id,
        plan,
        {"customerId": buyer["id"], "collectionMethod": "CHARGE_AUTOMATICALLY"},
        start,
    )
    return recurring.view_subscription(store, made)


NAMED: dict[str, Callable[[Store, str], Object]] = {
    "payment.created": payment,
    "order.created": order,
    "customer.created": customer,
    "subscription.created": subscription,
}
