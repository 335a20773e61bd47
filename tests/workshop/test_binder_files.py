"""binder/ as repo2docker reads it, binder/start on its own, and the sandbox's proxy entry."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from helpers.sandbox.local import jupyter_proxy
from tests.test_locks import pins

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
VENV_BIN = Path(sys.executable).parent


def test_the_proxy_is_a_version_without_known_advisories() -> None:
    # GHSA-w3vc-fx9p-wp4v (unauthenticated websockets) was fixed in 4.1.1 and
    # GHSA-fvcq-4x64-hqxr (reflected XSS on /proxy) in 4.2.0: the last published ones.
    (version,) = pins(ROOT / "requirements.txt")["jupyter-server-proxy"]
    major, minor, *_ = (int(part) for part in version.split("."))
    assert (major, minor) >= (4, 2), version


def test_binder_runs_python_3_12() -> None:
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.12"


@pytest.mark.parametrize("name", ["postBuild", "start"])
def test_binder_scripts_are_strict_executable_bash(name: str) -> None:
    script = BINDER / name
    assert os.access(script, os.X_OK), f"binder/{name} must be executable"
    text = script.read_text()
    assert text.startswith("#!/bin/bash\n")
    assert re.search(r"(?m)^set -e", text), f"binder/{name} must stop at the first failure"
    subprocess.run(["bash", "-n", str(script)], check=True)


def test_postbuild_installs_the_helpers_package() -> None:
    assert re.search(r"pip install .*-e \.$", (BINDER / "postBuild").read_text(), re.M)


def test_postbuild_installs_the_learners_lock_with_the_uv_kit_py_uses() -> None:
    """repo2docker pip-installs a binder/requirements.txt before postBuild: there is none, so
    the one install is postBuild's, with uv, of the same lock `kit.py lab` installs."""
    import kit

    assert not (BINDER / "requirements.txt").exists()
    text = (BINDER / "postBuild").read_text()
    assert f'-q "{kit.UV_REQUIREMENT}"' in text  # the uv kit.py bootstraps
    assert re.search(r"(?m)^python -m uv pip install .*-r requirements\.txt$", text)
    assert kit.LOCKS["lab"] == ROOT / "requirements.txt"


def test_start_hands_over_to_its_command() -> None:
    lines = [line for line in (BINDER / "start").read_text().splitlines() if line.strip()]
    assert lines[-1] == 'exec "$@"'


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run_start(tmp_path: Path, port: int, command: list[str]) -> subprocess.CompletedProcess[str]:
    """binder/start around ``command``, in a session of its own so the sandbox can be ended."""
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "CLOVER_SANDBOX_PORT": str(port),
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("CLOVER_SANDBOX_URL", None)
    env.pop("CLOVER_SANDBOX_HOME", None)
    process = subprocess.Popen(
        ["bash", str(BINDER / "start"), *command],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # the sandbox start left running
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_start_runs_the_sandbox_with_a_database_under_home(tmp_path: Path) -> None:
    port = _free_port()
    probe = (
        "import os, httpx; url = os.environ['CLOVER_SANDBOX_URL']; "
        "print(url, httpx.get(url + '/_sandbox/health').status_code)"
    )
    result = _run_start(tmp_path, port, ["python", "-c", probe])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [f"http://127.0.0.1:{port}", "200"]
    assert (tmp_path / ".clover-sandbox" / "sandbox.db").is_file()


def test_start_goes_on_without_a_sandbox_when_it_cannot_start(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))  # bound, never listening: the sandbox cannot have it
        port = int(taken.getsockname()[1])
        probe = "import os; print(os.environ.get('CLOVER_SANDBOX_URL', 'unset'))"
        result = _run_start(tmp_path, port, ["python", "-c", probe])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "unset"
    assert "each notebook kernel will start its own" in result.stderr


def test_the_sandbox_registers_with_jupyter_server_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    from jupyter_server_proxy.config import ServerProcess

    found = {e.name: e for e in entry_points(group="jupyter_serverproxy_servers")}
    assert found[jupyter_proxy.NAME].load() is jupyter_proxy.server_proxy_config
    monkeypatch.setenv("CLOVER_SANDBOX_URL", "http://127.0.0.1:9123")
    process = ServerProcess(name=jupyter_proxy.NAME, **jupyter_proxy.server_proxy_config())
    assert process.port == 9123 and not process.command
    assert process.launcher_entry.enabled
    assert process.launcher_entry.title == "Clover sandbox"
    assert process.launcher_entry.path_info == "clover-sandbox/"
    assert Path(process.launcher_entry.icon_path).is_file()
    handler, _ = process.make_proxy_handler()
    assert handler is not None


def test_without_a_shared_sandbox_the_launcher_tile_is_hidden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CLOVER_SANDBOX_URL", raising=False)
    assert jupyter_proxy.server_proxy_config()["launcher_entry"]["enabled"] is False
    monkeypatch.setenv("CLOVER_SANDBOX_URL", "https://sandbox.example")
    assert jupyter_proxy.server_proxy_config()["launcher_entry"]["enabled"] is False


@pytest.mark.parametrize("document", ["README.md", "docs/instructors.md"])
def test_binder_links_open_notebooks_that_exist(document: str) -> None:
    text = (ROOT / document).read_text()
    opened = re.findall(r"mybinder\.org/v2/gh/[^?\s)]+\?urlpath=lab/tree/([^\s)`]+)", text)
    assert opened, f"{document} has no Binder link"
    for path in opened:
        assert (ROOT / path).is_file(), f"{document} opens {path}, which does not exist"


def test_the_kubernetes_values_file_uses_the_image_and_the_measured_sizes() -> None:
    """docs/z2jh-values.yaml: the repo2docker image's entrypoint kept (so binder/start runs),
    the welcome notebook opened, and at least the memory the hub benchmark measured."""
    import yaml

    values = yaml.safe_load((ROOT / "docs" / "z2jh-values.yaml").read_text())
    singleuser = values["singleuser"]
    assert "cmd" not in singleuser and "extraContainers" not in singleuser
    assert singleuser["defaultUrl"] == "/lab/tree/notebooks/00_welcome.ipynb"
    assert singleuser["image"]["tag"] not in ("latest", "")
    guarantee = int(singleuser["memory"]["guarantee"].rstrip("M"))
    assert guarantee >= 300  # benchmarks/hub_class.py: about 290 MiB per learner for 01
    assert values["cull"]["enabled"] and values["prePuller"]["hook"]["enabled"]
