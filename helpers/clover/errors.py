"""Errors Clover answers with, as Python exceptions.

    CloverError                 root: status, code, message, param, decline_code, body
    ├── AuthenticationError     401/403, type authentication_error
    ├── CardError               402, type card_error (declines, bad card data)
    │   ├── InsufficientFundsError    decline_code insufficient_funds
    │   ├── ExpiredCardError          code expired_card
    │   ├── IncorrectCVCError         code incorrect_cvc (the CVV does not match)
    │   ├── AVSMismatchError          decline_code avs_mismatch
    │   ├── FraudSuspectedError       decline_code suspected_fraud
    │   └── ProcessorUnavailableError code processing_error (nothing charged; try later)
    ├── InvalidRequestError     400/404/409, type invalid_request_error
    ├── IdempotencyError        type idempotency_error (a key reused with another body)
    ├── RateLimitError          429, type rate_limit_error; carries retry_after
    ├── APIError                5xx, type api_error
    └── APIConnectionError      no answer at all (network failure, timeout)
        └── CannotConnectError  no connection at all: nothing listens there (nothing sent)

Clover wraps an error as ``{"message": "400 Bad Request", "error": {"type", "code",
"message", "param"?, "charge"?, "declineCode"?, "decline_code"?}}``; a bare 401 is only
``{"message": "401 Unauthorized"}``. The class follows ``error.type`` when Clover sends one
and the HTTP status otherwise. Code that reacts to an error should read ``err.code``
(``card_declined``, ``token_already_used``...): Clover's codes are finer than its statuses.
A decline (402) with a known ``code`` or ``decline_code`` gets the subclass of ``CardError``
for that reason; card data the tokenizer refuses (400) stays a plain ``CardError``, since
the shopper fixes what they typed. Each card error carries ``shopper_message``: what a shop may show
(Clover's "Message to buyer" column, docs: ecommerce-error-codes,
https://docs.clover.com/docs/ecommerce-error-codes).
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "AVSMismatchError",
    "AuthenticationError",
    "CannotConnectError",
    "CardError",
    "CloverError",
    "ExpiredCardError",
    "FraudSuspectedError",
    "IdempotencyError",
    "IncorrectCVCError",
    "InsufficientFundsError",
    "InvalidRequestError",
    "ProcessorUnavailableError",
    "RateLimitError",
    "error_from_response",
]


class CloverError(Exception):
    """Any failed call to Clover; read ``status``, ``code`` and ``message`` first."""

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        charge: str | None = None,
        type: str | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.charge = charge
        self.type = type
        self.body = body
        self.headers: dict[str, str] = dict(headers or {})
        self.idempotency_key = idempotency_key
        """The key the failed POST carried: resend with it and Clover will not act twice."""

    def __str__(self) -> str:
        head = str(self.status) if self.status is not None else ""
        if self.code:
            head = f"{head} {self.code}".strip()
        message = self.message or ""
        if not self.code and head and message.startswith(head):
            text = message
        elif head and message:
            text = f"{head}: {message}"
        else:
            text = head or message or type(self).__name__
        details = [
            f"{name}={value}"
            for name, value in (("decline_code", self.decline_code), ("param", self.param))
            if value
        ]
        if details:
            text += f" ({', '.join(details)})"
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class AuthenticationError(CloverError):
    """The Bearer token or the ``apikey`` is missing, wrong, expired or not allowed."""


class CardError(CloverError):
    """The card was declined or its data is wrong; ``decline_code`` says why when known."""

    shopper_message = "Transaction declined, please use a different card."
    """What the shop may show the shopper (log the rest: code, decline_code, charge)."""


class InsufficientFundsError(CardError):
    """Not enough money or credit on the card: another card, or a smaller amount."""

    shopper_message = "Your card was declined for insufficient funds. Please use another card."


class ExpiredCardError(CardError):
    """The card has expired (as typed, or as the issuer knows it)."""

    shopper_message = "Card expired, enter valid card number and retry."


class IncorrectCVCError(CardError):
    """The security code does not match the card: let the shopper retype it."""

    shopper_message = "CVV value is incorrect, enter correct CVV value and retry."


class AVSMismatchError(CardError):
    """The billing address does not match the card's: let the shopper check it."""

    shopper_message = "The billing address does not match your card. Please check it."


class FraudSuspectedError(CardError):
    """The issuer suspects fraud: show a plain decline, never the reason."""


