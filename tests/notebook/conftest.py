"""Fixtures for the tests of the notebook wing (tables, reports, checks, widgets, local
controls): the client tests' fake Clover and clients on the real local sandbox."""

from __future__ import annotations

from tests.client.conftest import (  # noqa: F401  (fixtures shared with tests/client)
    clean_env,
    fake,
    live,
    make_client,
    other_live,
    sandbox_merchants,
)
