"""Time from `python3 kit.py lab` to JupyterLab answering, against a bare `jupyter lab`.

    .venv/bin/python benchmarks/lab_start.py [--runs 3]

`.venv` must be installed already (this times a start, not an install). Each run starts the
command on free ports with private Jupyter and sandbox folders, polls `/api/status` until
it answers 200, then stops the process group. kit.py's runs also say when its sandbox was
written down (helpers/lab.py), i.e. when the sandbox answered. The runs alternate, so that
the machine's load weighs on both alike; the 1-minute load average is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUIET = [
    "--ServerApp.open_browser=False",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def one_start(kit: bool) -> tuple[float, float | None]:
    """Seconds until JupyterLab answers, and (kit only) until the sandbox was written down."""
    work = Path(tempfile.mkdtemp())
    port, token = free_port(), secrets.token_hex(8)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOVER_")}
    env.update(
        CLOVER_SANDBOX_PORT=str(free_port()),
        CLOVER_SANDBOX_HOME=str(work / "home"),
        JUPYTER_RUNTIME_DIR=str(work / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(work / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(work / "workspaces"),
    )
    options = [f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", *QUIET]
    if kit:
        command = [sys.executable, str(ROOT / "kit.py"), "lab", *options]
    else:
        command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={ROOT}", *options]
    if not kit and hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    written = work / "home" / "lab-sandbox-url"
    with (work / "log").open("wb") as log:
        began = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    sandbox: float | None = None
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[1]} ended: {(work / 'log').read_text()[-2000:]}")
            if kit and sandbox is None and written.exists():
                sandbox = time.perf_counter() - began
            try:
                url = f"http://127.0.0.1:{port}/api/status?token={token}"
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - began, sandbox
            except OSError:
                pass
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    kit_times: list[float] = []
    sandbox_times: list[float] = []
    bare_times: list[float] = []
    for run in range(1, runs + 1):
        load = os.getloadavg()[0]
        lab, sandbox = one_start(kit=True)
        bare, _ = one_start(kit=False)
        kit_times.append(lab)
        bare_times.append(bare)
        if sandbox is not None:
            sandbox_times.append(sandbox)
        print(
            f"run {run}: kit.py lab {lab:.1f} s (sandbox up at {sandbox or float('nan'):.1f} s), "
            f"bare jupyter lab {bare:.1f} s; load average {load:.2f} on {os.cpu_count()} cores",
            flush=True,
        )
    kit_median, bare_median = statistics.median(kit_times), statistics.median(bare_times)
    print(
        f"median: kit.py lab {kit_median:.1f} s to JupyterLab answering "
        f"(its sandbox up at {statistics.median(sandbox_times):.1f} s), "
        f"bare jupyter lab {bare_median:.1f} s: {kit_median / bare_median:.2f}x"
    )


if __name__ == "__main__":
    main()
