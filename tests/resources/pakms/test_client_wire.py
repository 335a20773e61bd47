"""The PAKMS key on the wire: fetched once, masked when shown."""

from __future__ import annotations

from collections.abc import Callable

from helpers import (
    Card,
    CloverClient,
    PakmsKey,
)
from tests.client.conftest import API_ACCESS_KEY, PRIVATE_KEY, FakeClover

from ..conftest import ECOMMERCE, Wire

Build = Callable[..., tuple[CloverClient, FakeClover]]
VISA = Card("4242424242424242", 12, 2030, "123")


def test_pakms_key_is_fetched_once_when_not_given(make_client: Build) -> None:
    client, fake = make_client(api_access_key=None)
    assert "(fetched" in client.describe()
    client.create_token(VISA)
    client.create_token(VISA)
    paths = [r.url.path for r in fake.requests]
    assert paths == ["/pakms/apikey", "/v1/tokens", "/v1/tokens"]
    assert fake.requests[0].headers["authorization"] == f"Bearer {PRIVATE_KEY}"
    assert fake.requests[1].headers["apikey"] == API_ACCESS_KEY
    assert client.api_access_key == API_ACCESS_KEY
    assert API_ACCESS_KEY not in client.describe() and API_ACCESS_KEY not in repr(client)


def test_pakms_key_result_masks_key_when_shown(make_client: Build) -> None:
    client, _ = make_client()
    key = client.get_pakms_key()
    assert isinstance(key, PakmsKey)
    assert key.apiAccessKey == API_ACCESS_KEY
    for text in (repr(key), str(key), key._repr_html_()):
        assert API_ACCESS_KEY not in text
        assert "••••9f8e" in text


def test_both_clients_fetch_the_key_once_on_the_first_token(wire_mode: str) -> None:
    wire = Wire(wire_mode, api_access_key=None)
    wire.call("create_token", VISA)
    pakms, token = wire.requests
    assert (pakms.method, str(pakms.url)) == ("GET", f"{ECOMMERCE}/pakms/apikey")
    assert pakms.headers["authorization"] == f"Bearer {PRIVATE_KEY}"
    assert "idempotency-key" not in pakms.headers
    assert token.headers["apikey"] == API_ACCESS_KEY


def test_both_clients_read_the_key_as_a_masked_object(wire: Wire) -> None:
    key = wire.call("get_pakms_key")
    assert isinstance(key, PakmsKey) and key.apiAccessKey == API_ACCESS_KEY
    assert API_ACCESS_KEY not in repr(key) and API_ACCESS_KEY not in repr(wire.journal.last)
