"""3-D Secure: the `threeds` object of a charge, and the issuer's challenge page."""
