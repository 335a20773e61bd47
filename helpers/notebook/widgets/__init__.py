"""Notebook widgets: Clover's card iframes (iframe + API flow) and the app's own card form
(API-only flow)."""

from .card_form import CardForm
from .checkout import CheckoutWidget, TokenId, mask_token

__all__ = ["CardForm", "CheckoutWidget", "TokenId", "mask_token"]
