"""Cards on file: customers, their saved cards, and multi-pay tokens (docs: ecommerce-saving-card).

A ``clv_`` token is single use; saving it to a customer makes it a **multi-pay** token, so
the customer's card can be charged again later, by the customer id (the card saved last)
or by that token with ``stored_credentials``. Clover asks for the customer's consent
before a card is saved. :class:`CustomersAPI` is part of :class:`~helpers.CloverClient`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from .cards import Card
from .client import CloverObject, Token

if TYPE_CHECKING:
    from .environments import Environment

__all__ = ["Customer", "CustomersAPI", "DeletedCard", "stored_credentials"]


class Customer(CloverObject):
    """A card-on-file customer; ``sources.data`` lists the ids of the cards saved."""


class DeletedCard(CloverObject):
    """The answer to revoking a card: ``{"deleted": true, "id", "object": "deletedcard"}``."""


def stored_credentials(
    sequence: Literal["FIRST", "SUBSEQUENT"],
    initiator: Literal["CARDHOLDER", "MERCHANT"],
    *,
    is_scheduled: bool = False,
) -> dict[str, Any]:
    """The ``stored_credentials`` of a charge on a saved card: which use of the card this
    is (the ``FIRST`` or a ``SUBSEQUENT`` one), who started it (the shopper at checkout, or
    the merchant, as for a subscription), and whether it follows a schedule."""
    return {"sequence": sequence, "is_scheduled": is_scheduled, "initiator": initiator}


def _id(value: str | Mapping[str, Any]) -> str:
    return str(value["id"]) if isinstance(value, Mapping) else value


class CustomersAPI:
    """``/v1/customers`` and multi-pay tokens, for :class:`~helpers.CloverClient`."""

    if TYPE_CHECKING:
        environment: Environment

        def _request(self, method: str, url: str, **options: Any) -> Any: ...
        def create_token(
            self, card: Card | Mapping[str, Any], *, idempotency_key: str | None = None
        ) -> Token: ...

    def create_multipay_token(
        self, card: Card | Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Token:
        """``POST /v1/tokens`` with ``"multipay": true``: a token that may be charged more
        than once, as a stored credential (what ``clover.createToken(true)`` asks for in the
        browser). The flag's name is the local sandbox's; on Clover, save the card to a
        customer instead, which makes its token multi-pay."""
        wire = card.to_wire() if isinstance(card, Card) else dict(card.get("card", card))
        return self.create_token({"card": wire, "multipay": True}, idempotency_key=idempotency_key)

    def create_customer(
        self,
        source: str | Mapping[str, Any],
        *,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        name: str | None = None,
        phone: str | None = None,
        shipping: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Customer:
        """``POST /v1/customers``: save the card behind ``source`` (a ``clv_`` token) for a
        new customer. The token becomes multi-pay; ``sources.data`` names the saved card."""
        body = {
            "source": _id(source),
            "email": email,
            "firstName": first_name,
            "lastName": last_name,
            "name": name,
            "phone": phone,
            "shipping": dict(shipping) if shipping is not None else None,
        }
        return Customer(
            self._request(
                "POST",
                f"{self.environment.ecommerce_url}/v1/customers",
                json_body={k: v for k, v in body.items() if v is not None},
                idempotency_key=idempotency_key,
            )
        )

    def get_customer(self, customer: str | Mapping[str, Any]) -> Customer:
        """``GET /v1/customers/{id}``."""
        return Customer(
            self._request("GET", f"{self.environment.ecommerce_url}/v1/customers/{_id(customer)}")
        )

    def update_customer(
        self,
        customer: str | Mapping[str, Any],
        *,
        source: str | Mapping[str, Any] | None = None,
        **details: Any,
    ) -> Customer:
        """``PUT /v1/customers/{id}``: change details (``email``, ``phone``...) and, with
        ``source``, save another card; charges by customer id then use that card. Saving
        a card the customer already has answers 409."""
        body = {**details, "source": _id(source) if source is not None else None}
        return Customer(
            self._request(
                "PUT",
                f"{self.environment.ecommerce_url}/v1/customers/{_id(customer)}",
                json_body={k: v for k, v in body.items() if v is not None},
            )
        )

    def revoke_card(self, customer: str | Mapping[str, Any], card_id: str) -> DeletedCard:
        """``DELETE /v1/customers/{id}/sources/{card}``: forget a saved card. Its multi-pay
        token stops working too; the customer must give their card again."""
        return DeletedCard(
            self._request(
                "DELETE",
                f"{self.environment.ecommerce_url}/v1/customers/{_id(customer)}/sources/{card_id}",
            )
        )
