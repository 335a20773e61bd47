"""Encrypting a card number for ``/v1/tokens``, so it never travels in clear.

Clover publishes an RSA public key at ``/assets/keys.json`` on its checkout CDN, as base64
of the modulus bytes followed by the exponent bytes (entry ``TA_PUBLIC_KEY_DEV`` for the
sandbox, ``TA_PUBLIC_KEY_PROD`` for production). An app encrypts "00000000" + the card
number with it, base64-encodes the result, and sends that as ``encrypted_pan`` with the
first six and last four digits in clear. The key rarely changes: fetch it once and keep it.

Padding is RSA-OAEP with SHA-1, as in Clover's published example (the local sandbox uses
the same, as a stated choice: docs/choices.md, "Tokens and cards").
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .cards import Card, digits_of

if TYPE_CHECKING:
    from .client import CloverClient

__all__ = ["PREFIX", "CardEncryptionKey", "fetch_card_key"]

PREFIX = "00000000"
MODULUS_BYTES = 256  # Clover's key is 2048 bits; its examples split the value here
_OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)


@dataclass(frozen=True)
class CardEncryptionKey:
    """Clover's RSA public key for ``encrypted_pan``; public, so safe to print and to keep."""

    public_key: rsa.RSAPublicKey
    name: str

    @classmethod
    def from_published(cls, value: str, name: str = "TA_PUBLIC_KEY_DEV") -> CardEncryptionKey:
        """Read one entry of ``keys.json``: base64 of modulus (256 bytes) then exponent."""
        raw = base64.b64decode(value, validate=True)
        if len(raw) <= MODULUS_BYTES:
            raise ValueError(
                f"{name} is {len(raw)} bytes; expected a 256-byte modulus followed by the exponent"
            )
        numbers = rsa.RSAPublicNumbers(
            int.from_bytes(raw[MODULUS_BYTES:], "big"), int.from_bytes(raw[:MODULUS_BYTES], "big")
        )
        return cls(numbers.public_key(), name)

    @property
    def fingerprint(self) -> str:
        """The first 16 hex digits of the key's SHA-256: tells two keys apart at a glance."""
        der = self.public_key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return hashlib.sha256(der).hexdigest()[:16]

    def encrypt_pan(self, number: str | int) -> str:
        """``encrypted_pan``: base64 of RSA-OAEP("00000000" + the digits of ``number``)."""
        digits = digits_of(number)
        if not digits.isdigit():
            raise ValueError("a card number is digits only (spaces and dashes are dropped)")
        return base64.b64encode(self.public_key.encrypt((PREFIX + digits).encode(), _OAEP)).decode()

    def encrypted_card(self, card: Card) -> dict[str, Any]:
        """The ``card`` object of ``/v1/tokens`` with ``encrypted_pan``, ``first6`` and
        ``last4`` in place of ``number``."""
        wire: dict[str, Any] = card.to_wire()
        number = wire.pop("number")
        return {
            "encrypted_pan": self.encrypt_pan(number),
            "first6": number[:6],
            "last4": number[-4:],
            **wire,
        }

    def __repr__(self) -> str:
        return (
            f"CardEncryptionKey(name={self.name!r}, bits={self.public_key.key_size}, "
            f"exponent={self.public_key.public_numbers().e}, "
            f"fingerprint={self.fingerprint!r})"
        )


def fetch_card_key(client: CloverClient) -> CardEncryptionKey:
    """``GET /assets/keys.json`` (no credentials) and read this environment's entry."""
    environment = client.environment
    keys = client._request("GET", environment.card_keys_url, auth="none")
    name = environment.card_key_name
    if name not in keys:
        raise KeyError(f"{environment.card_keys_url} has no {name}; it has {sorted(keys)}")
    return CardEncryptionKey.from_published(str(keys[name]), name)
