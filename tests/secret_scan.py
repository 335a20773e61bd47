"""Finds card data and secrets in text: full card numbers, CVVs, tokens, keys.

Used by the tests over committed notebooks, the rendered journal and the sandbox's
database. A finding names the kind and the last four characters only, so a failing test
does not print the secret it found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Digits inside a longer word (a widget's hex model id, say) are not a card number.
DIGIT_RUN = re.compile(r"(?<![\w*•])\d(?:[ -]?\d){12,18}(?![\w*•])")
PATTERNS = {
    "CVV": re.compile(r"(?i)\b(cvv|cvc)\b[\"']?\s*[:=]\s*[\"']?\d{3,4}\b"),
    "Bearer token": re.compile(r"(?i)bearer\s+(?!•)[A-Za-z0-9._~+/-]{8,}"),
    "clv_ token": re.compile(r"clv_[A-Za-z0-9]{8,}"),
    "secret value": re.compile(
        r"(?i)(client_secret|app_secret|private_key|access_token|refresh_token|code_verifier)"
        r"[\"']?\s*[:=]\s*[\"']?(?![•\"'])[A-Za-z0-9._-]{8,}"
    ),
    "PEM private key": re.compile(r"-----BEGIN (?:RSA |EC )?PRIVATE KEY-----"),
}


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def findings(text: str, known_secrets: Iterable[str] = ()) -> list[str]:
    """Every leak in `text`, described without repeating it."""
    found = []
    for match in DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        # card numbers start with 2-6 (ISO/IEC 7812); Unix times in ms start with 1
        if digits[0] in "23456" and luhn_valid(digits):
            found.append(f"card number ending {digits[-4:]}")
    for kind, pattern in PATTERNS.items():
        found += [f"{kind} ending {m.group()[-4:]}" for m in pattern.finditer(text)]
    found += [f"known secret ending {s[-4:]}" for s in known_secrets if s and s in text]
    return found
