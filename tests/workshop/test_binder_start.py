"""A Binder start, simulated step by step as repo2docker and BinderHub run it.

1. a fresh virtual environment, as repo2docker's Python build pack makes one from
   ``runtime.txt`` (binder/ has no requirements.txt, so repo2docker installs nothing more);
2. ``binder/postBuild`` runs from the project folder: the learner's lock with uv, helpers;
3. ``binder/start`` wraps ``jupyter lab`` under a hub's base URL;

and it ends when the sandbox answers through the Jupyter server's proxy. The durations of
the three steps are printed. The first step downloads every pinned package from the
package index, as Binder does, so this test runs only where that is expected: under CI, or
with ``KIT_BINDER_TEST=1``; elsewhere it is skipped with that reason.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import time
import venv
from pathlib import Path

import pytest

from .conftest import HUB_BASE, QUIET_LAB, ROOT, Lab, free_port, lab_environment, start_lab

pytestmark = pytest.mark.skipif(
    not (os.environ.get("CI") or os.environ.get("KIT_BINDER_TEST") == "1"),
    reason="installs every pin from the package index into a fresh environment; "
    "runs under CI or with KIT_BINDER_TEST=1",
)

PROJECT_FILES = [
    "binder",
    "helpers",
    "notebooks",
    "pyproject.toml",
    "README.md",
    "requirements.txt",
    "kit.py",
]


def copy_project(target: Path) -> Path:
    """What repo2docker copies into the image: the project, without local state."""
    target.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints", "*.db*")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=skip)
        else:
            shutil.copy2(source, target / name)
    return target


def test_a_simulated_binder_start_ends_with_the_sandbox_behind_the_proxy(tmp_path: Path) -> None:
    repo = copy_project(tmp_path / "repo")
    home = tmp_path / "home"
    home.mkdir()
    env_dir = tmp_path / "env"
    env = lab_environment(tmp_path, HOME=str(home))
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)
    env["CLOVER_SANDBOX_PORT"] = str(free_port())
    log = tmp_path / "build.log"

    def run(command: list[str]) -> None:
        with log.open("ab") as out:
            result = subprocess.run(
                command, cwd=repo, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        assert result.returncode == 0, f"{command} failed:\n{log.read_text()[-4000:]}"

    started = time.perf_counter()
    venv.EnvBuilder(with_pip=True).create(env_dir)
    installed = time.perf_counter()
    run(["bash", "binder/postBuild"])
    built = time.perf_counter()

    port, token = free_port(), secrets.token_hex(16)
    command = [
        "bash",
        "binder/start",
        "jupyter",
        "lab",
        f"--ServerApp.port={port}",
        f"--ServerApp.base_url={HUB_BASE}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.ip=127.0.0.1",
        *QUIET_LAB,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    sandbox_port = env["CLOVER_SANDBOX_PORT"]

    def sandbox_answers(lab: Lab) -> bool:
        status, _ = lab.get(f"proxy/{sandbox_port}/_sandbox/health")
        return status == 200

    lab = start_lab(
        command,
        env,
        cwd=repo,
        root=repo,
        port=port,
        token=token,
        base_url=HUB_BASE,
        log=tmp_path / "jupyter.log",
        ready=sandbox_answers,
    )
    answered = time.perf_counter()
    try:
        status, body = lab.get("clover-sandbox/_sandbox/health")
        assert status == 200, body
        status, body = lab.get("server-proxy/servers-info")
        entries = {s["name"]: s for s in json.loads(body)["server_processes"]}
        assert entries["clover-sandbox"]["launcher_entry"]["enabled"] is True
        status, body = lab.get(f"proxy/{sandbox_port}/sdk.js")
        assert status == 200 and b"Clover" in body
        assert (home / ".clover-sandbox" / "sandbox.db").is_file()
        # The kernels' Python is the fresh environment, with helpers installed by postBuild.
        prefix = subprocess.run(
            ["python", "-c", "import helpers, sys; print(sys.prefix)"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert Path(prefix.stdout.strip()) == env_dir, prefix.stderr
    finally:
        lab.stop()
    print(
        f"\nsimulated Binder start: a fresh environment {installed - started:.1f} s, "
        f"postBuild (uv install of requirements.txt, helpers, caches) {built - installed:.1f} s, "
        f"start to sandbox answering through the proxy {answered - built:.1f} s, "
        f"total {answered - started:.1f} s"
    )
