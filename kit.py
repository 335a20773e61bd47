#!/usr/bin/env python3
"""The kit's commands, each doing all of its own set-up on a fresh machine.

    python3 kit.py lab    JupyterLab on the notebook index, with the local Clover sandbox
    python3 kit.py test   lint and types (as `check`), then the whole test suite, notebooks included
    python3 kit.py check  lint and types only: ruff, ruff format, mypy, the import contracts
    python3 kit.py site   the course as a website, in _build/site/ (notebooks and docs)

`python3 kit.py lab --help` (and `test --help`, `site --help`) says more about each.

Each creates `.venv` and installs its lock and `helpers` the first time, and again whenever
the lock or pyproject.toml changes: `lab` requirements.txt, `test` and `site`
requirements-test.txt (the same pins, the test tools and the site's). They install with
uv, fetched into `.venv` as a wheel, or with pip when uv cannot be had. Only Python 3.11+
is needed.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # for helpers.sandbox.process and helpers.lab: stdlib only
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
UV = BIN / ("uv.exe" if os.name == "nt" else "uv")
PIP = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
STAMP = VENV / ".kit-installed"
# What each command installs: tools/lock.py writes both locks from pyproject.toml.
LOCKS = {"lab": ROOT / "requirements.txt", "test": ROOT / "requirements-test.txt"}
UV_REQUIREMENT = "uv>=0.13,<0.14"
# The packages of the editable install (pyproject.toml's packages.find)
OWN_PACKAGES = ("helpers", "shop")
WELCOME = "/lab/tree/notebooks/00_welcome.ipynb"
SANDBOX_PORT = int(os.environ.get("CLOVER_SANDBOX_PORT", "8765"))
SANDBOX_SEED = os.environ.get("CLOVER_SANDBOX_SEED", "2026")
# As binder/start does: the sandbox keeps its objects across restarts, under the home folder.
SANDBOX_HOME = Path(os.environ.get("CLOVER_SANDBOX_HOME") or Path.home() / ".clover-sandbox")


def say(message: str) -> None:
    print(f"[kit] {message}", flush=True)


def install(purpose: str) -> None:
    """Create the virtual environment and install a lock, unless it is already current.

    The lab needs requirements.txt; the tests need requirements-test.txt, the same pins and
    the test tools (tools/lock.py makes both from pyproject.toml), so after `test` the lab
    needs nothing more. uv installs them in seconds; pip is the fallback when uv cannot be
    had, and the kit says which it used.
    """
    locks = [LOCKS["test"]] if purpose == "test" else [LOCKS["lab"], LOCKS["test"]]
    installed = STAMP.read_text().strip() if STAMP.exists() else ""
    if any(installed == _lock_digest(lock) for lock in locks):
        return
    lock = locks[0]
    if not PYTHON.exists():
        say(f"creating a virtual environment in {VENV.name}/")
        # without pip: uv installs everything, and pip comes only if uv cannot be had
        venv.EnvBuilder(with_pip=False).create(VENV)
    started = time.monotonic()
    uv = _bootstrap_uv()
    if uv is not None:
        say(f"installing {lock.name} and helpers with uv")
        # one command, so the lock's downloads and helpers' editable build overlap; install,
        # not sync: what a learner added to .venv by hand stays. A lab's bytecode now, as pip
        # makes it: else each kernel and server compiles what it imports, again each time
        # where PYTHONDONTWRITEBYTECODE is set. The test suite writes only what it imports,
        # as it goes (conftest.py), which costs less than compiling all at set-up.
        command = [uv, "pip", "install", "--quiet", "--python", str(PYTHON)]
        if purpose == "lab":
            command.insert(4, "--compile-bytecode")
        subprocess.run([*command, "-r", str(lock), "-e", str(ROOT)], check=True)
    else:
        say(f"installing {lock.name} and helpers with pip (a few minutes the first time)")
        _ensure_pip()
        subprocess.run([*PIP, "-r", str(lock)], check=True)
        subprocess.run([*PIP, "--no-deps", "-e", str(ROOT)], check=True)
    _compile_own_packages()
    say(f"installed in {time.monotonic() - started:.0f} s")
    STAMP.write_text(_lock_digest(lock))


def _compile_own_packages() -> None:
    """The kit's own packages' bytecode: the editable install leaves them in the project
    folder, where neither installer compiles. What a later edit makes stale, Python
    compiles again as usual."""
    import compileall

    for package in OWN_PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)


def _lock_digest(lock: Path) -> str:
    """What an install of ``lock`` depends on: the lock, and the package's own metadata."""
    digest = hashlib.sha256(lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes())
    return f"{lock.name} {digest.hexdigest()}"


