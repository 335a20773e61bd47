"""Hosted Checkout: Clover's own payment page for a cart your server describes
(docs: creating-a-hosted-checkout-session).

Your server creates a session; the shopper's browser opens its ``href``, pays on Clover's
page and comes back to your success, failure or cancel URL; the result reaches your server
as a signed webhook (see :mod:`helpers.clover.webhooks`). Card data never touches your site.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from ..objects import CloverObject
from ..operation import Calls, operation
from ..spec import Spec, cents
from ..times import clover_time

__all__ = [
    "CheckoutSession",
    "HostedCheckout",
    "checkout_customer",
    "line_item",
]

CHECKOUTS_PATH = "/invoicingcheckoutservice/v1/checkouts"


class CheckoutSession(CloverObject):
    """``href`` (the page to send the shopper to), ``checkoutSessionId``, and the
    ``createdTime`` and ``expirationTime`` (sessions last 15 minutes). The page calls those
    "Unix time"; captured answers carry strings such as ``2025-07-04T23:42:25.575+0000``:
    :attr:`created` and :attr:`expires` read either."""

    @property
    def created(self) -> datetime:
        """``createdTime`` as a UTC datetime, whichever form Clover wrote it in."""
        return clover_time(self["createdTime"])

    @property
    def expires(self) -> datetime:
        """``expirationTime`` as a UTC datetime: after it the page no longer takes payment."""
        return clover_time(self["expirationTime"])


def line_item(name: str, price: int, unit_qty: int = 1, note: str | None = None) -> dict[str, Any]:
    """One line of the shopping cart; ``price`` is the unit price in cents."""
    cents("price", price, example="450 for $4.50")
    item: dict[str, Any] = {"name": name, "price": price, "unitQty": unit_qty}
    if note is not None:
        item["note"] = note
    return item


def checkout_customer(
    first_name: str, last_name: str, email: str, phone_number: str
) -> dict[str, str]:
    """The shopper, as a session must name them: Clover's page lists ``firstName``,
    ``lastName``, ``email`` and ``phoneNumber`` as required
    (https://docs.clover.com/docs/creating-a-hosted-checkout-session)."""
    customer = {
        "firstName": first_name,
        "lastName": last_name,
        "email": email,
        "phoneNumber": phone_number,
    }
    for name, value in customer.items():
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"Hosted Checkout needs the shopper's {name}: got {value!r}.")
    return customer


class HostedCheckout(Calls):
    """The Hosted Checkout call, and where the shopper's browser opens its page."""

    @operation
    def create_checkout_session(
        self,
        line_items: Iterable[Mapping[str, Any]],
        *,
        customer: Mapping[str, Any],
        success_url: str | None = None,
        failure_url: str | None = None,
        cancel_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> Spec[CheckoutSession]:
        """``POST /invoicingcheckoutservice/v1/checkouts``: a Hosted Checkout session for
        the cart; send the shopper to its ``href``. ``customer`` (``checkout_customer(first,
        last, email, phone)``) is required: Clover needs the shopper's firstName, lastName,
        email and phoneNumber; the merchant goes in ``X-Clover-Merchant-Id``
        (https://docs.clover.com/docs/creating-a-hosted-checkout-session)."""
        if not self.merchant_id:
            raise ValueError(
                "Hosted Checkout needs the merchant id (X-Clover-Merchant-Id): "
                "create the client with merchant_id=..."
            )
        redirects = {"success": success_url, "failure": failure_url, "cancel": cancel_url}
        body: dict[str, Any] = {
            "customer": dict(customer),
            "shoppingCart": {"lineItems": [dict(i) for i in line_items]},
        }
        if any(redirects.values()):
            body["redirectUrls"] = {k: v for k, v in redirects.items() if v}
        return Spec(
            "POST",
            f"{self.environment.hosted_checkout_url}{CHECKOUTS_PATH}",
            body,
            idempotency_key=idempotency_key,
            headers={"X-Clover-Merchant-Id": self.merchant_id},
            read=CheckoutSession,
        )

    def checkout_page_url(self, session: Mapping[str, Any] | CloverObject) -> str:
        """The session's ``href`` as the shopper's browser must open it: the same, except
        for a local sandbox that the browser reaches at another address (a proxy path)."""
        href = str(session["href"])
        env = self.environment
        base = env.hosted_checkout_url
        if env.is_local and href.startswith(base + "/"):
            return env.browser_url + href[len(base) :]
        return href
