"""Orders: a cart with tax and shipping, paid in one or more charges, returned item by item
(ref: postorders, postordersidpay, postordersidreturns).

Build the items with :func:`sku`, :func:`shipping` and :func:`tax`, and rates with
:func:`tax_rate` (Clover writes a rate as an integer: ``1000000`` is 10%). Clover computes
the total. :class:`OrdersAPI` is part of :class:`~helpers.CloverClient`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .client import CloverObject, ListPage

if TYPE_CHECKING:
    from .environments import Environment

__all__ = ["Order", "OrdersAPI", "shipping", "sku", "tax", "tax_rate"]

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


def _id(value: str | Mapping[str, Any]) -> str:
    return str(value["id"]) if isinstance(value, Mapping) else value


class OrdersAPI:
    """``/v1/orders``, for :class:`~helpers.CloverClient`."""

    if TYPE_CHECKING:
        environment: Environment
        customer_ip: str

        def _request(self, method: str, url: str, **options: Any) -> Any: ...

    def _orders(self, path: str = "") -> str:
        return f"{self.environment.ecommerce_url}/v1/orders{path}"

    def create_order(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        currency: str = "usd",
        email: str | None = None,
        customer: str | Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Order:
        """``POST /v1/orders``: a cart of items; the answer carries the total ``amount``."""
        body: dict[str, Any] = {
            "currency": currency,
            "items": [{"currency": currency, **item} for item in items],
        }
        for name, value in (
            ("email", email),
            ("metadata", metadata),
            ("customer", _id(customer) if customer is not None else None),
        ):
            if value is not None:
                body[name] = value
        return Order(
            self._request("POST", self._orders(), json_body=body, idempotency_key=idempotency_key)
        )

    def get_order(self, order: str | Mapping[str, Any]) -> Order:
        """``GET /v1/orders/{id}``."""
        return Order(self._request("GET", self._orders(f"/{_id(order)}")))

    def list_orders(
        self, limit: int | None = None, customer: str | None = None, status: str | None = None
    ) -> ListPage:
        """``GET /v1/orders``: one page, newest first."""
        params = {"limit": limit, "customer": customer, "status": status}
        body = self._request("GET", self._orders(), params=params)
        page = ListPage(body)
        page["data"] = [Order(item) for item in body.get("data") or []]
        return page

    def pay_order(
        self,
        order: str | Mapping[str, Any],
        source: str | Mapping[str, Any] | None = None,
        *,
        customer: str | Mapping[str, Any] | None = None,
        amount: int | None = None,
        email: str | None = None,
        tip_amount: int | None = None,
        stored_credentials: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        customer_ip: str | None = None,
    ) -> Order:
        """``POST /v1/orders/{id}/pay`` with a token (``source``) or a saved ``customer``:
        all that is left to pay, or ``amount`` cents of it. Earlier payments then show under
        ``past_charges``; the order is ``paid`` once ``amount_paid`` reaches ``amount``."""
        for name, value in (("amount", amount), ("tip_amount", tip_amount)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise TypeError(f"{name} is an int number of cents, not {value!r}")
        body = {
            "source": _id(source) if source is not None else None,
            "customer": _id(customer) if customer is not None else None,
            "amount": amount,
            "email": email,
            "tip_amount": tip_amount,
            "stored_credentials": dict(stored_credentials) if stored_credentials else None,
        }
        return Order(
            self._request(
                "POST",
                self._orders(f"/{_id(order)}/pay"),
                json_body={k: v for k, v in body.items() if v is not None},
                idempotency_key=idempotency_key,
                headers={"x-forwarded-for": customer_ip or self.customer_ip},
            )
        )

    def return_order(
        self,
        order: str | Mapping[str, Any],
        items: Iterable[Mapping[str, Any]] | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Order:
        """``POST /v1/orders/{id}/returns``: the whole order, or ``items`` such as
        ``[{"parent": sku_item.parent, "quantity": 1}]``; the money goes back to the card."""
        body = {"items": [dict(item) for item in items]} if items is not None else {}
        return Order(
            self._request(
                "POST",
                self._orders(f"/{_id(order)}/returns"),
                json_body=body,
                idempotency_key=idempotency_key,
            )
        )
