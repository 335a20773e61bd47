"""`POST /_sandbox/merchants`: a learner's own merchant, under its real ids and keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from helpers.sandbox import Sandbox
from tests.support import assert_error, bearer, charge

MINE: dict[str, Any] = {
    "name": "Maple Tea House",
    "merchant_id": "MAPLETEA00001",
    "private_key": "2f0c7f4e-8a51-4d8a-9d1f-3c0b8d6a1e27",
    "api_access_key": "0123456789abcdef0123456789abcdef",
    "app_id": "MAPLEAPP00001",
    "app_secret": "8d2e6a1c-0b7f-4c3e-a9d5-61f0e2b4c7a8",
    "site_urls": ["https://maple-tea.example/shop"],
}


@pytest.fixture
def fresh() -> Any:
    with Sandbox(seed=3) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        yield http


def test_a_registered_merchant_charges_with_its_own_keys(fresh: httpx.Client) -> None:
    answer = fresh.post("/_sandbox/merchants", json=MINE)
    assert answer.status_code == 200, answer.text
    assert answer.json()["merchant_id"] == MINE["merchant_id"]
    listed = {m["merchant_id"]: m for m in fresh.get("/_sandbox/merchants").json()}
    assert listed[MINE["merchant_id"]]["private_key"] == MINE["private_key"]
    paid = charge(fresh, listed[MINE["merchant_id"]])
    assert paid.status_code == 200 and paid.json()["status"] == "succeeded", paid.text
    # the demo merchant does not see it
    demo = next(m for m in listed.values() if m["merchant_id"] != MINE["merchant_id"])
    seen = fresh.get(f"/v1/charges/{paid.json()['id']}", headers=bearer(demo))
    assert seen.status_code == 404


def test_its_app_runs_oauth_to_a_redirect_under_its_site_url(fresh: httpx.Client) -> None:
    fresh.post("/_sandbox/merchants", json=MINE).raise_for_status()
    params = {"client_id": MINE["app_id"], "merchant_id": MINE["merchant_id"]}
    ok = fresh.get(
        "/oauth/v2/authorize",
        params={**params, "redirect_uri": "https://maple-tea.example/shop/callback"},
    )
    assert ok.status_code == 302 and "code=" in ok.headers["location"]
    refused = fresh.get(
        "/oauth/v2/authorize",
        params={**params, "redirect_uri": "https://pinewood-shop.example/callback"},
    )
    assert_error(refused, 400, "invalid_request", "redirect_uri")


@pytest.mark.parametrize(
    ("change", "param"),
    [
        ({"merchant_id": "short"}, "merchant_id"),
        ({"merchant_id": "PNWDC0FFEE001"}, "merchant_id"),  # a demo merchant's
        ({"app_id": "app id with sp"}, "app_id"),
        ({"private_key": "tiny"}, "private_key"),
        ({"api_access_key": "sandboxpublickeypinewood0a1b2c3d"}, "api_access_key"),
        ({"app_secret": 12345678901234567}, "app_secret"),
        ({"app_id": "KTAPPDEM0A1B2"}, "app_secret"),  # the demo app, another secret
        ({"name": "   "}, "name"),
        ({"site_urls": "https://maple-tea.example"}, "site_urls"),
        ({"site_urls": ["ftp://maple-tea.example"]}, "site_urls[0]"),
        ({"site_urls": ["https://maple-tea.example/?a=1"]}, "site_urls[0]"),
        ({"colour": "green"}, "colour"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_stored(
    fresh: httpx.Client, change: dict[str, Any], param: str
) -> None:
    answer = fresh.post("/_sandbox/merchants", json={**MINE, **change})
    assert_error(answer, 400, "invalid_request", param)
    assert MINE["private_key"] not in answer.text
    ids = [m["merchant_id"] for m in fresh.get("/_sandbox/merchants").json()]
    assert MINE["merchant_id"] not in ids


def test_a_missing_field_is_named(fresh: httpx.Client) -> None:
    body = {k: v for k, v in MINE.items() if k != "api_access_key"}
    assert_error(
        fresh.post("/_sandbox/merchants", json=body), 400, "invalid_request", "api_access_key"
    )


def test_posting_again_replaces_the_keys(fresh: httpx.Client) -> None:
    fresh.post("/_sandbox/merchants", json=MINE).raise_for_status()
    rotated = {**MINE, "private_key": "b1b1b1b1-0000-4000-8000-000000000001"}
    fresh.post("/_sandbox/merchants", json=rotated).raise_for_status()
    old = {"private_key": MINE["private_key"]}
    assert fresh.get("/v1/charges", headers=bearer(old)).status_code == 401
    assert fresh.get("/v1/charges", headers=bearer(rotated)).status_code == 200


def test_a_reset_removes_it(fresh: httpx.Client) -> None:
    fresh.post("/_sandbox/merchants", json=MINE).raise_for_status()
    fresh.post("/_sandbox/reset").raise_for_status()
    ids = [m["merchant_id"] for m in fresh.get("/_sandbox/merchants").json()]
    assert ids == ["PNWDC0FFEE001", "HRBRB00KS0002"]
    assert fresh.get("/v1/charges", headers=bearer(MINE)).status_code == 401


def test_it_survives_a_restart_with_db(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    with Sandbox(db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        http.post("/_sandbox/merchants", json=MINE).raise_for_status()
        paid = charge(http, MINE).json()["id"]
    with Sandbox(db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        listed = {m["merchant_id"]: m for m in http.get("/_sandbox/merchants").json()}
        assert listed[MINE["merchant_id"]]["app_secret"] == MINE["app_secret"]
        assert http.get(f"/v1/charges/{paid}", headers=bearer(MINE)).status_code == 200
        sites = http.get("/_sandbox/oauth/site-urls", params={"client_id": MINE["app_id"]})
        assert sites.json()["site_urls"] == MINE["site_urls"]


def test_local_controls_register_merchant(fresh: httpx.Client) -> None:
    from helpers import CloverClient, Environment, LocalSandbox

    demo = fresh.get("/_sandbox/merchants").json()[0]
    client = CloverClient(
        Environment.local(str(fresh.base_url).rstrip("/")),
        demo["private_key"],
        merchant_id=demo["merchant_id"],
    )
    stored = LocalSandbox(client).register_merchant(**MINE)
    assert stored["merchant_id"] == MINE["merchant_id"]
    with pytest.raises(ValueError, match="merchant_id"):
        LocalSandbox(client).register_merchant(**{**MINE, "merchant_id": "x"})
