"""What the shop sells, priced on the server.

Prices live here and only here: the pages send a product's ``sku`` and a quantity, never an
amount, so a shopper who edits the page cannot change what they pay.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATALOG", "CURRENCY", "Product", "format_money", "parse_money", "product"]

CURRENCY = "usd"
"""Clover takes lowercase ISO currency codes on charges."""


@dataclass(frozen=True)
class Product:
    """One thing for sale; ``price`` is int cents, as Clover's ``amount`` is."""

    sku: str
    name: str
    description: str
    price: int


CATALOG: dict[str, Product] = {
    item.sku: item
    for item in (
        Product("MUG-01", "Clover mug", "A stoneware mug, 350 ml.", 1200),
        Product("TEE-01", "Sandbox T-shirt", "Cotton, printed with a four-leaf clover.", 2500),
        Product("STK-01", "Sticker pack", "Five vinyl stickers.", 450),
    )
}


def product(sku: str) -> Product:
    """The product with this ``sku``; KeyError with a clear message if there is none."""
    try:
        return CATALOG[sku]
    except KeyError:
        raise KeyError(f"no product with sku {sku!r} in the catalog") from None


def format_money(cents: int, currency: str = CURRENCY) -> str:
    """Display form only: ``1200`` -> ``$12.00``. Code keeps int cents."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    symbol = "$" if currency == "usd" else f"{currency.upper()} "
    return f"{sign}{symbol}{whole:,}.{part:02d}"


def parse_money(text: str) -> int:
    """``"12.34"`` or ``"12"`` -> ``1234`` cents; ValueError with a clear message otherwise."""
    from decimal import Decimal, InvalidOperation

    cleaned = text.strip().lstrip("$").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount; write it like 12.34") from None
    cents = value * 100
    if cents != cents.to_integral_value() or cents <= 0:
        raise ValueError(f"{text!r} must be a positive amount with at most two decimals")
    return int(cents)
