"""The local sandbox's own controls, as a notebook calls them: here, the reset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from helpers import CloverClient, CloverError, Environment, test_card
from helpers.notebook.local_controls import LocalSandbox


@pytest.fixture
def clover(http: Any, sandbox: Any, merchant: dict[str, str]) -> Iterator[CloverClient]:
    with CloverClient(
        Environment.local(sandbox.url),
        merchant["private_key"],
        merchant_id=merchant["merchant_id"],
        api_access_key=merchant["api_access_key"],
    ) as client:
        yield client


def test_reset_empties_the_sandbox_and_clears_faults(clover: CloverClient) -> None:
    local = LocalSandbox(clover)
    charge = clover.create_charge(1250, clover.create_token(test_card("approve").card()).id)
    local.fault("status", status=503, path="/v1/charges", method="POST", count=1)
    local.oauth_lifetimes(access_token=5)
    assert len(local.faults()) == 1

    local.reset()

    assert local.requests().empty
    assert local.faults() == []
    assert local.oauth_lifetimes()["access_token"] == 30 * 60
    with pytest.raises(CloverError) as missing:
        clover.get_charge(charge.id)
    assert (missing.value.status, missing.value.code) == (404, "resource_missing")


def test_reset_takes_a_seed(clover: CloverClient) -> None:
    """A seed makes the ids that follow a reset repeat; another seed, other ids."""
    local = LocalSandbox(clover)

    def first_charge_after(seed: int | None) -> str:
        local.reset(seed)
        return clover.create_charge(500, clover.create_token(test_card().card()).id).id

    assert first_charge_after(7) == first_charge_after(7)
    assert first_charge_after(7) != first_charge_after(None)
