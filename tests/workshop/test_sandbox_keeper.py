"""kit.py's SandboxKeeper on its own, without JupyterLab: it writes down where its sandbox
is (and tells the learner how a script reaches it), notices the sandbox died, says so,
starts it again on the same address, and cleans up when the lab stops."""

from __future__ import annotations

import importlib.util
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from helpers.lab import LAB_SANDBOX_FILE, lab_sandbox_url

from .conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """kit.py as a module, its sandbox on a free port, its state in a private folder."""
    spec = importlib.util.spec_from_file_location("kit_under_test", ROOT / "kit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "PYTHON", Path(sys.executable))
    monkeypatch.setattr(module, "SANDBOX_PORT", free_port())
    monkeypatch.setattr(module, "SANDBOX_HOME", tmp_path / "sandbox-home")
    monkeypatch.setenv("CLOVER_SANDBOX_HOME", str(tmp_path / "sandbox-home"))
    yield module


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_sandbox/health", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def test_the_keeper_says_where_its_sandbox_is_and_restarts_it(
    kit: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    keeper = kit.SandboxKeeper()
    try:
        url = keeper.url
        assert url == f"http://127.0.0.1:{kit.SANDBOX_PORT}"
        assert f"reach this sandbox with CLOVER_SANDBOX_URL={url} " in capsys.readouterr().out
        assert (kit.SANDBOX_HOME / LAB_SANDBOX_FILE).read_text().strip() == url
        assert lab_sandbox_url() == url  # what connect() finds

        first = keeper.process
        first.kill()
        first.wait(timeout=10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (keeper.process is not first and healthy(url)):
            time.sleep(0.2)
        assert keeper.process is not first and healthy(url), "not restarted within 30 s"
        said = capsys.readouterr().out
        assert "the sandbox stopped (exit code -9); starting it again" in said
        assert f"the sandbox is back at {url}" in said
        assert lab_sandbox_url() == url
    finally:
        keeper.stop()
    assert keeper.process.poll() is not None
    assert not (kit.SANDBOX_HOME / LAB_SANDBOX_FILE).exists()
    assert lab_sandbox_url() is None


def test_a_keeper_told_the_lab_is_stopping_starts_nothing_again(
    kit: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl+C, or a `kill` of the lab's process group, reaches the sandbox as well as kit.py:
    kit.py tells its keeper first, and a sandbox that stops then stays stopped (the keeper
    used to start it again while Jupyter shut down, for nothing)."""
    keeper = kit.SandboxKeeper()
    try:
        first = keeper.process
        keeper.stop_watching()
        keeper._watcher.join(timeout=10)
        assert not keeper._watcher.is_alive()  # it looks no more
        first.terminate()
        first.wait(timeout=10)
        assert keeper.process is first
        assert "starting it again" not in capsys.readouterr().out
    finally:
        keeper.stop()
    assert not (kit.SANDBOX_HOME / LAB_SANDBOX_FILE).exists()
