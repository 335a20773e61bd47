"""Fixtures of the shop's tests: an order store in a temporary folder and a fake Clover."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import CloverClient
from helpers.sandbox import Sandbox
from shop import Settings, create_app
from shop.catalog import CATALOG
from shop.db import init, opened, transaction
from shop.orders import Order, create_order

from .fakes import FakeClover
from .sandbox import client_for

ADMIN = ("admin", "correct horse")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep the call phase's report on the item, so a browser fixture can see a failure."""
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


@pytest.fixture
def database(tmp_path: Path) -> str:
    path = str(tmp_path / "shop.sqlite3")
    init(path)
    return path


@pytest.fixture
def fake() -> FakeClover:
    return FakeClover()


@pytest.fixture
def fake_client(fake: FakeClover) -> Iterator[CloverClient]:
    with fake.client() as client:
        yield client


def new_order(database: str, session: str = "s1", **quantities: int) -> Order:
    """An order of catalog items (a mug by default), as the checkout makes it."""
    wanted = quantities or {"MUG-01": 2}
    items = [(CATALOG[sku.replace("_", "-")], n) for sku, n in wanted.items()]
    with opened(database) as connection, transaction(connection):
        return create_order(connection, session, items)


@pytest.fixture
def order(database: str) -> Order:
    return new_order(database)


# -- the shop on the kit's local sandbox (tests/conftest.py starts it) --------------------


@pytest.fixture
def shop_settings(tmp_path: Path) -> Settings:
    return Settings(
        database=str(tmp_path / "shop.sqlite3"),
        secret_key="sandbox-test-secret",
        admin_password=ADMIN[1],
    )


@pytest.fixture
def shop_client(sandbox: Sandbox, merchant: dict[str, str]) -> Iterator[CloverClient]:
    with client_for(sandbox, merchant) as client:
        yield client


@pytest.fixture
def shop_app(shop_settings: Settings, shop_client: CloverClient) -> Any:
    return create_app(shop_settings, client=shop_client)