def _bootstrap_uv() -> str | None:
    """uv inside the virtual environment, installed from the package index as a wheel if
    it is not there yet; None when that fails (offline mirror without uv, odd platform).

    The wheel is installed by the pip that Python bundles for ensurepip, run from its
    wheel file, as ensurepip itself runs it: installing pip into the environment first
    took longer than everything uv then does but the lock's own downloads."""
    if UV.exists():
        return str(UV)
    bundled = _bundled_pip()
    if bundled is None:
        _ensure_pip()
        result = subprocess.run([*PIP, UV_REQUIREMENT], capture_output=True, text=True)
    else:
        env = {**os.environ, "PYTHONPATH": str(bundled)}
        result = subprocess.run([*PIP, UV_REQUIREMENT], capture_output=True, text=True, env=env)
    if result.returncode != 0 or not UV.exists():
        reason = (result.stderr.strip().splitlines() or ["uv is not installable here"])[-1]
        say(f"uv could not be installed ({reason}); using pip instead")
        return None
    return str(UV)


def _bundled_pip() -> Path | None:
    """The pip wheel inside Python's ensurepip, if this Python has one."""
    try:
        import ensurepip
    except ImportError:
        return None
    wheels = sorted((Path(ensurepip.__file__).parent / "_bundled").glob("pip-*.whl"))
    return wheels[-1] if wheels else None


def _ensure_pip() -> None:
    """pip in the environment, for the fallback install (a .venv made without it)."""
    if subprocess.run([str(PYTHON), "-m", "pip", "--version"], capture_output=True).returncode:
        subprocess.run([str(PYTHON), "-m", "ensurepip", "--default-pip", "-q"], check=True)


def start_sandbox() -> tuple[subprocess.Popen[str], str]:
    """The local sandbox as a child process; returns it and the URL it printed."""
    from helpers.sandbox.process import SandboxDidNotStart, start_sandbox_process

    SANDBOX_HOME.mkdir(parents=True, exist_ok=True)
    try:
        return start_sandbox_process(
            python=PYTHON,
            port=SANDBOX_PORT,
            seed=SANDBOX_SEED,
            db=SANDBOX_HOME / "sandbox.db",
            on_banner=say,
        )
    except SandboxDidNotStart:
        sys.exit(
            f"[kit] the sandbox did not start (is port {SANDBOX_PORT} in use? "
            "set CLOVER_SANDBOX_PORT to another port)"
        )


class SandboxKeeper:
    """Keeps the lab's sandbox up: if it dies (a crash, a kill, a learner's stray command),
    it says so and starts it again on the same port and database, so the notebooks' address
    stays good and nothing acknowledged is lost. Five restarts in a minute, and it gives up.

    While it runs, the sandbox's URL is written in its state folder (helpers/lab.py), where
    connect() in a script started beside the lab finds it."""

    def __init__(self) -> None:
        from helpers.lab import remember_lab_sandbox

        self.process, self.url = start_sandbox()
        self._stopping = threading.Event()
        self._restarts: list[float] = []
        remember_lab_sandbox(self.url, SANDBOX_HOME)
        say(
            f"from a script or a terminal, reach this sandbox with CLOVER_SANDBOX_URL={self.url} "
            "(while the lab runs, connect() finds it by itself)"
        )
        self._watcher = threading.Thread(target=self._watch, name="sandbox-keeper", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        while not self._stopping.wait(1.0):
            code = self.process.poll()
            if code is None or self._stopping.is_set():
                continue
            now = time.monotonic()
            self._restarts = [at for at in self._restarts if now - at < 60] + [now]
            if len(self._restarts) > 5:
                say("the sandbox keeps stopping; not starting it again (see its output above)")
                return
            say(f"the sandbox stopped (exit code {code}); starting it again")
            try:
                self.process, url = start_sandbox()
            except SystemExit as failure:
                say(str(failure))
                continue
            say(f"the sandbox is back at {url}, with the objects it had")

    def stop_watching(self) -> None:
        """The lab is stopping: a sandbox that stops now (Ctrl+C or a `kill` of the whole
        group reaches it too) is not started again."""
        self._stopping.set()

    def stop(self) -> None:
        from helpers.lab import forget_lab_sandbox

        self.stop_watching()
        self._watcher.join(timeout=5)
        forget_lab_sandbox(self.url, SANDBOX_HOME)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=10)


def lab(extra: list[str]) -> int:
    install("lab")
    sandbox = SandboxKeeper()
    env = {**os.environ, "CLOVER_SANDBOX_URL": sandbox.url}
    command = [
        str(PYTHON),
        "-m",
        "jupyter",
        "lab",
        "--ServerApp.root_dir",
        str(ROOT),
        # the welcome notebook in the browser it opens and in every URL it prints
        f"--LabApp.default_url={WELCOME}",
        *extra,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    jupyter = subprocess.Popen(command, env=env, cwd=ROOT)
    # A `kill` (SIGTERM) or a closed terminal (SIGHUP) stops the lab as Ctrl+C does: without
    # this, kit.py died at once and left the sandbox running on its port.
    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _interrupt)
    try:
        return jupyter.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        # before waiting for Jupyter: the keeper restarted the sandbox the signal had
        # stopped, a start for nothing, killed a moment later (or left running)
        sandbox.stop_watching()
        _stop(jupyter)
        sandbox.stop()


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ask a child to stop (Ctrl+C has already reached it in a terminal); kill it if it
    has not stopped in 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


