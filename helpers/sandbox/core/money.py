"""Money limits every resource shares: amounts are whole cents of the charge's currency.

`MAX_AMOUNT` is the largest amount a charge takes (over it: `amount_too_large`), and so
the most an order's items, a checkout's cart, a plan's price, a wallet total or a gift
card's balance may come to: one limit, checked alike everywhere an amount arrives.
"""

from __future__ import annotations

MAX_AMOUNT = 99_999_999  # $999,999.99
