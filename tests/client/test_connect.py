"""``connect()``: settings from the environment and ``.env``, the local sandbox (a running
lab's, or its own), and a sandbox that is not there named with its fix."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

import helpers
from helpers import (
    ENVIRONMENTS,
    APIConnectionError,
    AsyncCloverClient,
    CannotConnectError,
    CloverClient,
    Environment,
    MissingSettingError,
    RetryPolicy,
    connect,
    describe_connection,
)
from helpers.clover.retries import NO_RETRIES
from helpers.lab import forget_lab_sandbox, lab_sandbox_url, remember_lab_sandbox

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
    # a developer's running `kit.py lab` must not be found: an empty sandbox home
    os.environ["CLOVER_SANDBOX_HOME"] = str(clean_env / "sandbox-home")
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


# -- a sandbox that is not there, and the one a running lab keeps --------------------------


def dead_url() -> str:
    """A loopback address nothing listens at (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_a_sandbox_url_nothing_answers_at_names_the_url_and_the_fix(clean_env: Path) -> None:
    url = dead_url()
    os.environ["CLOVER_SANDBOX_URL"] = url
    with pytest.raises(CannotConnectError) as caught:
        connect()
    error = caught.value
    assert isinstance(error, APIConnectionError)
    assert str(error).startswith(f"nothing answers at {url} (connection refused)")
    for fix in ("python3 kit.py lab", "python -m helpers.sandbox", "CLOVER_SANDBOX_URL"):
        assert fix in str(error)
    assert error.url == url and "refused" in error.reason.lower()
    assert error.__cause__ is None and error.__context__ is None  # no httpx traceback


def test_a_script_shows_one_line_and_no_httpx_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOVER_")}
    env["CLOVER_SANDBOX_URL"] = dead_url()
    done = subprocess.run(
        [sys.executable, "-c", "import helpers; helpers.connect()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("helpers.clover.errors.CannotConnectError: nothing answers at "), last
    for raw in ("httpx", "httpcore", "direct cause", "During handling"):
        assert raw not in done.stderr, done.stderr


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_clients_turn_a_refused_connection_into_the_same_message(mode: str) -> None:
    url = dead_url()
    options: dict[str, Any] = {"retries": NO_RETRIES, "requests_per_second": None}

    async def charge_async() -> None:
        async with AsyncCloverClient(Environment.local(url), "k", **options) as client:
            await client.create_charge(100, "clv_abc", idempotency_key="kept")

    with pytest.raises(CannotConnectError) as caught:
        if mode == "sync":
            with CloverClient(Environment.local(url), "k", **options) as client:
                client.create_charge(100, "clv_abc", idempotency_key="kept")
        else:
            asyncio.run(charge_async())
    error = caught.value
    assert str(error).startswith(f"nothing answers at {url} (connection refused)")
    assert "python3 kit.py lab" in str(error)
    assert error.idempotency_key == "kept" and error.__cause__ is None


def test_on_clovers_hosts_the_fix_is_the_network_not_a_sandbox() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    client = CloverClient(
        ENVIRONMENTS["sandbox"],
        "k",
        api_access_key="pub",
        transport=httpx.MockTransport(refuse),
        retries=NO_RETRIES,
        requests_per_second=None,
    )
    with client, pytest.raises(CannotConnectError) as caught:
        client.get_charge("X")
    text = str(caught.value)
    assert text.startswith("nothing answers at https://scl-sandbox.dev.clover.com (unknown host)")
    assert "network" in text and "kit.py" not in text


@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ReadError])
def test_refused_connections_and_lost_answers_keep_their_retries(
    failure: type[httpx.TransportError],
) -> None:
    """Refused: nothing was sent, retried as before. Lost after sending: an
    APIConnectionError chained to the transport's error, retried only with the key."""
    attempts: list[str | None] = []

    def fail(request: httpx.Request) -> httpx.Response:
        attempts.append(request.headers.get("idempotency-key"))
        raise failure("gone", request=request)

    policy = RetryPolicy(max_retries=2, initial_backoff=0.0, jitter=0.0)
    with (
        CloverClient(
            Environment.local("http://clover.test"),
            "k",
            transport=httpx.MockTransport(fail),
            retries=policy,
            requests_per_second=None,
        ) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.create_charge(100, "clv_abc", idempotency_key="same-key")
    assert attempts == ["same-key"] * 3
    if failure is httpx.ReadError:
        assert not isinstance(caught.value, CannotConnectError)
        assert isinstance(caught.value.__cause__, httpx.ReadError)
    else:
        assert isinstance(caught.value, CannotConnectError)


def test_connect_finds_the_sandbox_of_a_running_lab(
    clean_env: Path, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(helpers, "_local_sandbox", None)
    os.environ["CLOVER_SANDBOX_HOME"] = str(clean_env / "sandbox-home")
    written = remember_lab_sandbox(sandbox.url + "/")
    assert written.parent == clean_env / "sandbox-home"
    with connect() as client:
        assert client.environment.ecommerce_url == sandbox.url
        assert client.get_pakms_key().merchantUuid == client.merchant_id
    assert helpers._local_sandbox is None  # none started in this process
    forget_lab_sandbox("http://elsewhere:1")  # another lab's URL: the file stays
    assert written.exists()
    forget_lab_sandbox(sandbox.url)
    assert not written.exists()


def test_a_stale_lab_file_or_an_empty_url_starts_a_sandbox_of_its_own(
    clean_env: Path, sandbox: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(helpers, "_local_sandbox", None)
    os.environ["CLOVER_SANDBOX_HOME"] = str(clean_env / "sandbox-home")
    remember_lab_sandbox(dead_url())  # a lab killed without cleaning up
    assert lab_sandbox_url() is None
    try:
        with connect() as client:
            own = helpers._local_sandbox
            assert own is not None and client.environment.ecommerce_url == own.url
        said = capsys.readouterr().err  # not asked for, so it says where and for how long
        assert f"started inside this process at {own.url}" in said and "kit.py lab" in said
        remember_lab_sandbox(sandbox.url)  # a live lab, but the suite's empty URL wins
        os.environ["CLOVER_SANDBOX_URL"] = ""
        with connect() as client:
            assert client.environment.ecommerce_url == own.url != sandbox.url
        assert capsys.readouterr().err == ""  # the same sandbox reused: said once only
    finally:
        if helpers._local_sandbox is not None:
            helpers._local_sandbox.stop()


def test_local_controls_and_merchant_list_name_the_fix_when_nothing_answers() -> None:
    """The learner's aids that talk to the sandbox outside the client say what to do too."""
    import socket

    from helpers.clover.errors import CannotConnectError
    from helpers.clover.settings import local_merchants
    from helpers.notebook.local_controls import LocalSandbox

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(CannotConnectError, match=r"kit\.py lab") as listed:
        local_merchants(url)
    assert listed.value.__cause__ is None and listed.value.__context__ is None
    controls = LocalSandbox(url, "PNWDC0FFEE001")
    with pytest.raises(CannotConnectError, match=rf"127\.0\.0\.1:{port}"):
        controls.reset()
