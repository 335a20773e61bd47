"""Orders: a cart with tax and shipping, paid in one or more charges, returned item by item
(ref: postorders, postordersidpay, postordersidreturns).

Build the items with :func:`sku`, :func:`shipping` and :func:`tax`, and rates with
:func:`tax_rate` (Clover writes a rate as an integer: ``1000000`` is 10%). Clover computes
the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..objects import CloverObject, ListPage
from ..operation import Calls, operation
from ..spec import Ref, Spec, drop_none, object_id, optional_cents, optional_id

__all__ = [
    "Order",
    "Orders",
    "shipping",
    "sku",
    "tax",
    "tax_rate",
]

RATE_PER_PERCENT = 100_000  # 10% is 1000000


class Order(CloverObject):
    """An order; ``amount`` is its total in cents, tax and shipping included."""


def tax_rate(name: str, percent: str | int | Decimal) -> dict[str, Any]:
    """A tax rate as Clover writes it: ``tax_rate("Sales tax", "8.25")`` is rate 825000.

    Give the percentage as a string or a Decimal ("8.25"), never a float, so it is exact.
    """
    if isinstance(percent, float):
        raise TypeError(
            f"give the percentage as a string such as '8.25', not the float {percent!r}"
        )
    rate = Decimal(percent) * RATE_PER_PERCENT
    if rate != rate.to_integral_value():
        raise ValueError(f"{percent}% is finer than Clover's rates (1/100000 of a percent)")
    return {"name": name, "rate": int(rate)}


def sku(
    description: str,
    amount: int,
    quantity: int = 1,
    *,
    tax_rates: Iterable[Mapping[str, Any]] = (),
    parent: str | None = None,
) -> dict[str, Any]:
    """A product line: ``amount`` is the unit price in cents."""
    item: dict[str, Any] = {
        "type": "sku",
        "description": description,
        "amount": amount,
        "quantity": quantity,
    }
    if tax_rates:
        item["tax_rates"] = [dict(rate) for rate in tax_rates]
    if parent is not None:
        item["parent"] = parent
    return item


def shipping(
    description: str, amount: int, *, tax_rates: Iterable[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    """The shipping line; taxed only if it carries tax rates."""
    item: dict[str, Any] = {"type": "shipping", "description": description, "amount": amount}
    if tax_rates:
        item["tax_rates"] = [dict(rate) for rate in tax_rates]
    return item


def tax(description: str, amount: int) -> dict[str, Any]:
    """A tax line of a fixed amount in cents, added as it is."""
    return {"type": "tax", "description": description, "amount": amount}


def _url(calls: Calls, path: str = "") -> str:
    return f"{calls.environment.ecommerce_url}/v1/orders{path}"


class Orders(Calls):
    """The calls of ``/v1/orders``."""

    @operation
    def create_order(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        currency: str = "usd",
        email: str | None = None,
        customer: Ref | None = None,
        metadata: Mapping[str, Any] | None = None,
        shipping: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Spec[Order]:
        """``POST /v1/orders``: a cart of items; the answer carries the total ``amount``.

        Every item carries the order's currency, as Clover asks; ``shipping`` is ``{name,
        phone?, address: {line1, city, state, postal_code, country}}``
        (https://docs.clover.com/docs/ecommerce-accepting-payments).
        """
        optional = {"email": email, "metadata": metadata, "customer": optional_id(customer)}
        body: dict[str, Any] = {
            "currency": currency,
            "items": [{"currency": currency, **item} for item in items],
            **drop_none({**optional, "shipping": dict(shipping) if shipping else None}),
        }
        return Spec("POST", _url(self), body, idempotency_key=idempotency_key, read=Order)

    @operation
    def get_order(self, order: Ref) -> Spec[Order]:
        """``GET /v1/orders/{id}``."""
        return Spec("GET", _url(self, f"/{object_id(order)}"), read=Order)

    @operation
    def list_orders(
        self, limit: int | None = None, customer: str | None = None, status: str | None = None
    ) -> Spec[ListPage]:
        """``GET /v1/orders``: one page, newest first."""
        params = drop_none({"limit": limit, "customer": customer, "status": status})
        return Spec("GET", _url(self), params=params or None, read=ListPage.of(Order))

    @operation
    def pay_order(
        self,
        order: Ref,
        source: Ref | None = None,
        *,
        customer: Ref | None = None,
        amount: int | None = None,
        email: str | None = None,
        tip_amount: int | None = None,
        stored_credentials: Mapping[str, Any] | None = None,
        threeds: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        customer_ip: str | None = None,
    ) -> Spec[Order]:
        """``POST /v1/orders/{id}/pay`` with a token (``source``) or a saved ``customer``:
        all that is left to pay, or ``amount`` cents of it. Earlier payments then show under
        ``past_charges``; the order is ``paid`` once ``amount_paid`` reaches ``amount``.
        ``threeds`` (``clover_threeds(...)``) runs 3-D Secure as on a charge
        (https://docs.clover.com/dev/docs/add-3ds-to-pay-for-an-order); the shopper's IP
        goes in ``x-forwarded-for`` as on a charge."""
        optional_cents("amount", amount, example="")
        optional_cents("tip_amount", tip_amount, example="")
        body = {
            "source": optional_id(source),
            "customer": optional_id(customer),
            "amount": amount,
            "email": email,
            "tip_amount": tip_amount,
            "stored_credentials": dict(stored_credentials) if stored_credentials else None,
            "threeds": dict(threeds) if threeds else None,
        }
        return Spec(
            "POST",
            _url(self, f"/{object_id(order)}/pay"),
            drop_none(body),
            idempotency_key=idempotency_key,
            headers={"x-forwarded-for": customer_ip or self.customer_ip},
            read=Order,
        )

    @operation
    def return_order(
        self,
        order: Ref,
        items: Iterable[Mapping[str, Any]] | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Spec[Order]:
        """``POST /v1/orders/{id}/returns``: the whole order, or ``items``, each naming its
        ``parent``, ``amount`` and ``type`` (and ``quantity``), as Clover's refund page
        requires (https://docs.clover.com/docs/ecommerce-refunding-payments); the money
        goes back to the card."""
        body = {"items": [dict(item) for item in items]} if items is not None else {}
        return Spec(
            "POST",
            _url(self, f"/{object_id(order)}/returns"),
            body,
            idempotency_key=idempotency_key,
            read=Order,
        )
