"""Hosted Checkout sessions, and paying one: tokenize, make the cart an order, pay it.

A session is made by the merchant's server and paid on Clover's page (docs:
creating-a-hosted-checkout-session). Paying goes through the tokens, orders and charges
models, so the charge shows its order like any other and nothing forges a request.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from helpers.sandbox.core.errors import ApiError
from helpers.sandbox.core.store import Kind, Object, Store
from helpers.sandbox.resources.charges import model as charges
from helpers.sandbox.resources.orders import model as orders
from helpers.sandbox.resources.tokens import model as tokens

CURRENCY = "usd"
PAYING = "paying"  # claimed by one submit; never stored (see `claim`)


def _session_id(store: Store) -> str:
    """A UUID, as Clover's session ids are, drawn from the seeded sequence."""
    digest = hashlib.sha256(store.sequence.secret(32).encode()).hexdigest()
    return str(uuid.UUID(digest[:32], version=4))


def create(
    store: Store,
    merchant_id: str,
    items: list[dict[str, Any]],
    customer: dict[str, Any],
    redirects: dict[str, str],
    lifetime_s: int,
) -> Object:
    """An open session for a checked cart; it expires `lifetime_s` seconds from now."""
    session: Object = {
        "id": _session_id(store),
        "created": store.sequence.created_ms(),
        "items": items,
        "total": sum(item["price"] * item["unitQty"] for item in items),
        "customer": customer,
        "redirectUrls": redirects,
        "_status": "open",
        "_expires_at": store.expiry_now_s() + lifetime_s,
        "_merchant": merchant_id,
    }
    store.put(Kind.CHECKOUT_SESSION, session)
    return session


def find(store: Store, merchant_ids: Iterable[str], session_id: str) -> Object | None:
    """The session behind a checkout link, whichever merchant made it (the link says)."""
    for merchant_id in merchant_ids:
        found = store.get(Kind.CHECKOUT_SESSION, session_id, merchant_id)
        if found is not None:
            return found
    return None


def close(store: Store, session: Object, status: str, charge_id: str | None = None) -> None:
    """`paid`, `declined`, `canceled` or `expired`: the session takes no more payments."""
    session["_status"] = status
    if charge_id is not None:
        session["_charge"] = charge_id
    store.put(Kind.CHECKOUT_SESSION, session)


def expire_if_due(store: Store, session: Object) -> None:
    if session["_status"] == "open" and store.expiry_now_s() >= session["_expires_at"]:
        close(store, session, "expired")


def claim(store: Store, session: Object) -> bool:
    """Take the open session for one payment; False if it is not open (any more).

    The page checks the session again after the form's body arrived (a slow body may
    outlast a Cancel, an expiry or another Pay) and claims it before charging: the first
    claim wins, and whoever comes second sees a session that is no longer open. The claim
    lives in memory only; `close` or `release` ends it, so a crash never leaves it stuck.
    """
    if session["_status"] != "open" or store.expiry_now_s() >= session["_expires_at"]:
        return False
    session["_status"] = PAYING
    return True


def release(session: Object) -> None:
    """Give a claimed session back (the card was refused before any charge was made)."""
    if session["_status"] == PAYING:
        session["_status"] = "open"


def pay(store: Store, session: Object, card: dict[str, str], customer_ip: str) -> Object:
    """Tokenize the card, make the cart an order and pay it; the charge, approved or
    declined. Any other problem with the card is raised as the API would answer it."""
    merchant_id = session["_merchant"]
    number = tokens.valid_number(card["number"], "card.number")
    token = tokens.tokenize(store, merchant_id, card, number)
    items = [
        {
            "type": "sku",
            "amount": item["price"],
            "currency": CURRENCY,
            "quantity": item["unitQty"],
            "description": item["name"],
        }
        for item in session["items"]
    ]
    order = orders.create(store, merchant_id, CURRENCY, items, session["customer"].get("email"))
    request = charges.charge_request(
        {"amount": orders.left_to_pay(order), "currency": CURRENCY, "source": token["id"]}
    )
    try:
        paid = orders.pay(store, merchant_id, order, request, customer_ip)
    except ApiError as error:
        if error.status != 402:
            raise
        charge_id = str(error.extra["charge"])
    else:
        charge_id = str(paid["charge"])
    return charges.get(store, merchant_id, charge_id)
