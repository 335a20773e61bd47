"""``python3 kit.py lab`` as a learner meets it: the URLs it prints open the welcome
notebook, and a sandbox that dies is started again on the same port and database."""

from __future__ import annotations

import re
import signal
import time

import psutil

from .conftest import Lab


def sandbox_process(lab: Lab) -> psutil.Process:
    for child in psutil.Process(lab.process.pid).children(recursive=True):
        try:
            if "helpers.sandbox" in " ".join(child.cmdline()):
                return child
        except psutil.Error:
            continue
    raise AssertionError("kit.py lab runs no sandbox")


def test_every_url_it_prints_opens_the_welcome_notebook(laptop_lab: Lab) -> None:
    printed = re.findall(r"http://\S+\?token=\S+", laptop_lab.log.read_text())
    assert printed, laptop_lab.log.read_text()[-2000:]
    assert all("/lab/tree/notebooks/00_welcome.ipynb?token=" in url for url in printed), printed


def test_a_killed_sandbox_is_started_again_and_keeps_its_objects(laptop_lab: Lab) -> None:
    status, before = laptop_lab.get("clover-sandbox/_sandbox/merchants")
    assert status == 200, before
    first = sandbox_process(laptop_lab)
    first.kill()
    first.wait(timeout=10)
    deadline = time.monotonic() + 30
    status = 0
    while time.monotonic() < deadline:
        status, _ = laptop_lab.get("clover-sandbox/_sandbox/health")
        if status == 200:
            break
        time.sleep(0.2)
    assert status == 200, "the sandbox did not come back within 30 s"
    assert sandbox_process(laptop_lab).pid != first.pid
    assert laptop_lab.get("clover-sandbox/_sandbox/merchants") == (200, before)
    said = laptop_lab.log.read_text()
    assert "the sandbox stopped (exit code -9); starting it again" in said
    assert "the sandbox is back at http://127.0.0.1:" in said


def test_it_prints_how_a_script_reaches_its_sandbox(laptop_lab: Lab) -> None:
    said = laptop_lab.log.read_text()
    printed = re.search(r"reach this sandbox with CLOVER_SANDBOX_URL=(http://\S+) ", said)
    assert printed, said[-2000:]
    written = laptop_lab.root.parent / "sandbox-home" / "lab-sandbox-url"
    assert written.read_text().strip() == printed.group(1)  # where connect() looks
    status, _ = laptop_lab.get("clover-sandbox/_sandbox/health")
    assert status == 200


def test_a_lab_told_to_stop_stops_its_sandbox_too(laptop_lab: Lab) -> None:
    """Last in this module: it ends the lab. A `kill` of kit.py alone (SIGTERM; a closed
    terminal sends SIGHUP the same way) once left the sandbox running on its port."""
    sandbox = sandbox_process(laptop_lab)
    laptop_lab.process.send_signal(signal.SIGTERM)
    code = laptop_lab.process.wait(timeout=30)
    try:
        sandbox.wait(timeout=15)
    except psutil.TimeoutExpired:
        raise AssertionError("kit.py lab stopped, its sandbox still runs") from None
    assert code == 0, laptop_lab.log.read_text()[-3000:]  # a stop asked for, not a crash
