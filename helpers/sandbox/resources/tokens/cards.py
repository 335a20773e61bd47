"""What the sandbox knows about card numbers: Luhn, brand by prefix, and test-card outcomes.

Only the outcome and the first six and last four digits are kept with a token; the full
number is dropped as soon as the token exists.
"""

from __future__ import annotations

BRANDS = ("VISA", "MC", "AMEX", "DISCOVER", "DINERS_CLUB", "JCB")

# Clover's documented test cards (docs: test-card-numbers). Any other Luhn-valid number
# of a known brand is approved.
DECLINE = frozenset({"4005571702222222", "375987654000004", "5424180273333333", "4264281511117771"})
PARTIAL_APPROVAL = frozenset({"4005578003333335"})
AVS_MATCH = frozenset(
    {"4761530001111126", "5204245250003294", "375186917371340", "6011000050617475"}
)


def luhn_valid(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def brand_of(number: str) -> str | None:
    """The brand a number's prefix names, in Clover's spelling."""
    two, three, four, six = int(number[:2]), int(number[:3]), int(number[:4]), int(number[:6])
    if number.startswith("4"):
        return "VISA"
    if 51 <= two <= 55 or 222100 <= six <= 272099:
        return "MC"
    if two in (34, 37):
        return "AMEX"
    if four == 6011 or two == 65 or 644 <= three <= 649:
        return "DISCOVER"
    if 300 <= three <= 305 or two in (36, 38, 39) or four == 3095:
        return "DINERS_CLUB"
    if 3528 <= four <= 3589:
        return "JCB"
    return None


def outcome_of(number: str) -> str:
    """`approve`, `approve_avs`, `decline` or `partial` (declined: no partial auths here)."""
    if number in DECLINE:
        return "decline"
    if number in PARTIAL_APPROVAL:
        return "partial"
    if number in AVS_MATCH:
        return "approve_avs"
    return "approve"


def cvv_length(brand: str) -> int:
    return 4 if brand == "AMEX" else 3
