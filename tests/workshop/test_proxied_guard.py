"""The sandbox's Host and Origin guard behind a real jupyter-server-proxy, as on a hub.

jupyter-server-proxy forwards the browser's own `Host` (the hub's public name, not
loopback) and adds `X-Forwarded-Context: <prefix>proxy/<port>`. Inside a hub's single-user
server (`JUPYTERHUB_SERVICE_PREFIX` set) the sandbox serves those requests and still
refuses a state change from another site; a direct request with a foreign Host is refused.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from .conftest import (
    HUB_BASE,
    Lab,
    lab_environment,
    start_hub_server,
    start_sandbox_in,
    stop_process,
)

HUB_HOST = "hub.example.org"


@pytest.fixture(scope="module")
def hub_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, str]]:
    """A Jupyter server under a hub's prefix, open to a public Host name as a hub's is,
    and a sandbox started in the same environment (as binder/start starts it)."""
    work = tmp_path_factory.mktemp("proxied-guard")
    env = lab_environment(work, JUPYTERHUB_SERVICE_PREFIX=HUB_BASE)
    sandbox, url = start_sandbox_in(env)
    lab = start_hub_server(
        "server",
        work,
        env,
        log=work / "jupyter.log",
        extra=("--ServerApp.allow_remote_access=True",),
    )
    yield lab, url
    lab.stop()
    stop_process(sandbox)


def test_the_hub_proxy_reaches_the_sandbox_with_the_hubs_host(hub_server: tuple[Lab, str]) -> None:
    lab, url = hub_server
    sandbox_port = httpx.URL(url).port
    proxied = f"{lab.url}proxy/{sandbox_port}"
    hub = {"Authorization": f"token {lab.token}", "Host": HUB_HOST}
    with httpx.Client(timeout=20) as http:
        health = http.get(f"{proxied}/_sandbox/health", headers=hub)
        assert health.status_code == 200, health.text
        own = {**hub, "Origin": f"https://{HUB_HOST}"}
        assert http.post(f"{proxied}/_sandbox/reset", json={}, headers=own).status_code == 200
        cross = {**hub, "Origin": "https://evil.example"}
        refused = http.post(f"{proxied}/_sandbox/reset", json={}, headers=cross)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "origin_not_allowed"
        direct = http.get(f"{url}/_sandbox/merchants", headers={"Host": HUB_HOST})
        assert direct.status_code == 403
        assert direct.json()["error"]["code"] == "host_not_allowed"
