"""A real JupyterHub class on this machine: learners log in, open notebook 01 and pay.

The hub is set up as docs/instructors.md's shared-environment option describes: the kit
installed once, each learner's home holding a copy of the notebooks, a single-user
JupyterLab per learner (SimpleLocalProcessSpawner: processes of the hub's own user, homes
of their own), a dummy authenticator, and npm's configurable-http-proxy in front. Nothing
else is configured for the kit: each notebook kernel starts its own sandbox and the card
fields reach it through ``/user/<name>/proxy/<port>/``.

Used by tests/workshop/test_real_hub.py (3 learners) and benchmarks/hub_class.py (more).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from tests.chromium import launched

from . import notebook
from .conftest import ARTIFACTS, QUIET_LAB, Browsing, Lab, free_port, lab_environment

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "notebooks/01_iframe_and_api_flow.ipynb"
PASSWORD = "workshop"  # the dummy authenticator's shared password, as a workshop hands out
# Cards that approve and are not the one the notebook tokenizes by itself (4242...).
CARDS = [
    ("6011361000006668", "12/30", "123", "10001", "DISCOVER", "6668"),
    ("3566002020360505", "11/31", "321", "94105", "JCB", "0505"),
    ("5204245250003294", "10/32", "456", "60601", "MC", "3294"),
    ("4000056655665556", "09/33", "789", "73301", "VISA", "5556"),
]

CONFIG = """\
import shutil
from pathlib import Path

c = get_config()  # noqa: F821  (JupyterHub's config loader provides it)
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = {work!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {work!r} + "/hub.sqlite"
c.JupyterHub.cookie_secret_file = {work!r} + "/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {work!r} + "/homes/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.environment = {environment!r}


def copy_notebooks(spawner):
    # what nbgitpuller does on a real hub: the notebooks in the learner's home
    home = Path({work!r}) / "homes" / spawner.user.name
    if not (home / "notebooks").exists():
        shutil.copytree({notebooks!r}, home / "notebooks",
                        ignore=shutil.ignore_patterns("exercises", ".ipynb_checkpoints"))


c.Spawner.pre_spawn_hook = copy_notebooks
"""


@dataclass
class Hub:
    """A running JupyterHub: its public address, its folder and how to stop it."""

    origin: str
    work: Path
    log: Path
    process: subprocess.Popen[bytes]

    def home(self, name: str) -> Path:
        return self.work / "homes" / name

    def lab(self, name: str) -> Lab:
        """The learner's JupyterLab as the notebook driver sees it (the login is a cookie)."""
        return Lab(self.origin, f"/user/{name}/", "", self.home(name), self.log, self.process)

    def processes(self) -> dict[str, list[psutil.Process]]:
        """Each learner's processes (single-user server, kernels), by learner name."""
        found: dict[str, list[psutil.Process]] = {}
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            return found
        for child in children:
            with contextlib.suppress(psutil.Error):
                home = child.environ().get("HOME", "")
                if home.startswith(str(self.work / "homes")):
                    found.setdefault(Path(home).name, []).append(child)
        return found

    def stop(self) -> None:
        """The hub, its proxy, every single-user server and kernel: all of its session."""
        try:
            descendants = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            descendants = []
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        for child in descendants:
            with contextlib.suppress(psutil.Error):
                child.kill()


def proxy_command() -> str:
    """npm's configurable-http-proxy, which .ci/run installs; a clear reason when absent."""
    found = shutil.which("configurable-http-proxy")
    if found is None:
        raise FileNotFoundError(
            "configurable-http-proxy is not on PATH: `npm install -g configurable-http-proxy` "
            "(.ci/run does it)"
        )
    return found


def start_hub(work: Path, timeout: float = 90.0) -> Hub:
    """A JupyterHub on free loopback ports, configured as a workshop would; waits for it."""
    proxy_command()
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = ["--ServerApp.ip=127.0.0.1", *QUIET_LAB]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    environment = {  # every learner's own Jupyter folders, under their home
        "JUPYTERLAB_SETTINGS_DIR": "{home}/.jupyter/lab/user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "{home}/.jupyter/lab/workspaces",
    }
    config = CONFIG.format(
        port=port,
        hub_port=free_port(),
        proxy_api_port=free_port(),
        work=str(work),
        password=PASSWORD,
        singleuser=str(Path(sys.executable).parent / "jupyterhub-singleuser"),
        args=args,
        environment=environment,
        notebooks=str(ROOT / "notebooks"),
    )
    (work / "jupyterhub_config.py").write_text(config)
    log = work / "hub.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", "jupyterhub_config.py"],
            cwd=work,
            env=lab_environment(work),
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    hub = Hub(f"http://127.0.0.1:{port}", work, log, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited ({process.returncode}):\n{log.read_text()}")
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(f"{hub.origin}/hub/api/", timeout=5) as answer,
        ):
            if answer.status == 200 and "version" in json.loads(answer.read()):
                return hub
        time.sleep(0.25)
    hub.stop()
    raise RuntimeError(f"JupyterHub did not answer in {timeout:.0f} s:\n{log.read_text()}")


