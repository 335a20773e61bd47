"""The demo merchants every sandbox starts with, and the ones a learner registers.

The demo credentials are fixed, whatever the seed, so the README and the notebooks can name
them. They are sandbox-only values: nothing on Clover accepts them. Two merchants exist
so that notebooks and tests can show that one merchant never sees another's objects.

`POST /_sandbox/merchants` adds a merchant under the ids and keys of a learner's own
Clover sandbox merchant, so a page written for it runs unchanged here. Such a merchant is
stored like any object (it survives a restart with `--db`); a reset removes it, as it
puts every other local setting back to the demo's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

REGISTRY = "_sandbox"
"""The owner that registered merchants are stored under: they belong to the sandbox."""


@dataclass(frozen=True)
class Merchant:
    merchant_id: str
    name: str
    app_id: str
    app_secret: str
    private_key: str
    api_access_key: str
    pakms_created_ms: int

    def public(self) -> dict[str, str]:
        """What `GET /_sandbox/merchants` shows (local-only: Clover has no such endpoint)."""
        data = asdict(self)
        data.pop("pakms_created_ms")
        return data

    def record(self, site_urls: list[str]) -> dict[str, Any]:
        """The stored object of a registered merchant, with its app's Site URLs."""
        return {
            "id": self.merchant_id,
            "object": "merchant",
            **asdict(self),
            "site_urls": list(site_urls),
            "_merchant": REGISTRY,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Merchant:
        return cls(**{name: record[name] for name in cls.__dataclass_fields__})


DEMO_MERCHANTS: tuple[Merchant, ...] = (
    Merchant(
        merchant_id="PNWDC0FFEE001",
        name="Pinewood Coffee (demo)",
        app_id="KTAPPDEM0A1B2",
        app_secret="sandbox-app-secret-pinewood-7f3a9c1e",
        private_key="sandbox-private-key-pinewood-4be1d6c2",
        api_access_key="sandboxpublickeypinewood0a1b2c3d",
        pakms_created_ms=1_767_225_600_000,
    ),
    Merchant(
        merchant_id="HRBRB00KS0002",
        name="Harbor Books (demo)",
        app_id="KTAPPDEM0A1B2",
        app_secret="sandbox-app-secret-pinewood-7f3a9c1e",
        private_key="sandbox-private-key-harbor-91cd3e70",
        api_access_key="sandboxpublickeyharbor5e6f7a8b9c",
        pakms_created_ms=1_767_225_600_000,
    ),
)