class ProcessorUnavailableError(CardError):
    """The card network could not be reached; nothing was charged: retry later."""

    shopper_message = "We could not reach the card network. Please try again in a few minutes."


class InvalidRequestError(CloverError):
    """The request itself is wrong: a missing field, an unknown id, a state conflict."""


class IdempotencyError(CloverError):
    """An idempotency key was reused with a different request body."""


class RateLimitError(CloverError):
    """Too many requests; wait ``retry_after`` seconds (when Clover says) and try again."""

    def __init__(
        self, message: str | None = None, *, retry_after: float | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class APIError(CloverError):
    """Clover failed on its side (5xx); the action may or may not have happened."""


class APIConnectionError(CloverError):
    """No answer reached us; the request may or may not have arrived at Clover."""


class CannotConnectError(APIConnectionError):
    """Not even a connection: nothing listens at ``url`` (refused, unknown host), so
    nothing was sent. Its message names the address and the fix, in one short line; the
    transport's own exception is left out of the traceback (``reason`` keeps its text)."""

    def __init__(self, message: str, *, url: str, reason: str, **kwargs: Any) -> None:
        kwargs.setdefault("type", "api_connection_error")
        super().__init__(message, **kwargs)
        self.url = url
        self.reason = reason


_BY_TYPE: dict[str, type[CloverError]] = {
    "authentication_error": AuthenticationError,
    "card_error": CardError,
    "invalid_request_error": InvalidRequestError,
    "idempotency_error": IdempotencyError,
    "rate_limit_error": RateLimitError,
    "api_error": APIError,
    "api_connection_error": APIConnectionError,
}


_CARD_ERRORS_BY_DECLINE: dict[str, type[CardError]] = {
    "insufficient_funds": InsufficientFundsError,
    "expired_card": ExpiredCardError,
    "cvv_mismatch": IncorrectCVCError,
    "avs_mismatch": AVSMismatchError,
    "suspected_fraud": FraudSuspectedError,
    "processor_unavailable": ProcessorUnavailableError,
}
_CARD_ERRORS_BY_CODE: dict[str, type[CardError]] = {
    "expired_card": ExpiredCardError,
    "incorrect_cvc": IncorrectCVCError,
    "processing_error": ProcessorUnavailableError,
}


def _card_error_class(code: Any, decline_code: Any) -> type[CardError]:
    """The CardError subclass for a decline's reason: decline_code first, then code."""
    for table, key in ((_CARD_ERRORS_BY_DECLINE, decline_code), (_CARD_ERRORS_BY_CODE, code)):
        if isinstance(key, str) and key in table:
            return table[key]
    return CardError


def _class_for_status(status: int) -> type[CloverError]:
    if status in (401, 403):
        return AuthenticationError
    if status == 402:
        return CardError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return APIError
    if 400 <= status < 500:
        return InvalidRequestError
    return CloverError


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header; None when absent or not a number."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def error_from_response(
    status: int,
    body: Any,
    headers: Mapping[str, str] | None = None,
    *,
    idempotency_key: str | None = None,
) -> CloverError:
    """Build the exception that matches a non-2xx answer from Clover.

    ``body`` is the parsed JSON (a dict) or the raw text when the answer was not JSON.
    """
    error: Mapping[str, Any] = {}
    top_message: str | None = None
    if isinstance(body, Mapping):
        nested = body.get("error")
        if isinstance(nested, Mapping):
            error = nested
        elif isinstance(nested, str):
            top_message = nested
        if isinstance(body.get("message"), str):
            top_message = top_message or body["message"]
    elif isinstance(body, str) and body.strip():
        top_message = body.strip()[:200]

    error_type = error.get("type") if isinstance(error.get("type"), str) else None
    cls = _BY_TYPE.get(error_type or "") or _class_for_status(status)
    message = error.get("message") or top_message or _status_line(status)
    decline_code = error.get("declineCode") or error.get("decline_code")
    if cls is CardError and status == 402:  # a decline; bad card data (400) stays CardError
        cls = _card_error_class(error.get("code"), decline_code)

    kwargs: dict[str, Any] = {
        "status": status,
        "code": error.get("code"),
        "param": error.get("param"),
        "decline_code": decline_code,
        "charge": error.get("charge"),
        "type": error_type,
        "body": body,
        "headers": headers,
        "idempotency_key": idempotency_key,
    }
    if cls is RateLimitError:
        kwargs["retry_after"] = parse_retry_after(_header(headers, "retry-after"))
    return cls(str(message), **kwargs)