@contextlib.contextmanager
def learner_browser(browser: Any, hub: Hub) -> Iterator[Browsing]:
    """A browser tab that reaches the hub's address and nothing else, as on a real hub."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(60_000)
    requested: list[str] = []
    refused: list[str] = []
    context.on("request", lambda req: requested.append(req.url))

    def allowed(url: str) -> bool:
        return url.startswith(("blob:", "data:", hub.origin + "/"))

    def refuse(route: Any) -> None:
        refused.append(route.request.url)
        route.abort("addressunreachable")

    context.route(lambda url: not allowed(url), refuse)
    try:
        yield Browsing(context.new_page(), requested, refused)
    finally:
        context.close()


def log_in(page: Any, hub: Hub, name: str, timeout_ms: int = 180_000) -> None:
    """The hub's login form, then wait while the hub starts the learner's JupyterLab."""
    page.goto(f"{hub.origin}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"**/user/{name}/lab**", timeout=timeout_ms)


@dataclass
class LearnerRun:
    """What one learner did and how long it took, in seconds from the class's start."""

    name: str
    card: tuple[str, ...]
    logged_in: float = 0.0
    first_charge: float = 0.0
    refused: list[str] = field(default_factory=list)
    error: BaseException | None = None


def one_learner(hub: Hub, run: LearnerRun, started: float, ready: threading.Barrier) -> None:
    """A learner's afternoon, shortened: log in, open notebook 01, type a card, see it charged.

    Each learner has a browser of their own (Playwright's sync API belongs to one thread).
    """
    with launched() as browser, learner_browser(browser, hub) as browsing:
        ready.wait(timeout=120)  # every browser is up: the learners start together
        try:
            log_in(browsing.page, hub, run.name)
            run.logged_in = time.perf_counter() - started
            notebook.pay_in_the_notebook(browsing, hub.lab(run.name), NOTEBOOK, run.card)
            run.first_charge = time.perf_counter() - started
            run.refused = list(browsing.refused)
        except BaseException:
            ARTIFACTS.mkdir(exist_ok=True)
            with contextlib.suppress(Exception):
                browsing.page.screenshot(path=str(ARTIFACTS / f"hub-{run.name}.png"))
            raise


def run_class(hub: Hub, learners: int, prefix: str | None = None) -> list[LearnerRun]:
    """``learners`` learners at once, each with a card of their own; their runs, in order."""
    prefix = prefix or f"learner{secrets.token_hex(2)}"
    runs = [
        LearnerRun(f"{prefix}-{index + 1}", CARDS[index % len(CARDS)]) for index in range(learners)
    ]
    ready = threading.Barrier(learners)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=learners) as pool:
        futures = [pool.submit(one_learner, hub, run, started, ready) for run in runs]
        for run, future in zip(runs, futures, strict=True):
            try:
                future.result()
            except BaseException as error:
                run.error = error
    return runs
