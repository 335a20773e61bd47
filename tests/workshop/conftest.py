"""A real JupyterLab, started by the test, driven by headless Chromium through Playwright.

Two set-ups, as learners meet them:

- ``laptop_lab``: the README's own command, ``python3 kit.py lab``, at the root path, with
  the kit's sandbox beside it; the browser may reach the sandbox directly.
- ``hub_lab``: ``jupyter lab`` under ``/user/learner/`` as a JupyterHub serves it, with no
  shared sandbox (each kernel starts its own); the browser reaches only Jupyter.

Each runs on a free port with token auth, over a copy of the notebooks (JupyterLab saves
what it runs; the project's notebooks stay untouched). The browser may reach nothing but
loopback. Chromium policy as in tests/browser: skipped without it, required under CI. A
failing test leaves a screenshot and the server's log in test-artifacts/.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil
import pytest

from tests.chromium import kept

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
HUB_BASE = "/user/learner/"
# Settings that would point the notebooks elsewhere than the sandbox under test.
FOREIGN = (
    "CLOVER_ENV",
    "CLOVER_SANDBOX_URL",
    "CLOVER_BROWSER_URL",
    "CLOVER_SANDBOX_HOME",
    "KIT_NO_FRONT_END",  # a lab under test has a page: lesson 01 must wait for the shopper
    "JUPYTERHUB_SERVICE_PREFIX",
    "JUPYTERHUB_API_TOKEN",
    "JUPYTER_CONFIG_DIR",
)
QUIET_LAB = [  # nothing from the internet: no news feed, no update check
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.expose_app_in_browser=True",
    "--ServerApp.open_browser=False",
    "--ServerApp.port_retries=0",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)


@dataclass
class Lab:
    """A running JupyterLab: where it answers and how to stop it."""

    origin: str
    base_url: str
    token: str
    root: Path
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"{self.origin}{self.base_url}"

    @property
    def port(self) -> int:
        return int(urlsplit(self.origin).port or 0)

    def get(self, path: str) -> tuple[int, bytes]:
        """GET a path under the base URL with the token, as a logged-in browser would."""
        request = urllib.request.Request(
            f"{self.url}{path}", headers={"Authorization": f"token {self.token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read()

    def stop(self) -> None:
        """End what this fixture started: its process group (Jupyter, the sandbox) and every
        descendant, kernels included (they run in sessions of their own)."""
        try:
            descendants = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            descendants = []
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=15)
                break
            except subprocess.TimeoutExpired:
                continue
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # a sandbox left behind
        for child in descendants:
            with contextlib.suppress(psutil.Error):
                child.kill()  # a kernel Jupyter did not shut down


def lab_environment(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a JupyterLab under test: private Jupyter folders, no foreign settings."""
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN}
    for name, sub in (
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
    ):
        env[name] = str(home / sub)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def start_lab(
    command: list[str],
    env: dict[str, str],
    *,
    cwd: Path,
    root: Path,
    port: int,
    token: str,
    base_url: str,
    log: Path,
    ready: Callable[[Lab], bool] | None = None,
    timeout: float = 120.0,
) -> Lab:
    """Start ``command`` in its own process group and wait until JupyterLab answers."""
    handle = log.open("wb")
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=handle,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    handle.close()
    lab = Lab(f"http://127.0.0.1:{port}", base_url, token, root, log, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited ({process.returncode}):\n{log.read_text()}")
        try:
            status, _ = lab.get("api/status")
        except OSError:
            status = 0
        if status == 200 and (ready is None or ready(lab)):
            return lab
        time.sleep(0.25)
    lab.stop()
    raise RuntimeError(f"JupyterLab did not answer in {timeout:.0f} s:\n{log.read_text()}")


def copy_notebooks(target: Path) -> Path:
    """The notebooks the tests open, in a folder of their own (JupyterLab writes to them)."""
    shutil.copytree(
        ROOT / "notebooks",
        target / "notebooks",
        ignore=shutil.ignore_patterns("exercises", ".ipynb_checkpoints"),
    )
    return target


@pytest.fixture(scope="module")
def laptop_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """``python3 kit.py lab`` as a learner runs it, on free ports and a private home.

    It runs in a copy of the project that shares the installed ``.venv``, so the notebooks
    JupyterLab saves are copies, and kit.py finds its requirements already installed.
    """
    work = tmp_path_factory.mktemp("laptop")
    root = copy_notebooks(work / "project")
    for name in ("kit.py", "requirements.txt", "requirements-test.txt", "pyproject.toml"):
        shutil.copyfile(ROOT / name, root / name)
    (root / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    # if kit.py lab reinstalls (a pyproject edited since the last install), its editable
    # install of this copy must still find the packages of the shared .venv
    for package in ("helpers", "shop"):
        (root / package).symlink_to(ROOT / package, target_is_directory=True)
    port, token = free_port(), secrets.token_hex(16)
    env = lab_environment(
        work, CLOVER_SANDBOX_PORT=str(free_port()), CLOVER_SANDBOX_HOME=str(work / "sandbox-home")
    )
    command = [
        sys.executable,
        str(root / "kit.py"),
        "lab",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        *QUIET_LAB,
    ]
    lab = start_lab(
        command,
        env,
        cwd=root,
        root=root,
        port=port,
        token=token,
        base_url="/",
        log=work / "jupyter.log",
    )
    yield lab
    lab.stop()


def start_hub_server(
    app: str, root: Path, env: dict[str, str], *, log: Path, extra: tuple[str, ...] = ()
) -> Lab:
    """``jupyter <app>`` ("lab" or "server") on a free port under the hub's base URL with a
    fresh token, as a hub's single-user server runs; waits until it answers."""
    port, token = free_port(), secrets.token_hex(16)
    quiet = QUIET_LAB if app == "lab" else [f for f in QUIET_LAB if f.startswith("--ServerApp")]
    command = [
        sys.executable,
        "-m",
        "jupyter",
        app,
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.port={port}",
        f"--ServerApp.base_url={HUB_BASE}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.ip=127.0.0.1",
        *extra,
        *quiet,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return start_lab(
        command, env, cwd=root, root=root, port=port, token=token, base_url=HUB_BASE, log=log
    )


def start_sandbox_in(env: dict[str, str], seed: int = 7) -> tuple[subprocess.Popen[bytes], str]:
    """`python -m helpers.sandbox` started with ``env`` as its whole environment (as
    binder/start starts it beside the server); its process and URL."""
    from helpers.sandbox.process import start_sandbox_process

    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return start_sandbox_process(seed=seed)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def hub_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab under a hub's base URL; each kernel starts its own sandbox."""
    work = tmp_path_factory.mktemp("hub")
    root = copy_notebooks(work / "root")
    # a private sandbox home: a learner's running `kit.py lab` must not be found there
    env = lab_environment(work, CLOVER_SANDBOX_HOME=str(work / "sandbox-home"))
    lab = start_hub_server("lab", root, env, log=work / "jupyter.log")
    yield lab
    lab.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Chromium for one module, kept running for the next module that asks for one, as
    tests/browser's: Playwright's sync API keeps an event loop running while it lives, and
    under xdist a worker goes on to other files whose tests call asyncio.run() (a
    session-wide browser broke them: "cannot be called from a running event loop"), so
    conftest.py closes it before any test that needs no browser (tests/chromium.py)."""
    with kept() as browser:
        yield browser


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@dataclass
class Browsing:
    """A browser tab and every URL it asked for, with what was refused."""

    page: Any
    requested: list[str]
    refused: list[str]


def open_browser(
    chromium: Any, request: pytest.FixtureRequest, allowed: Callable[[str], bool]
) -> Iterator[Browsing]:
    """A fresh context that may reach only ``allowed`` URLs; a screenshot if the test fails."""
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(30_000)
    requested: list[str] = []
    refused: list[str] = []
    context.on("request", lambda req: requested.append(req.url))

    def refuse(route: Any) -> None:
        refused.append(route.request.url)
        route.abort("addressunreachable")

    context.route(lambda url: not allowed(url), refuse)
    page = context.new_page()
    yield Browsing(page, requested, refused)
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = artifact_name(request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # the page may be the thing that broke
            request.node.add_report_section("teardown", "screenshot", f"not saved: {exc}")
        for lab_name in ("laptop_lab", "hub_lab"):
            if lab_name in request.fixturenames:
                lab = request.getfixturevalue(lab_name)
                shutil.copyfile(lab.log, ARTIFACTS / f"{name}.jupyter.log")
    context.close()


def loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host in ("127.0.0.1", "localhost", "::1") or url.startswith(("blob:", "data:"))
