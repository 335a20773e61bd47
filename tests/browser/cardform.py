"""Typing into the hosted card fields, whichever page mounts them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

VISA = ("4242424242424242", "12/30", "123", "10001")


def field(page: Any, element: str) -> Any:
    """The input inside the card iframe of one element type (CARD_NUMBER, ...)."""
    return page.frame_locator(f'iframe[data-clover-element="{element}"]').locator("input")


def fill_card(page: Any, number: str, expiry: str, cvv: str, postal: str | None = None) -> None:
    field(page, "CARD_NUMBER").fill(number)
    field(page, "CARD_DATE").fill(expiry)
    field(page, "CARD_CVV").fill(cvv)
    if postal is not None:
        field(page, "CARD_POSTAL_CODE").fill(postal)


def merchant_page_url(site_url: str, sdk_url: str, merchant: dict[str, str], **extra: str) -> str:
    """The cross-origin merchant test page, told where sdk.js lives and whose key to use."""
    query = {
        "sdk": sdk_url,
        "key": merchant["api_access_key"],
        "mid": merchant["merchant_id"],
        **extra,
    }
    return f"{site_url}/pages/merchant.html?{urlencode(query)}"


def bearer(merchant: dict[str, str]) -> dict[str, str]:
    return {"authorization": f"Bearer {merchant['private_key']}"}
