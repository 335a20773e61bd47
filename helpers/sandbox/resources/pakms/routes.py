"""`GET /pakms/apikey`: the merchant's public key for tokenizing (ref: getapikey)."""

from __future__ import annotations

from typing import Any

from helpers.sandbox.core.http import Call
from helpers.sandbox.resources.pakms import model


def get_apikey(call: Call) -> dict[str, Any]:
    return model.apikey(call.merchant)
