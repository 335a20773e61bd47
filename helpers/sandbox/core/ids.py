"""Ids, codes and object timestamps drawn from a seed, so stored notebook outputs repeat.

Every value is a pure function of `(seed, position)`: the sandbox can store its position
and carry on after a restart without ever repeating an id, and a reset to the same seed
gives the same ids, codes and `created` times again.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from functools import cache

ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Clover ids: uppercase, no I, L, O, U
TOKEN_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
CLOCK_START_MS = 1_767_603_600_000  # 2026-01-05 09:00:00 UTC, a Monday morning
CLOCK_STEP_MS = 1_000


@cache
def _byte_table(alphabet: str) -> bytes:
    """For `bytes.translate`: each byte value to the character it draws from `alphabet`."""
    return bytes(ord(alphabet[byte % len(alphabet)]) for byte in range(256))


@dataclass
class Sequence:
    """Deterministic source of ids and object times; `seeded=False` uses the real clock."""

    seed: int
    position: int = 0
    ticks: int = 0
    seeded: bool = True
    offset_ms: int = 0
    """How far the clock has been moved in all, seeded or not: an unseeded clock runs this
    far ahead of the real one, and expirations run this far ahead under a seed too."""

    @classmethod
    def unseeded(cls) -> Sequence:
        return cls(seed=secrets.randbits(63), seeded=False)

    def snapshot(self) -> Sequence:
        """A copy, for a unit to go back to: every request takes one, so it copies the
        fields directly instead of `dataclasses.replace`'s walk over them (issue 27)."""
        copied = object.__new__(Sequence)
        copied.__dict__.update(self.__dict__)
        return copied

    def _draw(self, alphabet: str, length: int) -> str:
        """`length` characters, one per byte of a keyed hash of the position (the byte
        modulo the alphabet's size picks the character; `_byte_table` does it in C)."""
        digest = hashlib.blake2b(f"{self.seed}:{self.position}".encode(), digest_size=length)
        self.position += 1
        return digest.digest().translate(_byte_table(alphabet)).decode("ascii")

    def object_id(self) -> str:
        """13 uppercase characters, the shape of every Clover object id."""
        return self._draw(ID_ALPHABET, 13)

    def token_id(self) -> str:
        return "clv_" + self._draw(TOKEN_ALPHABET, 28)

    def secret(self, length: int = 32) -> str:
        return self._draw(TOKEN_ALPHABET, length)

    def digits(self, length: int) -> str:
        return self._draw("0123456789", length)

    def auth_code(self) -> str:
        return "OK" + self.digits(4)

    def now_ms(self) -> int:
        """The sandbox clock, without moving it."""
        if not self.seeded:
            return int(time.time() * 1000) + self.offset_ms
        return CLOCK_START_MS + self.ticks * CLOCK_STEP_MS

    def advance(self, ms: int) -> None:
        """Move the clock forward (local-only: to spread objects over days, or to run a
        year of renewals). A seeded clock moves in whole steps; an unseeded one keeps the
        real clock's pace, `offset_ms` ahead of it."""
        if not self.seeded:
            self.offset_ms += ms
            return
        self._step(ms // CLOCK_STEP_MS)

    def move_to(self, ms: int) -> None:
        """Move the clock forward to `ms` (a step later at most, under a seed); never back."""
        now = self.now_ms()
        if ms <= now:
            return
        if not self.seeded:
            self.offset_ms += ms - now
            return
        self._step(-(-(ms - now) // CLOCK_STEP_MS))

    def _step(self, steps: int) -> None:
        self.ticks += steps
        self.offset_ms += steps * CLOCK_STEP_MS

    def expiry_now_ms(self) -> int:
        """The clock that expirations run on (OAuth codes and tokens, checkout sessions):
        the real one, ahead by as far as the sandbox clock was moved. Under a seed, objects
        are dated by a clock that steps, but a token still lives its 30 real minutes, and
        moving the clock 31 minutes expires it; without a seed this is `now_ms`."""
        return int(time.time() * 1000) + self.offset_ms

    def created_ms(self) -> int:
        """The next object's `created`: a fixed step per object under a seed, else now."""
        if not self.seeded:
            return int(time.time() * 1000) + self.offset_ms
        self.ticks += 1
        return CLOCK_START_MS + self.ticks * CLOCK_STEP_MS
