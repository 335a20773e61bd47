"""Clover Gift Cards: tokens, activation, balance inquiry, redemption and multi-lock,
reload, cashout, and their voids (docs: gift-card-api)."""
