"""ACH through the client against the local sandbox: token, pending charge, settlement
after three days on the sandbox clock, and a returned payment."""

from __future__ import annotations

from helpers import CloverClient, LocalSandbox

from .test_http import ACH


def test_pending_then_settled_or_returned(live: CloverClient) -> None:
    local = LocalSandbox(live)
    good = live.create_charge(2500, live.create_ach_token(ACH))
    bad_fields = {**ACH, "bank_account_number": "123456780001"}
    bad = live.create_charge(2500, live.create_ach_token(bad_fields))
    assert (good.status, bad.status) == ("pending", "pending")
    assert good.ach.agreement == ACH["agreement"]["agreement_id"]
    local.advance_clock(days=3)
    assert live.get_charge(good.id).status == "succeeded"
    returned = live.get_charge(bad.id)
    assert returned.status == "failed" and returned.ach_return_code == "R01"
