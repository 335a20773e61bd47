"""Why a charge is declined, and how each decline reads on the wire.

Clover answers a decline with HTTP 402 and `card_error` (docs: ecommerce-error-codes,
https://docs.clover.com/docs/ecommerce-error-codes). Its documented decline cards all
decline the same way (`card_declined`, kept as it was). The local sandbox's own decline
cards (`card_rules.LOCAL_DECLINES`) each give one reason a shop must handle. Where Clover
documents a code for the reason (`expired_card`, `incorrect_cvc`, `processing_error`), the
answer uses it; otherwise `card_declined` with the reason in `declineCode`/`decline_code`
(LOCAL CHOICE: Clover documents the field, not these values). The charge is stored as a
failed one either way, and the answer names it in `error.charge`.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.sandbox.core.errors import ApiError


@dataclass(frozen=True)
class Decline:
    """One reason: the error code, the decline code and what the shopper may be told."""

    code: str
    decline_code: str
    message: str
    cvc_check: str = "pass"
    address_check: str | None = None
    network_status: str = "declined_by_network"


ISSUER_DECLINED = Decline("card_declined", "issuer_declined", "The card was declined.")
PARTIAL = Decline(
    "card_declined",
    "issuer_declined",
    "The card was declined: only part of the amount was approved, and the Ecommerce API "
    "does not take partial authorizations.",
)
AUTHENTICATION_FAILED = Decline(
    "card_declined",
    "authentication_failed",
    "The card was declined: the shopper did not pass 3-D Secure authentication. Ask for "
    "another card, or let them try again with a new token.",
    network_status="not_sent_to_network",
)
REASONS: dict[str, Decline] = {
    "insufficient_funds": Decline(
        "card_declined",
        "insufficient_funds",
        "The card was declined: insufficient funds. Ask for another card.",
    ),
    "expired_card": Decline(
        "expired_card",
        "expired_card",
        "The card was declined: the issuer reports it expired. Ask for another card.",
    ),
    "cvv_mismatch": Decline(
        "incorrect_cvc",
        "cvv_mismatch",
        "The card was declined: the security code does not match the card. Ask the "
        "shopper to check it and try again with a new token.",
        cvc_check="fail",
    ),
    "avs_mismatch": Decline(
        "card_declined",
        "avs_mismatch",
        "The card was declined: the billing address does not match the card. Ask the "
        "shopper to check it and try again with a new token.",
        address_check="fail",
    ),
    "suspected_fraud": Decline(
        "card_declined",
        "suspected_fraud",
        "The card was declined. (Suspected fraud: do not tell the shopper more.)",
    ),
    "processor_unavailable": Decline(
        "processing_error",
        "processor_unavailable",
        "The card network could not be reached; nothing was charged. Try again in a few "
        "minutes with a new token.",
        network_status="not_sent_to_network",
    ),
}


def of(outcome: str) -> Decline | None:
    """The decline a token's stored outcome leads to, or None when it is approved."""
    if outcome == "decline":
        return ISSUER_DECLINED
    if outcome == "partial":
        return PARTIAL
    if outcome.startswith("decline:"):
        return REASONS[outcome.removeprefix("decline:")]
    return None


def error(decline: Decline, charge_id: str) -> ApiError:
    """HTTP 402: the charge exists, as a failed one (`charge` names it)."""
    return ApiError(
        402,
        "card_error",
        decline.code,
        decline.message,
        charge=charge_id,
        declineCode=decline.decline_code,
        decline_code=decline.decline_code,
    )
