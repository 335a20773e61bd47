"""3-D Secure on a charge: the ``threeds`` object ``create_charge(..., threeds=...)`` sends.

Clover's pages: docs: use-3ds (https://docs.clover.com/docs/use-3ds),
dev: add-3ds-authentication-to-create-a-charge-endpoint and
initiate-3ds-sdk-with-create-a-charge-endpoint. With Clover as the 3DS provider the charge
carries the shopper's browser (``window._3DSUtil.getBrowserInfo()`` plus the IP); with
another provider, its ``authentication_result``. The answer's ``threeds.validation_result``
is ``AUTHENTICATION_SUCCESSFUL`` (frictionless) or ``CHALLENGE_REQUIRED`` (the shopper
must answer the issuer's challenge, ``threeds.data``, in the browser; then read the charge
back).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..spec import drop_none

__all__ = ["clover_threeds", "non_clover_threeds"]


def clover_threeds(browser_info: Mapping[str, Any], browser_ip: str) -> dict[str, Any]:
    """``{"source": "CLOVER", "browser_info": {...}}``: what the browser's 3DS script
    reported, plus the shopper's IP, which only the server knows for sure."""
    return {"source": "CLOVER", "browser_info": {**browser_info, "browser_ip": browser_ip}}


def non_clover_threeds(
    authentication_status: str,
    cryptogram: str,
    transaction_id: str | None = None,
    eci: str | None = None,
) -> dict[str, Any]:
    """``{"source": "NON_CLOVER", "authentication_result": {...}}``: another provider
    authenticated the shopper; ``authentication_status`` is SUCCESS, FAILED, ATTEMPTED,
    UNAVAILABLE or REJECTED."""
    result = drop_none(
        {
            "authentication_status": authentication_status,
            "transaction_id": transaction_id,
            "cryptogram": cryptogram,
            "eci": eci,
        }
    )
    return {"source": "NON_CLOVER", "authentication_result": result}
