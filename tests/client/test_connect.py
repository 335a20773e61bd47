"""``connect()``: settings from the environment and ``.env``, and the local sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import helpers
from helpers import CloverClient, MissingSettingError, connect, describe_connection

ROOT = Path(__file__).resolve().parents[2]


def test_real_environments_name_the_missing_variable(clean_env: Path) -> None:
    with pytest.raises(MissingSettingError, match=r"CLOVER_MERCHANT_ID.*\.env"):
        connect("sandbox")
    os.environ["CLOVER_MERCHANT_ID"] = "MID123"
    with pytest.raises(MissingSettingError, match="CLOVER_PRIVATE_KEY or CLOVER_ACCESS_TOKEN"):
        connect("production")


def test_sandbox_settings_from_dotenv_never_override(clean_env: Path) -> None:
    (clean_env / ".env").write_text(
        "CLOVER_ENV=sandbox\nCLOVER_MERCHANT_ID=FROMDOTENV\n"
        "CLOVER_PRIVATE_KEY=dotenv-private-key-1111\nCLOVER_API_ACCESS_KEY=pub-key-2222\n"
    )
    os.environ["CLOVER_MERCHANT_ID"] = "ALREADYSET"
    nested = clean_env / "notebooks"
    nested.mkdir()
    os.chdir(nested)  # .env is found in a parent folder
    with connect() as client:
        assert client.environment.name == "sandbox"
        assert client.environment.ecommerce_url == "https://scl-sandbox.dev.clover.com"
        assert client.merchant_id == "ALREADYSET"
        assert client.access_token == "dotenv-private-key-1111"
        assert client.api_access_key == "pub-key-2222"
        summary = describe_connection(client)
    assert "dotenv-private-key-1111" not in summary and "••••1111" in summary
    assert "pub-key-2222" not in summary and "••••2222" in summary
    assert "ALREADYSET" in summary


def test_access_token_is_accepted_instead_of_private_key(clean_env: Path) -> None:
    os.environ.update(
        CLOVER_MERCHANT_ID="M",
        CLOVER_ACCESS_TOKEN="oauth-token-3333",
        CLOVER_BROWSER_URL="https://proxy.example/checkout",
    )
    with connect("production") as client:
        assert client.access_token == "oauth-token-3333"
        assert client.environment.browser_url == "https://proxy.example/checkout"
        assert "(fetched" in client.describe()


def test_unknown_environment(clean_env: Path) -> None:
    with pytest.raises(ValueError, match="local, sandbox, production"):
        connect("staging")


def test_local_by_url_uses_the_demo_merchant(
    clean_env: Path, sandbox: Any, sandbox_merchants: list[dict[str, str]]
) -> None:
    os.environ["CLOVER_SANDBOX_URL"] = sandbox.url + "/"
    with connect() as first, connect("local", merchant=1) as second:
        assert first.environment == helpers.Environment.local(sandbox.url)
        assert first.merchant_id == sandbox_merchants[0]["merchant_id"]
        assert first.access_token == sandbox_merchants[0]["private_key"]
        assert first.api_access_key == sandbox_merchants[0]["api_access_key"]
        assert second.merchant_id == sandbox_merchants[1]["merchant_id"]
        assert first.get_pakms_key().merchantUuid == first.merchant_id
    with pytest.raises(ValueError, match="demo merchants"):
        connect(merchant=len(sandbox_merchants))


def test_connect_by_url_does_not_import_the_sandbox(sandbox: Any) -> None:
    code = (
        "import sys, helpers\n"
        "client = helpers.connect()\n"
        "client.get_pakms_key()\n"
        "assert 'helpers.sandbox' not in sys.modules, 'sandbox imported'\n"
        "assert 'uvicorn' not in sys.modules and 'starlette' not in sys.modules\n"
        "print(client.merchant_id)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOVER_")}
    env["CLOVER_SANDBOX_URL"] = sandbox.url
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_local_without_url_starts_one_sandbox_per_process(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(helpers, "_local_sandbox", None)
    os.environ["CLOVER_SANDBOX_SEED"] = "7"
    try:
        with connect() as first, connect() as second:
            running = helpers._local_sandbox
            assert running is not None and running.seed == 7
            assert first.environment.ecommerce_url == running.url
            assert second.environment.ecommerce_url == running.url
            assert first.get_pakms_key().apiAccessKey == first.api_access_key
    finally:
        if helpers._local_sandbox is not None:
            helpers._local_sandbox.stop()


def test_client_repr_masks_secrets() -> None:
    client = CloverClient(
        helpers.Environment.local("http://x"),
        "private-key-abcd",
        merchant_id="M1",
        api_access_key="public-key-wxyz",
    )
    with client:
        text = repr(client)
    assert "private-key-abcd" not in text and "public-key-wxyz" not in text
    assert "••••abcd" in text and "••••wxyz" in text and "M1" in text


def test_under_the_suite_a_developers_env_file_never_moves_a_kernel_to_clover(
    tmp_path: Path,
) -> None:
    """tests/conftest.py pins the local sandbox; a `.env` for the real sandbox must not win."""
    (tmp_path / ".env").write_text(
        "CLOVER_ENV=sandbox\nCLOVER_MERCHANT_ID=FROMDOTENV\n"
        "CLOVER_PRIVATE_KEY=dotenv-private-key-1111\n"
    )
    probe = "import helpers; print(helpers.connect().environment.name)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "local"


def test_a_demo_merchant_number_is_refused_outside_the_local_sandbox(clean_env: Path) -> None:
    os.environ.update(CLOVER_MERCHANT_ID="M", CLOVER_PRIVATE_KEY="private-key-4444")
    with pytest.raises(ValueError, match="CLOVER_MERCHANT_ID"):
        connect("sandbox", merchant=1)
