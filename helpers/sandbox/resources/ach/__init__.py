"""ACH bank payments through TeleCheck: tokens, consent, settlement or return."""
