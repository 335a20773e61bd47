#!/usr/bin/env python3
"""The kit's two commands, each doing all of its own set-up on a fresh machine.

    python3 kit.py lab    JupyterLab on the notebook index, with the local Clover sandbox
    python3 kit.py test   the whole test suite, notebooks included

Both create `.venv` and install the pinned requirements and `helpers` the first time, and
again whenever requirements.txt or pyproject.toml change. Only Python 3.11+ is needed.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".kit-installed"
SANDBOX_PORT = int(os.environ.get("CLOVER_SANDBOX_PORT", "8765"))
SANDBOX_SEED = os.environ.get("CLOVER_SANDBOX_SEED", "2026")
# As binder/start does: the sandbox keeps its objects across restarts, under the home folder.
SANDBOX_HOME = Path(os.environ.get("CLOVER_SANDBOX_HOME") or Path.home() / ".clover-sandbox")


def say(message: str) -> None:
    print(f"[kit] {message}", flush=True)


def install() -> None:
    """Create the virtual environment and install the pins, unless already current."""
    wanted = hashlib.sha256(
        (ROOT / "requirements.txt").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        say(f"creating a virtual environment in {VENV.name}/")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say("installing the pinned requirements and helpers (the first time takes a few minutes)")
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-r", str(ROOT / "requirements.txt")], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    STAMP.write_text(wanted)


def start_sandbox() -> tuple[subprocess.Popen[str], str]:
    """The local sandbox as a child process; returns it and the URL it printed."""
    sys.path.insert(0, str(ROOT))  # helpers.sandbox.process is stdlib only
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


def lab(extra: list[str]) -> int:
    install()
    sandbox, url = start_sandbox()
    env = {**os.environ, "CLOVER_SANDBOX_URL": url}
    command = [
        str(PYTHON),
        "-m",
        "jupyter",
        "lab",
        "--ServerApp.root_dir",
        str(ROOT),
        "notebooks/00_welcome.ipynb",
        *extra,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    try:
        return subprocess.run(command, env=env, cwd=ROOT).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        sandbox.send_signal(signal.SIGINT)
        sandbox.wait(timeout=10)


def test(extra: list[str]) -> int:
    install()
    # tests/conftest.py points every test and notebook kernel at a fresh local sandbox.
    return subprocess.run([str(PYTHON), "-m", "pytest", *extra], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    commands = {"lab": lab, "test": test}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
