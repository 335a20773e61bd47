"""Notebook widgets: the browser half of the iframe + API flow."""

from .checkout import CheckoutWidget, Token, mask_token

__all__ = ["CheckoutWidget", "Token", "mask_token"]
