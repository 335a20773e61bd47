"""Clover-shaped errors: every failure the sandbox answers goes through `ApiError`.

Clover wraps errors in one envelope, `{"message": "400 Bad Request", "error": {...}}`,
except a bare 401 which is only `{"message": "401 Unauthorized"}`. Handlers raise; the
app renders. Messages name the field and say how to fix it, because the reader is
usually a learner looking at a notebook cell.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any


def status_line(status: int) -> str:
    """`400 Bad Request`, as Clover writes it in the envelope's `message`."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


class ApiError(Exception):
    """An answer other than success, with everything needed to render Clover's envelope."""

    def __init__(
        self,
        status: int,
        type: str,
        code: str | None,
        message: str,
        *,
        param: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type
        self.code = code
        self.message = message
        self.param = param
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type}
        if self.code:
            error["code"] = self.code
        error["message"] = self.message
        if self.param:
            error["param"] = self.param
        error.update(self.extra)
        return {"message": status_line(self.status), "error": error}


class Unauthorized(ApiError):
    """Clover's bare 401: no error object, nothing that tells a prober what was wrong."""

    def __init__(self) -> None:
        super().__init__(401, "authentication_error", None, "401 Unauthorized")

    def body(self) -> dict[str, Any]:
        return {"message": "401 Unauthorized"}


def invalid_request(
    message: str, param: str | None = None, code: str = "invalid_request"
) -> ApiError:
    return ApiError(400, "invalid_request_error", code, message, param=param)


def missing(param: str, hint: str = "") -> ApiError:
    text = f"Missing required parameter: {param}."
    return ApiError(400, "invalid_request_error", "missing", f"{text} {hint}".strip(), param=param)


def card_error(code: str, message: str, param: str) -> ApiError:
    return ApiError(400, "card_error", code, message, param=param)


def not_found(kind: str, object_id: str, param: str | None = None) -> ApiError:
    return ApiError(
        404,
        "invalid_request_error",
        "resource_missing",
        f"No such {kind}: '{object_id}'.",
        param=param,
    )


def processing_error(message: str) -> ApiError:
    return ApiError(400, "invalid_request_error", "processing_error", message)


def unexpected() -> ApiError:
    """What a failure nobody foresaw answers: the envelope, never a traceback."""
    return ApiError(
        500,
        "api_error",
        "processing_error",
        "The sandbox hit an unexpected error. It keeps serving; please report this.",
    )
