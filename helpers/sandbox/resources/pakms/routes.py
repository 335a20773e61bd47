"""`GET /pakms/apikey`: the merchant's public key for tokenizing (ref: getapikey)."""

from __future__ import annotations

from typing import Any

from helpers.sandbox.core.http import Call


def get_apikey(call: Call) -> dict[str, Any]:
    merchant = call.merchant
    return {
        "apiAccessKey": merchant.api_access_key,
        "merchantUuid": merchant.merchant_id,
        "developerAppUuid": merchant.app_id,
        "active": True,
        "createdTime": merchant.pakms_created_ms,
        "modifiedTime": merchant.pakms_created_ms,
    }
