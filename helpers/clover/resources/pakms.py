"""PAKMS (``GET /pakms/apikey``): the merchant's public ``apiAccessKey`` that tokenizes
cards. It does not expire: an app fetches it once per merchant and keeps it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..objects import CloverObject
from ..spec import Spec

if TYPE_CHECKING:
    from ..environments import Environment

__all__ = ["PakmsKey", "get_pakms_key"]


class PakmsKey(CloverObject):
    """The merchant's public ``apiAccessKey`` for tokenizing cards (``GET /pakms/apikey``)."""


def get_pakms_key(env: Environment) -> Spec[PakmsKey]:
    """``GET /pakms/apikey``, with the Bearer token."""
    return Spec("GET", f"{env.pakms_url}/pakms/apikey", read=PakmsKey)
