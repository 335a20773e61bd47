"""PAKMS (``GET /pakms/apikey``): the merchant's public ``apiAccessKey`` that tokenizes
cards. It does not expire: an app fetches it once per merchant and keeps it."""

from __future__ import annotations

from typing import Any

from ..objects import CloverObject
from ..operation import Calls, operation
from ..spec import Spec

__all__ = ["Pakms", "PakmsKey"]


class PakmsKey(CloverObject):
    """The merchant's public ``apiAccessKey`` for tokenizing cards (``GET /pakms/apikey``)."""


class Pakms(Calls):
    """The PAKMS call, and the key it keeps for the next tokens."""

    @operation
    def get_pakms_key(self) -> Spec[PakmsKey]:
        """``GET /pakms/apikey``: the public key that tokenizes cards for this merchant.

        It does not expire, so an app fetches it once and stores it; the client caches it.
        """
        url = f"{self.environment.pakms_url}/pakms/apikey"
        return Spec("GET", url, read=self._remember_pakms_key)

    def _remember_pakms_key(self, body: dict[str, Any]) -> PakmsKey:
        """Keep the merchant's ``apiAccessKey`` from a PAKMS answer, for the next tokens."""
        key = PakmsKey(body)
        if key.get("apiAccessKey"):
            self._api_access_key = str(key["apiAccessKey"])
        return key
