"""``python -m shop`` starts from a fresh checkout, with secrets only from the environment."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from shop import Settings

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def running_shop(tmp_path: Path, **env: str) -> Iterator[tuple[int, list[str]]]:
    """``python -m shop`` on a free port with only ``env`` set, until its start-up lines
    end ("the shop ..."): yields the port and those lines, then presses Ctrl+C."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "SHOP_DB": str(tmp_path / "s.sqlite3"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "shop", "--port", str(port)],
        cwd=tmp_path,
        env={**base, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line.rstrip())
            if line.startswith("the shop"):
                break
        yield port, lines
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def test_python_m_shop_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "shop", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--port" in done.stdout


def test_settings_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "SHOP_DB": "/tmp/x.sqlite3",
            "SHOP_SECRET_KEY": "k" * 32,
            "SHOP_ADMIN_PASSWORD": "pw",
            "CLOVER_WEBHOOK_SECRET": "w" * 32,
        }
    )
    assert settings.database == "/tmp/x.sqlite3"
    assert settings.admin_password == "pw" and settings.secret_key == "k" * 32
    assert "pw" not in repr(settings) and "k" * 32 not in repr(settings)
    assert "w" * 32 not in repr(settings)


def test_a_real_captcha_needs_its_keys() -> None:
    with pytest.raises(ValueError, match="RECAPTCHA_SITE_KEY"):
        Settings.from_env({"SHOP_CAPTCHA": "recaptcha"})
    with pytest.raises(ValueError, match="use 'local' or 'recaptcha'"):
        Settings.from_env({"SHOP_CAPTCHA": "none"})


def test_a_missing_credential_is_one_clear_line(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "CLOVER_ENV": "sandbox",
        "SHOP_DB": str(tmp_path / "s.sqlite3"),
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "shop"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("The shop cannot start: CLOVER_MERCHANT_ID is not set")
    assert "Traceback" not in done.stderr


def test_the_shop_serves_in_a_thread_and_gets_the_webhooks(
    tmp_path: Path, shop_client: Any, sandbox: Any, merchant: dict[str, str]
) -> None:
    """``shop.background.start`` (notebook 19): a real port, and on the local sandbox the
    merchant's webhooks pointed at it with the shop's own secret."""
    import httpx

    from shop import background

    settings = Settings(database=str(tmp_path / "shop.sqlite3"), secret_key="k" * 32)
    with background.start(settings, shop_client) as running:
        assert httpx.get(f"{running.url}/").status_code == 200
        hooks = httpx.get(
            f"{sandbox.url}/_sandbox/webhooks", params={"merchant": merchant["merchant_id"]}
        ).json()
        assert hooks["url"] == f"{running.url}/webhooks/clover"
        assert hooks["secret"] == running.settings.webhook_secret
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{running.url}/", timeout=2)


def test_python_m_shop_says_which_sandbox_and_where_webhooks_go(
    tmp_path: Path, sandbox: Any, merchant: dict[str, str]
) -> None:
    """A new user with ``kit.py lab`` running was never told the shop used the lab's
    sandbox: the start-up lines name it, and the webhooks are put back on exit."""
    controls = f"{sandbox.url}/_sandbox/webhooks"
    before = httpx.get(controls, params={"merchant": merchant["merchant_id"]}).json()
    env = {"CLOVER_SANDBOX_URL": sandbox.url, "CLOVER_MERCHANT_ID": merchant["merchant_id"]}
    with running_shop(tmp_path, **env) as (port, lines):
        text = "\n".join(lines)
        webhook_url = f"http://127.0.0.1:{port}/webhooks/clover"
        assert f"Clover sandbox  {sandbox.url} (local, from CLOVER_SANDBOX_URL)" in text, text
        assert f"webhooks to     {webhook_url}" in text, text
        now = httpx.get(controls, params={"merchant": merchant["merchant_id"]}).json()
        assert now["url"] == webhook_url
    after = httpx.get(controls, params={"merchant": merchant["merchant_id"]}).json()
    assert after.get("url") == before.get("url")


def test_the_start_up_line_names_a_running_labs_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shop_client: Any, sandbox: Any
) -> None:
    """``connect()`` found the lab's sandbox through its file: the shop says so."""
    from helpers.lab import remember_lab_sandbox
    from shop.clover import sandbox_origin

    monkeypatch.delenv("CLOVER_SANDBOX_URL", raising=False)
    monkeypatch.setenv("CLOVER_SANDBOX_HOME", str(tmp_path))
    assert sandbox_origin(shop_client).endswith(
        "(local, started by the shop; it stops with the shop)"
    )
    where = remember_lab_sandbox(sandbox.url, tmp_path)
    assert sandbox_origin(shop_client) == (
        f"{sandbox.url} (local, the running kit.py lab's, found in {where})"
    )


def test_the_shop_imports_nothing_of_the_kit_but_the_client_wing() -> None:
    """Issue 27: a merchant app depends on ``helpers.clover`` only: not the ``helpers``
    facade (which can start a sandbox in-process), not ``helpers.lab``, not the local
    decline cards' module of the kit. (pyproject's import contract forbids the sandbox and
    the notebook wing even indirectly.)"""
    import ast

    kit_imports = set()
    for path in sorted((ROOT / "shop").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            kit_imports |= {(path.name, n) for n in names if n.split(".")[0] == "helpers"}
    assert kit_imports, "the shop reaches Clover through the kit's client"
    outside = sorted((f, n) for f, n in kit_imports if not n.startswith("helpers.clover."))
    assert outside == []


def test_without_a_running_sandbox_python_m_shop_starts_one_beside_it(tmp_path: Path) -> None:
    """Development: no CLOVER_SANDBOX_URL and no lab, so the shop starts
    ``python -m helpers.sandbox`` as a child process (it cannot import the sandbox) and
    stops it when it exits."""
    with running_shop(tmp_path, CLOVER_SANDBOX_HOME=str(tmp_path / "no-lab")) as (_, lines):
        text = "\n".join(lines)
        origin = next(line for line in lines if line.startswith("Clover sandbox"))
        assert origin.endswith("(local, started by the shop; it stops with the shop)"), text
        started = origin.split()[2]
        assert httpx.get(f"{started}/_sandbox/health").status_code == 200
        assert "private key" not in text, "the sandbox's banner (demo keys) is not echoed"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # a poll with a deadline: SIGTERM takes a moment
        try:
            httpx.get(f"{started}/_sandbox/health", timeout=1)
        except httpx.HTTPError:
            return  # stopped with the shop
        time.sleep(0.05)
    raise AssertionError(f"the sandbox at {started} outlived the shop")
