"""Clover Gift Cards: tokens, balance inquiry, redemption, reload, cashout."""
