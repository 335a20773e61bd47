"""3-D Secure: the ``threeds`` object a charge or an order payment sends, and
``POST /v1/charges/finalize_payment``.

Clover's pages: https://docs.clover.com/docs/3ds-secure-configure-sdk,
https://docs.clover.com/dev/docs/initiate-3ds-sdk-with-create-a-charge-endpoint,
https://docs.clover.com/dev/docs/add-3ds-to-pay-for-an-order, https://docs.clover.com/docs/use-3ds.
With Clover as the 3DS provider the payment carries the shopper's browser
(``window._3DSUtil.getBrowserInfo()`` plus the IP); with another provider, its
``authentication_result``. The answer's ``threeds.validation_result`` is
``AUTHENTICATION_SUCCESSFUL``, ``THREEDS_METHOD_FLOW_REQUIRED`` (the browser runs
``perform3DSFingerPrinting``), ``CHALLENGE_FLOW_REQUIRED`` (the browser runs
``perform3DSChallenge``), or a decline. After either flow the browser's ``executePatch``
event gives a status, and the server calls ``finalize_payment``, whose answer is again
success, a decline, or (after a method flow) a challenge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..operation import Calls, operation
from ..spec import Ref, Spec, drop_none, object_id
from .charges import Charge

__all__ = ["ThreeDS", "clover_threeds", "finalize_threeds", "non_clover_threeds"]


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


def finalize_threeds(flow_status: str) -> dict[str, Any]:
    """``{"source": "CLOVER", "flow_status": ...}``: the ``threeds`` of a finalize call;
    ``flow_status`` is what the browser's ``executePatch`` event carried
    (``event.detail._3DSStatus``)."""
    if not isinstance(flow_status, str) or not flow_status:
        raise ValueError(
            "flow_status: pass the status the executePatch event gave (event.detail._3DSStatus)."
        )
    return {"source": "CLOVER", "flow_status": flow_status}


class ThreeDS(Calls):
    """The 3-D Secure call that ends a browser's method flow or challenge."""

    @operation
    def finalize_payment(
        self, charge: Ref, flow_status: str, *, idempotency_key: str | None = None
    ) -> Spec[Charge]:
        """``POST /v1/charges/finalize_payment``: after the browser's 3-D Secure method flow
        or challenge (``flow_status`` is the ``executePatch`` event's ``_3DSStatus``). The
        answer is the charge: succeeded, declined (a ``CardError``), or after a method flow
        waiting for a challenge (``threeds.validation_result`` ``CHALLENGE_FLOW_REQUIRED``).
        https://docs.clover.com/docs/3ds-secure-configure-sdk"""
        body = {"charge_id": object_id(charge), "threeds": finalize_threeds(flow_status)}
        return Spec(
            "POST",
            f"{self.environment.ecommerce_url}/v1/charges/finalize_payment",
            body,
            idempotency_key=idempotency_key,
            read=Charge,
        )
