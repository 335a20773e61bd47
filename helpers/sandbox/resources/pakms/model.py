"""The merchant's PAKMS key: the public `apiAccessKey` a browser tokenizes cards with."""

from __future__ import annotations

from typing import Any

from helpers.sandbox.core.merchants import Merchant


def apikey(merchant: Merchant) -> dict[str, Any]:
    """The key record as `GET /pakms/apikey` answers it; demo keys never change."""
    return {
        "apiAccessKey": merchant.api_access_key,
        "merchantUuid": merchant.merchant_id,
        "developerAppUuid": merchant.app_id,
        "active": True,
        "createdTime": merchant.pakms_created_ms,
        "modifiedTime": merchant.pakms_created_ms,
    }
