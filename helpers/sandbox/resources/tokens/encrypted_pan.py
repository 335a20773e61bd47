"""Encrypted card numbers (`encrypted_pan` on `/v1/tokens`) and the key that opens them.

Clover publishes an RSA public key as JSON at `/assets/keys.json` on its checkout CDN:
each value is base64 of the modulus bytes followed by the exponent bytes. An app encrypts
"00000000" + the card number with it, base64-encodes the result, and sends it with the
first six and last four digits in clear. The sandbox makes its own key pair once per run
(the private half never leaves memory) and pads with RSA-OAEP and SHA-1, a stated local
choice matching Clover's published example.

The key and its padding are listed in docs/choices.md, "Tokens and cards".
"""

from __future__ import annotations

import base64
import binascii
import threading

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from helpers.sandbox.core.errors import card_error

PREFIX = "00000000"
# Clover's code for "not a valid raw or encrypted PAN" (Token); a PAN that decrypts but is
# invalid (Luhn, length) stays `invalid_number` ("The PAN provided in card.number is
# invalid"). https://docs.clover.com/docs/ecommerce-error-codes
NOT_A_PAN = "invalid_request"
KEY_BITS = 2048
KEY_NAMES = ("TA_PUBLIC_KEY_DEV", "TA_PUBLIC_KEY_PROD")
OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
HOW = (
    'encrypt "00000000" followed by the card number with the RSA key from '
    "/assets/keys.json (OAEP, SHA-1), then base64-encode the result"
)


class PanKey:
    """The sandbox's RSA key pair, made on first use (generating one takes a moment)."""

    def __init__(self) -> None:
        self._private: rsa.RSAPrivateKey | None = None
        self._lock = threading.Lock()

    @property
    def private(self) -> rsa.RSAPrivateKey:
        with self._lock:
            if self._private is None:
                self._private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
            return self._private

    def published(self) -> str:
        """Base64 of modulus then exponent, as Clover publishes its key."""
        numbers = self.private.public_key().public_numbers()
        modulus = numbers.n.to_bytes(KEY_BITS // 8, "big")
        exponent = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
        return base64.b64encode(modulus + exponent).decode()

    def decrypt(self, encrypted_pan: object) -> str:
        """The card number inside `encrypted_pan`, or a card error that says how to make one."""
        param = "card.encrypted_pan"
        if not isinstance(encrypted_pan, str) or not encrypted_pan.strip():
            raise card_error(NOT_A_PAN, f"{param} must be a base64 string: {HOW}.", param)
        try:
            ciphertext = base64.b64decode(encrypted_pan.strip(), validate=True)
            plain = self.private.decrypt(ciphertext, OAEP).decode("ascii")
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise card_error(
                NOT_A_PAN,
                f"{param} does not decrypt with this sandbox's "
                f"key: {HOW}. If you cached the key, fetch it again: the sandbox "
                "makes a new one each time it starts.",
                param,
            ) from None
        if not plain.startswith(PREFIX) or not plain[len(PREFIX) :].isdigit():
            raise card_error(
                NOT_A_PAN,
                f'{param} decrypts, but not to "00000000" and '
                "the digits of a card number: prepend the prefix and send digits "
                "only.",
                param,
            )
        return plain[len(PREFIX) :]
