"""The test wallet's token on the wire: local sandbox only, to the tokenizer with the
apikey, `paymentReqData` sent as the page sends it; on Clover's hosts nothing is sent."""

from __future__ import annotations

import pytest

from helpers.clover.environments import Environment
from helpers.clover.operation import Calls
from helpers.clover.resources.wallet import Wallet

from ..conftest import Wire

DATA = {"total": {"label": "Demo total", "amount": 1099}}


def test_the_spec_goes_to_the_local_tokenizer_with_the_apikey() -> None:
    env = Environment.local("http://127.0.0.1:8765")
    spec = Wallet.create_sandbox_wallet_token.spec(Calls(env), DATA, idempotency_key="w-1")
    assert (spec.method, spec.url) == ("POST", f"{env.tokenizer_url}/v1/tokens")
    assert spec.auth == "apikey" and spec.idempotency_key == "w-1"
    assert spec.json_body == {"sandbox_wallet": {"paymentReqData": DATA}}


def test_on_clovers_sandbox_it_is_refused_before_sending(wire: Wire) -> None:
    with pytest.raises(ValueError, match="only in the local sandbox"):
        wire.call("create_sandbox_wallet_token", DATA)
    assert wire.requests == []
