from __future__ import annotations

import pytest

from helpers import errors
from helpers.clover.errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    CardError,
    CloverError,
    IdempotencyError,
    InvalidRequestError,
    RateLimitError,
    error_from_response,
)


def envelope(status_line: str, **error: str) -> dict[str, object]:
    return {"message": status_line, "error": error}


def test_module_docstring_opens_with_the_hierarchy() -> None:
    doc = errors.__doc__ or ""
    assert "CloverError" in doc.split("\n\n")[1]
    for cls in (
        AuthenticationError,
        CardError,
        InvalidRequestError,
        IdempotencyError,
        RateLimitError,
        APIError,
        APIConnectionError,
    ):
        assert issubclass(cls, CloverError)
        assert f"── {cls.__name__}" in doc


def test_decline_reads_both_spellings_and_prints_short() -> None:
    body = envelope(
        "402 Payment Required",
        type="card_error",
        code="card_declined",
        message="The card was declined.",
        charge="CH1",
        declineCode="issuer_declined",
    )
    err = error_from_response(402, body, {})
    assert type(err) is CardError
    assert (err.status, err.code, err.type, err.charge) == (
        402,
        "card_declined",
        "card_error",
        "CH1",
    )
    assert err.decline_code == "issuer_declined"
    assert err.body is body
    assert str(err) == "402 card_declined: The card was declined. (decline_code=issuer_declined)"
    snake = envelope(
        "402 Payment Required",
        type="card_error",
        code="card_declined",
        message="x",
        decline_code="insufficient_funds",
    )
    assert error_from_response(402, snake).decline_code == "insufficient_funds"


def test_bare_401_is_authentication_error() -> None:
    err = error_from_response(401, {"message": "401 Unauthorized"})
    assert type(err) is AuthenticationError
    assert err.code is None
    assert err.message == "401 Unauthorized"
    assert str(err) == "401 Unauthorized"


@pytest.mark.parametrize(
    ("status", "error_type", "expected"),
    [
        (400, "invalid_request_error", InvalidRequestError),
        (400, "card_error", CardError),
        (400, "idempotency_error", IdempotencyError),
        (403, "authentication_error", AuthenticationError),
        (429, "rate_limit_error", RateLimitError),
        (500, "api_error", APIError),
        (503, "api_connection_error", APIConnectionError),
    ],
)
def test_clover_type_picks_the_class(
    status: int, error_type: str, expected: type[CloverError]
) -> None:
    err = error_from_response(status, envelope("x", type=error_type, code="c", message="m"))
    assert type(err) is expected
    assert err.type == error_type


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (401, AuthenticationError),
        (403, AuthenticationError),
        (402, CardError),
        (400, InvalidRequestError),
        (404, InvalidRequestError),
        (409, InvalidRequestError),
        (429, RateLimitError),
        (500, APIError),
        (502, APIError),
        (503, APIError),
    ],
)
def test_status_is_the_fallback(status: int, expected: type[CloverError]) -> None:
    err = error_from_response(status, "<html>Bad Gateway</html>")
    assert type(err) is expected
    assert err.status == status
    assert err.body == "<html>Bad Gateway</html>"
    assert err.message == "<html>Bad Gateway</html>"


def test_rate_limit_carries_retry_after_from_headers() -> None:
    body = envelope(
        "429 Too Many Requests",
        type="rate_limit_error",
        code="rate_limit",
        message="Too many requests.",
    )
    err = error_from_response(429, body, {"Retry-After": "2"})
    assert isinstance(err, RateLimitError)
    assert err.retry_after == 2.0
    assert error_from_response(429, body, {}).retry_after is None  # type: ignore[attr-defined]
    assert error_from_response(429, body, {"retry-after": "soon"}).retry_after is None  # type: ignore[attr-defined]


def test_param_is_named_in_str_and_key_kept() -> None:
    body = envelope(
        "400 Bad Request",
        type="invalid_request_error",
        code="invalid_request",
        message="Missing required parameter: amount.",
        param="amount",
    )
    err = error_from_response(400, body, idempotency_key="k-1")
    assert str(err) == "400 invalid_request: Missing required parameter: amount. (param=amount)"
    assert err.param == "amount"
    assert err.idempotency_key == "k-1"
    assert repr(err) == f"InvalidRequestError({str(err)!r})"


def test_empty_body_still_gives_a_message() -> None:
    err = error_from_response(500, None)
    assert type(err) is APIError
    assert str(err) == "500 Internal Server Error"
