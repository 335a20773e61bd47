"""The client tests' fixtures, for the tests sorted by Clover resource: a scripted fake
Clover (``make_client``, ``wire``) and clients on the real local sandbox (``live``)."""

from __future__ import annotations

from tests.client.conftest import (  # noqa: F401  (fixtures shared with tests/client)
    clean_env,
    fake,
    live,
    make_client,
    other_live,
    sandbox_merchants,
)
