"""The shop as a launcher tile of a real Jupyter server, through jupyter-server-proxy.

The entry point ``clover-shop`` (pyproject.toml) has Jupyter start ``python -m shop`` on
first visit to ``<base url>clover-shop/``, told that prefix. The test buys through the
proxy as a browser on a hub would: every link, form, the payment page's config and its
CSP carry the prefix, the session cookie is scoped to it, and Clover's card-field script
is loaded from the sandbox's own proxy path on the same origin.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from helpers import CloverClient, Environment
from helpers.sandbox.local.jupyter_proxy import SHOP_NAME, shop_server_proxy_config
from tests.workshop.conftest import (
    Lab,
    lab_environment,
    start_hub_server,
    start_sandbox_in,
    stop_process,
)

from .shopper import Shopper

ROOT = Path(__file__).resolve().parents[2]
VISA = {
    "number": "4242424242424242",
    "exp_month": "12",
    "exp_year": "2030",
    "cvv": "123",
    "brand": "VISA",
}


def test_the_entry_point_is_declared_and_names_the_prefix() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert (
        f'{SHOP_NAME} = "helpers.sandbox.local.jupyter_proxy:shop_server_proxy_config"' in pyproject
    )
    config = shop_server_proxy_config()
    command = config["command"]
    assert command[1:4] == ["-m", "shop", "--port"] and "{port}" in command
    assert command[-2:] == ["--root-path", "{base_url}clover-shop"]
    assert config["absolute_url"] is False and config["launcher_entry"]["enabled"] is True
    from importlib.metadata import entry_points

    from jupyter_server_proxy.config import ServerProcess

    found = {e.name: e for e in entry_points(group="jupyter_serverproxy_servers")}
    assert found[SHOP_NAME].load() is shop_server_proxy_config
    process = ServerProcess(name=SHOP_NAME, **config)
    assert process.launcher_entry.title == "Clover demo shop"
    assert process.launcher_entry.path_info == "clover-shop/"


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, str]]:
    """A Jupyter server under a hub-like prefix, with the kit's sandbox beside it."""
    work = tmp_path_factory.mktemp("proxied-shop")
    env = lab_environment(work, SHOP_DB=str(work / "shop.sqlite3"))
    sandbox, url = start_sandbox_in(env)
    env["CLOVER_SANDBOX_URL"] = url
    lab = start_hub_server("server", work, env, log=work / "jupyter.log")
    yield lab, url
    lab.stop()
    stop_process(sandbox)


def test_a_purchase_through_the_proxy_keeps_the_prefix(proxied: tuple[Lab, str]) -> None:
    lab, sandbox_url = proxied
    shop = f"{lab.url}{SHOP_NAME}/"
    auth = {"Authorization": f"token {lab.token}"}
    with httpx.Client(base_url=shop, headers=auth, timeout=90) as http:
        home = http.get("")  # the first visit starts the shop
        assert home.status_code == 200, home.text[:500]
        assert f'href="{shop}cart"' in home.text
        (ours,) = [c for c in home.headers.get_list("set-cookie") if c.startswith("shop_session=")]
        assert re.search(r"; path=/user/learner/clover-shop/(;|$)", ours, re.I), ours
        shopper = Shopper(http=http)
        order_id = shopper.buy()
        page, config, _ = shopper.payment_page(order_id)
        assert config["payUrl"] == f"{shop}pay"
        sdk = f"{lab.url}proxy/{httpx.URL(sandbox_url).port}/sdk.js"
        assert sdk in page.text and sdk in page.headers["content-security-policy"]
        assert http.get(sdk).status_code == 200  # the browser can load the card fields
        demo = httpx.get(f"{sandbox_url}/_sandbox/merchants").json()[0]
        with CloverClient(
            Environment.local(sandbox_url),
            demo["private_key"],
            merchant_id=demo["merchant_id"],
            api_access_key=demo["api_access_key"],
        ) as clover:
            token = str(clover.create_token(VISA)["id"])
        paid = shopper.pay(order_id, token)
        assert paid.status_code == 200, paid.text
        assert paid.json()["outcome"] == "paid"
