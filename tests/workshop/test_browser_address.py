"""Where the browser finds the local sandbox: direct on a laptop, through the proxy elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import Environment, connect
from helpers.notebook.browser_address import browser_url

SANDBOX = "http://127.0.0.1:8765"
SETTINGS = (
    "CLOVER_BROWSER_URL",
    "JUPYTERHUB_SERVICE_PREFIX",
    "JUPYTER_RUNTIME_DIR",
    "CLOVER_SANDBOX_URL",
    "CLOVER_ENV",
)


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty Jupyter runtime folder and none of the settings that steer the answer."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "runtime"
    folder.mkdir()
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(folder))
    yield folder


def server_file(folder: Path, pid: int, base_url: str = "/", hostname: str = "localhost") -> None:
    """What a Jupyter server writes about itself (token included, as the real one does)."""
    info = {
        "pid": pid,
        "base_url": base_url,
        "hostname": hostname,
        "port": 8888,
        "token": "secret-server-token",
        "url": f"http://{hostname}:8888{base_url}",
    }
    (folder / f"jpserver-{pid}.json").write_text(json.dumps(info))


def from_a_child(sandbox_url: str = SANDBOX) -> str:
    """``browser_url`` as a kernel sees it: from a process whose parent is this test."""
    code = (
        "import sys; from helpers.notebook.browser_address import browser_url; "
        "print(browser_url(sys.argv[1]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, sandbox_url],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ),
    )
    return result.stdout.strip()


def test_outside_jupyter_the_browser_uses_the_sandbox_itself(runtime: Path) -> None:
    assert browser_url(SANDBOX + "/") == SANDBOX
    server_file(runtime, pid=os.getpid() + 100_000)  # some other server, not an ancestor
    assert from_a_child() == SANDBOX


def test_a_laptop_jupyter_on_loopback_at_the_root_path_is_direct(runtime: Path) -> None:
    server_file(runtime, pid=os.getpid(), base_url="/", hostname="localhost")
    assert from_a_child() == SANDBOX


def test_a_jupyter_under_a_base_url_goes_through_its_proxy(runtime: Path) -> None:
    server_file(runtime, pid=os.getpid(), base_url="/user/learner/")
    assert from_a_child() == "/user/learner/proxy/8765"
    assert from_a_child("http://localhost:40123") == "/user/learner/proxy/40123"


def test_a_jupyter_listening_for_other_machines_goes_through_its_proxy(runtime: Path) -> None:
    # repo2docker's own command, `docker run -p 8888:8888 ...`: the browser is elsewhere.
    server_file(runtime, pid=os.getpid(), base_url="/", hostname="0.0.0.0")
    assert from_a_child() == "/proxy/8765"


def test_a_hub_prefix_is_enough(runtime: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada")
    assert browser_url(SANDBOX) == "/user/ada/proxy/8765"


def test_an_explicit_browser_url_wins(runtime: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada/")
    monkeypatch.setenv("CLOVER_BROWSER_URL", "https://workshop.example/sandbox/")
    assert browser_url(SANDBOX) == "https://workshop.example/sandbox"


def test_a_sandbox_not_on_loopback_is_used_as_it_is(
    runtime: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada/")
    assert browser_url("https://sandbox.internal.example:8443") == (
        "https://sandbox.internal.example:8443"
    )


def test_a_broken_runtime_file_is_ignored(runtime: Path) -> None:
    (runtime / f"jpserver-{os.getpid()}.json").write_text("{not json")
    assert from_a_child() == SANDBOX


def test_connect_on_a_hub_gives_the_widget_the_proxied_sdk(
    runtime: Path, monkeypatch: pytest.MonkeyPatch, sandbox: Any
) -> None:
    monkeypatch.setenv("CLOVER_SANDBOX_URL", sandbox.url)
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/learner/")
    port = sandbox.url.rsplit(":", 1)[1]
    with connect() as clover:
        assert clover.environment.ecommerce_url == sandbox.url  # the kernel stays on loopback
        assert clover.environment.sdk_url == f"/user/learner/proxy/{port}/sdk.js"
        assert f"/user/learner/proxy/{port}/sdk.js" in clover.describe()
        clover.get_pakms_key()


def test_pages_of_the_sandbox_open_at_the_browser_address() -> None:
    env = Environment.local(SANDBOX, browser_url="/user/learner/proxy/8765")
    assert env.for_browser(f"{SANDBOX}/demo/checkout?amount=100") == (
        "/user/learner/proxy/8765/demo/checkout?amount=100"
    )
    assert env.for_browser(SANDBOX) == "/user/learner/proxy/8765"
    assert env.for_browser("http://127.0.0.1:87650/x") == "http://127.0.0.1:87650/x"
    assert env.for_browser("https://pinewood-shop.example/done") == (
        "https://pinewood-shop.example/done"
    )
    direct = Environment.local(SANDBOX)
    assert direct.for_browser(f"{SANDBOX}/demo/checkout") == f"{SANDBOX}/demo/checkout"