LINT_IMPORTS = "from importlinter.cli import lint_imports_command as c; c()"
# What `check` runs, each a tool configured in pyproject.toml; any failure fails the step.
CHECKS = {
    "ruff": ["-m", "ruff", "check", "."],
    "ruff format": ["-m", "ruff", "format", "--check", "."],
    "mypy": ["-m", "mypy"],
    "import contracts": ["-c", LINT_IMPORTS, "--no-cache"],
}


def check(_extra: list[str]) -> int:
    """Lint and types, a step of its own before the tests (not tests inside pytest):
    each tool says what it found, and the step fails if any of them failed."""
    install("test")
    failed = []
    for name, arguments in CHECKS.items():
        started = time.monotonic()
        result = subprocess.run([str(PYTHON), *arguments], cwd=ROOT)
        outcome = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
        say(f"{name}: {outcome} in {time.monotonic() - started:.1f} s")
        if result.returncode != 0:
            failed.append(name)
    if failed:
        say(f"the check failed: {', '.join(failed)}")
    return 1 if failed else 0


def test(extra: list[str]) -> int:
    """`check`, then pytest on every core (pyproject's addopts); both run, and either
    failing fails the command, so CI's one command is red on a lint error too."""
    checked = check([])
    # tests/conftest.py points every test and notebook kernel at a fresh local sandbox.
    tested = subprocess.run([str(PYTHON), "-m", "pytest", *extra], cwd=ROOT).returncode
    return tested or checked


LAB_HELP = f"""python3 kit.py lab [JUPYTERLAB OPTIONS]

Installs requirements.txt into .venv the first time, starts the local Clover sandbox, then
JupyterLab on notebooks/00_welcome.ipynb. Ctrl+C stops both.

  sandbox     http://127.0.0.1:{SANDBOX_PORT} (CLOVER_SANDBOX_PORT to move it), its objects kept in
              {SANDBOX_HOME} (CLOVER_SANDBOX_HOME); started again if it stops
  JupyterLab  port 8888, or the next free one if 8888 is taken: open the URL it prints
              (--port 8890 to choose one)
  reset       LocalSandbox(clover).reset() in a notebook, or stop the lab and delete
              {SANDBOX_HOME}
  the shop    in a second terminal: .venv/bin/python -m shop --port 8000

Options after `lab` go to JupyterLab (`.venv/bin/jupyter lab --help` lists them).
"""

TEST_HELP = """python3 kit.py test [PYTEST OPTIONS]

Installs requirements-test.txt into .venv the first time, runs `check` (lint and types),
then pytest on the whole suite on every core, notebooks included; every test and notebook
gets a fresh local sandbox of its own. Either failing fails the command. A quick loop:
`.venv/bin/python -m pytest -m "not slow"`; `-n0` runs one test at a time (for pdb).
Options after `test` go to pytest, e.g. `python3 kit.py test -x tests/test_style.py`
(`.venv/bin/python -m pytest --help` lists them).
"""

CHECK_HELP = """python3 kit.py check

Installs requirements-test.txt into .venv the first time, then runs ruff, ruff format
--check, mypy and the import contracts (all configured in pyproject.toml); fails if any fails.
"""

SITE_HELP = """python3 kit.py site [--out DIR] [--repository OWNER/REPO] [--ref TAG]

Installs requirements-test.txt into .venv the first time, then builds the course as a
static website in _build/site/ (open _build/site/index.html): the committed notebooks with
their outputs, and the docs pages, each lesson with a "launch on Binder" link to
OWNER/REPO at TAG. Offline; fails on a broken internal link or anchor.
"""

HELP_FLAGS = {"-h", "--help", "help"}


def site(extra: list[str]) -> int:
    install("test")  # the site's tools (Sphinx, MyST-NB) are in the test lock, not the learner's
    return subprocess.run([str(PYTHON), "tools/build_site.py", *extra], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    commands = {"lab": lab, "test": test, "check": check, "site": site}
    if argv and argv[0] in HELP_FLAGS:
        print(__doc__)
        return 0
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    # the kit's own help, before anything is installed or started
    if HELP_FLAGS.intersection(argv[1:]):
        print({"lab": LAB_HELP, "test": TEST_HELP, "check": CHECK_HELP, "site": SITE_HELP}[argv[0]])
        return 0
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
