"""Masking card data, tokens and secrets, in one place for both wings.

The client's journal (and its ``curl`` lines) and the local sandbox's request log show
every request and answer; neither may show a full card number, a CVV, a token, a key or a
secret. A stdlib-only leaf beside :mod:`helpers.card_rules`, so the sandbox may use it
without knowing the client.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from .card_rules import brand_of, digits_of, is_plausible

__all__ = [
    "HIDDEN",
    "mask_headers",
    "mask_last4",
    "mask_pan",
    "mask_payload",
    "mask_request",
    "mask_text",
    "mask_url",
]


def mask_pan(number: str | int) -> str:
    """``424242******4242``: first six and last four, as receipts and Clover's answers show."""
    digits = digits_of(number)
    if len(digits) >= 13:
        return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
    if len(digits) > 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * max(len(digits), 4)


def mask_last4(value: str | int | None) -> str:
    """``••••4242``: only the last four characters of a number, key or token survive."""
    text = "" if value is None else str(value)
    return "••••" + (text[-4:] if len(text) > 4 else "")


HIDDEN = "•••"


def _normal(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


_HIDE_KEYS = frozenset(
    {
        "cvv",
        "cvc",
        "cvv2",
        "cvc2",
        "securitycode",
        "encryptedpan",
        "securitycardvalue",  # a gift card's SCV, in /v1/activate's answer (gift-card-api)
        "foreignaccesscode",  # a non-Fiserv gift card's access code (create-a-gift-card-token)
    }
)
_LAST4_KEYS = frozenset(
    {
        "accesstoken",
        "refreshtoken",
        "clientsecret",
        "codeverifier",
        "appsecret",
        "privatekey",
        "apiaccesskey",
        "apikey",
        "secret",
        "password",
        "bankaccountnumber",  # ACH (create-an-ach-token): 10 to 12 digits, below the PAN scan
    }
)
_PAN_KEYS = frozenset({"number", "cardnumber", "pan"})

_TOKEN_ID = re.compile(r"clv_[A-Za-z0-9]+")
_OAUTH_CODE = re.compile(r"(?<=[?&]code=)[^&#\s\"']+")
_DIGIT_RUN = re.compile(r"(?<!\d)\d{13,19}(?!\d)")


def _mask_token_id(match: re.Match[str]) -> str:
    return "clv_••••" + match.group(0)[-4:]


def _mask_digit_run(match: re.Match[str]) -> str:
    run = match.group(0)
    if brand_of(run) is not None and is_plausible(run):
        return mask_pan(run)
    return run


def mask_text(text: str) -> str:
    """Mask ``clv_`` token ids, OAuth codes in URLs (``?code=``) and anything shaped like a
    real card number in free text."""
    if len(text) < 13 and "clv_" not in text and "code=" not in text:
        return text  # too short for a card number, and no token or code: most values
    text = _OAUTH_CODE.sub(lambda match: mask_last4(match.group(0)), text)
    return _DIGIT_RUN.sub(_mask_digit_run, _TOKEN_ID.sub(_mask_token_id, text))


_HIDE, _LAST4, _PAN = 1, 2, 3


@lru_cache(maxsize=1024)
def _rule_of(key: str) -> int:
    """What a key's value gets, decided once per key spelling (the sandbox masks every
    request it logs, so this is on each request's path; issue 27)."""
    normal = _normal(key)
    if normal in _HIDE_KEYS:
        return _HIDE
    if normal in _LAST4_KEYS:
        return _LAST4
    return _PAN if normal in _PAN_KEYS else 0


def _mask_value(key: str, value: Any) -> Any:
    rule = _rule_of(key)
    if rule == 0 or value is None:
        return mask_payload(value)
    if rule == _HIDE:
        return HIDDEN
    if isinstance(value, str | int) and not (rule == _PAN and isinstance(value, bool)):
        return mask_last4(value) if rule == _LAST4 else mask_pan(value)
    return mask_payload(value)


def mask_payload(value: Any) -> Any:
    """A copy of a JSON value with card data, tokens and secrets masked, at any depth.

    A Clover object (anything with ``to_dict``) is masked as its wire JSON."""
    kind = type(value)
    if kind is str:
        return mask_text(value)
    if kind is dict:
        return {key: _mask_value(str(key), item) for key, item in value.items()}
    if kind is int or kind is float or kind is bool or value is None:
        return value
    if callable(getattr(value, "to_dict", None)):
        value = value.to_dict()
    if isinstance(value, Mapping):
        return {key: _mask_value(str(key), item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_payload(item) for item in value]
    if isinstance(value, str):
        return mask_text(value)
    return value


def mask_request(body: Any) -> Any:
    """A request body, masked; there a top-level ``code`` is an OAuth authorization code
    (in answers, ``code`` is Clover's error code and stays readable)."""
    if isinstance(body, Mapping) and isinstance(body.get("code"), str):
        body = {**body, "code": mask_last4(body["code"])}
    return mask_payload(body)


def mask_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """Request or response headers with the Bearer token and the ``apikey`` masked."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    masked: dict[str, str] = {}
    for name, value in pairs:
        normal = _normal(name)
        if normal == "authorization":
            scheme, _, credential = value.partition(" ")
            if credential:
                masked[name] = f"{scheme} {mask_last4(credential.strip())}"
            else:
                masked[name] = mask_last4(value)
        elif normal in _LAST4_KEYS:
            masked[name] = mask_last4(value)
        else:
            masked[name] = mask_text(value)
    return masked


def mask_url(url: str) -> str:
    """A URL with secret query parameters and ``clv_`` token ids masked."""
    parts = urlsplit(url)
    if parts.query:
        segments = []
        for segment in parts.query.split("&"):
            raw_key, sep, raw_value = segment.partition("=")
            key = unquote_plus(raw_key)
            masked = _mask_value(key, unquote_plus(raw_value)) if sep else None
            if isinstance(masked, str) and masked != unquote_plus(raw_value):
                segment = f"{raw_key}={masked}"
            segments.append(segment)
        parts = parts._replace(query="&".join(segments))
    return mask_text(urlunsplit(parts))
