"""`python -m helpers.sandbox compare`, end to end, without Clover: its "Clover" is a local
sandbox behind a proxy that plants five differences (a renamed field, a changed type, an
enum value, a status code, a dropped header); the report must list exactly those five and
nothing else. Against an identical local sandbox it must report none. And without
credentials it says what is missing, in one line, and exits 2."""

from __future__ import annotations

import io
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from helpers.sandbox.__main__ import main
from helpers.sandbox.compare.command import clover_route
from helpers.sandbox.compare.tour import KIT_CHOICES, TOUR, step_count
from helpers.sandbox.server import Sandbox, bind
from tests.contract.test_pages import replay
from tests.secret_scan import findings
from tests.support import choice_anchors

CREDENTIALS = ("CLOVER_MERCHANT_ID", "CLOVER_PRIVATE_KEY", "CLOVER_ACCESS_TOKEN")


def _rename(body: dict[str, Any]) -> dict[str, Any]:
    body["reference_number"] = body.pop("ref_num")
    return body


def _stringify(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "amount": str(body["amount"])}


def _lower_brand(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "card": {**body["card"], "brand": body["card"]["brand"].lower()}}


class Planted:
    """Each change applies to the first answer it matches, so it is planted once."""

    def __init__(self) -> None:
        self.left = {"rename", "type", "enum", "status", "header"}

    def refuse(self, method: str, path: str) -> bool:
        """True: answer 429 without forwarding the request."""
        return False

    def change(
        self, method: str, path: str, status: int, headers: dict[str, str], body: Any
    ) -> tuple[int, dict[str, str], Any]:
        def once(name: str) -> bool:
            if name in self.left:
                self.left.remove(name)
                return True
            return False

        if method == "POST" and path == "/v1/tokens" and status == 200 and once("enum"):
            body = _lower_brand(body)
        elif method == "POST" and path == "/v1/charges" and status == 200 and once("rename"):
            body = _rename(body)
        elif method == "POST" and path == "/v1/refunds" and status == 200 and once("type"):
            body = _stringify(body)
        elif path == "/v1/charges/NOSUCHCHARGE1" and once("status"):
            status = 410
        elif "idempotent-replayed" in headers and once("header"):
            headers.pop("idempotent-replayed")
        return status, headers, body


def proxy_app(upstream: str, planted: Planted) -> Starlette:
    client = httpx.AsyncClient(base_url=upstream)

    async def forward(request: Request) -> Response:
        if planted.refuse(request.method, request.url.path):
            return Response(b"{}", 429, {"retry-after": "0", "content-type": "application/json"})
        sent = {k: v for k, v in request.headers.items() if k not in ("host", "content-length")}
        answer = await client.request(
            request.method,
            request.url.path,
            params=request.query_params,
            headers=sent,
            content=await request.body(),
        )
        headers = {
            k: v
            for k, v in answer.headers.items()
            if k not in ("content-length", "content-encoding", "transfer-encoding")
        }
        body: Any = answer.json() if "json" in answer.headers.get("content-type", "") else None
        status, headers, body = planted.change(
            request.method, request.url.path, answer.status_code, headers, body
        )
        content = json.dumps(body).encode() if body is not None else answer.content
        return Response(content, status, headers)

    return Starlette(
        routes=[Route("/{path:path}", forward, methods=["GET", "POST", "PUT", "DELETE"])]
    )


def demo_credentials(url: str) -> dict[str, str]:
    """The demo merchant's keys, as the Clover credentials the command reads."""
    merchant = httpx.get(f"{url}/_sandbox/merchants").json()[0]
    return {
        "CLOVER_MERCHANT_ID": merchant["merchant_id"],
        "CLOVER_PRIVATE_KEY": merchant["private_key"],
        "CLOVER_API_ACCESS_KEY": merchant["api_access_key"],
        "CLOVER_APP_ID": merchant["app_id"],
        "CLOVER_APP_SECRET": merchant["app_secret"],
    }


@pytest.fixture
def clover(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """A local sandbox playing Clover, its demo merchant's keys as Clover's credentials."""
    with Sandbox() as sandbox:
        for name, value in demo_credentials(sandbox.url).items():
            monkeypatch.setenv(name, value)
        yield sandbox


@contextmanager
def proxy(upstream: str, changes: Planted) -> Iterator[str]:
    """The proxy in a thread, on a free loopback port; its URL."""
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(
        uvicorn.Config(proxy_app(upstream, changes), log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.005)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class PlantedRun:
    out: Path
    printed: str
    left: set[str]
    keys: list[str]


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlantedRun]:
    """One run of the command against the planted-difference "Clover", shared by the tests
    that read its report (the tour is the slow part)."""
    out = tmp_path_factory.mktemp("planted")
    changes, printed = Planted(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, Sandbox() as clover:
        keys = demo_credentials(clover.url)
        for name, value in keys.items():
            patch.setenv(name, value)
        with proxy(clover.url, changes) as url, redirect_stdout(printed):
            main(["compare", "--against", url, "--with", "all", "--out", str(out)])
        secrets = [
            keys["CLOVER_PRIVATE_KEY"],
            keys["CLOVER_API_ACCESS_KEY"],
            keys["CLOVER_APP_SECRET"],
        ]
        yield PlantedRun(out, printed.getvalue(), changes.left, secrets)


class LimitedOnce(Planted):
    """Refuses the first charge with 429 and `Retry-After: 0` before it reaches the sandbox,
    as a busy Clover would; it plants nothing else."""

    def __init__(self) -> None:
        self.left = set()

    def refuse(self, method: str, path: str) -> bool:
        if method == "POST" and path == "/v1/charges" and "limit" not in self.left:
            self.left.add("limit")
            return True
        return False


@pytest.fixture
def planted(clover: Sandbox, request: pytest.FixtureRequest) -> Iterator[tuple[str, Planted]]:
    changes = getattr(request, "param", Planted)()
    with proxy(clover.url, changes) as url:
        yield url, changes


def listed(report: Path) -> list[str]:
    """The report's difference lines: `- **step**, path: kind: Clover ..., local ...`."""
    return [line for line in report.read_text().splitlines() if line.startswith("- **")]


def test_the_report_lists_exactly_the_five_planted_differences(planted_run: PlantedRun) -> None:
    assert planted_run.left == set(), "the tour met every planted change"
    report = planted_run.out / "report.md"
    found = sorted(re.sub(r": Clover .*", "", line) for line in listed(report))
    assert found == sorted(
        [
            "- **tokenize VISA**, card.brand: enum",
            "- **charge the token**, reference_number: renamed",
            "- **refund the uncaptured charge**, amount: type",
            "- **a charge that does not exist**, HTTP status: status",
            "- **the same request again**, headers.idempotent-replayed: header",
        ]
    )
    header = next(line for line in listed(report) if "headers." in line)
    assert "kit's choice" in header and "docs/choices.md#general" in header
    out = planted_run.printed
    assert f"{step_count()} steps compared in {len(TOUR)} flows (0 not run)" in out
    assert ": 4 unexplained differences, 1 the kit's choices" in out
    page = (planted_run.out / "report.html").read_text()
    assert page.count("<tr class='differs'>") == 4 and page.count("<tr class='chosen'>") == 1
    assert "<script" not in page and "http" not in page.split("<body>")[0]  # self-contained


def test_the_recording_replays_in_the_suite_and_names_step_field_and_file(
    planted_run: PlantedRun, http: httpx.Client
) -> None:
    recording = planted_run.out / "recording" / "card-tokens.json"
    with pytest.raises(AssertionError) as failed:
        replay(recording, http)
    assert "card-tokens.json" in str(failed.value)
    assert "0 tokenize VISA: card.brand: enum: Clover 'visa', local 'VISA'" in str(failed.value)
    replay(planted_run.out / "recording" / "refunds.json", http)  # nothing planted there


def test_an_identical_sandbox_differs_in_nothing(
    clover: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["compare", "--against", clover.url, "--with", "all", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert ": 0 unexplained differences, 0 the kit's choices" in out
    assert listed(tmp_path / "report.md") == []
    recordings = sorted(p.stem for p in (tmp_path / "recording").glob("*.json"))
    assert len(recordings) == len(TOUR)


def test_flows_the_merchant_lacks_are_reported_not_run(
    clover: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["compare", "--against", clover.url, "--out", str(tmp_path)])
    report = (tmp_path / "report.md").read_text()
    for flow in (f for f in TOUR if f.needs):
        assert f"## {flow.name}\n\nClover's page: {flow.page}\n\nNot run: needs " in report
        assert f"--with {flow.needs}" in report
    assert ": 0 unexplained differences" in capsys.readouterr().out


def test_without_credentials_it_says_what_is_missing_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (*CREDENTIALS, "CLOVER_API_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env above it
    with pytest.raises(SystemExit) as stopped:
        main(["compare"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "CLOVER_MERCHANT_ID, CLOVER_PRIVATE_KEY (or CLOVER_ACCESS_TOKEN)" in err
    assert "https://docs.clover.com/docs/configuration-1" in err


def test_nothing_secret_is_written(planted_run: PlantedRun) -> None:
    reports = (planted_run.out / "report.md", planted_run.out / "report.html")
    answers = [
        json.dumps(
            [e["clover_answer"] for e in json.loads(p.read_text())["exchanges"]],
            ensure_ascii=False,
        )
        for p in (planted_run.out / "recording").glob("*.json")
    ]
    for text in [planted_run.printed, *(p.read_text() for p in reports), *answers]:
        assert findings(text, planted_run.keys) == []
    assert any('"access_token": "••••' in text for text in answers), "OAuth answers recorded"


@pytest.mark.parametrize("planted", [LimitedOnce], indirect=True)
def test_a_rate_limit_is_waited_out_not_reported(
    planted: tuple[str, Planted], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, changes = planted
    main(["compare", "--against", url, "--out", str(tmp_path)])
    assert "limit" in changes.left, "the proxy answered 429 once"
    assert ": 0 unexplained differences, 0 the kit's choices" in capsys.readouterr().out


def _closed_port() -> str:
    closed = bind("127.0.0.1", 0)  # a free port, closed again: nothing answers there
    port = closed.getsockname()[1]
    closed.close()
    return f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("address", ["closed port", "127.0.0.1:8765"])
def test_an_unreachable_clover_is_one_line_and_exit_2(
    address: str, clover: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A port nothing listens on, and an address without its scheme."""
    url = _closed_port() if address == "closed port" else address
    with pytest.raises(SystemExit) as stopped:
        main(["compare", "--against", url, "--out", str(tmp_path)])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert f"cannot reach {url}" in err and err.count("\n") == 1 and "Traceback" not in err


def test_refused_keys_are_one_line_and_exit_2(
    clover: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CLOVER_PRIVATE_KEY", "not-the-merchants-key")
    with pytest.raises(SystemExit) as stopped:
        main(["compare", "--against", clover.url, "--out", str(tmp_path)])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "refused the private key (HTTP 401)" in err and "not-the" not in err


def test_every_choice_the_tour_names_is_a_heading_of_the_one_list() -> None:
    steps = [exchange for flow in TOUR for exchange in flow.exchanges]
    named = [*KIT_CHOICES.values(), *(why for e in steps for why in e.get("choices", {}).values())]
    assert len(named) > len(KIT_CHOICES)
    for why in named:
        anchor = why.partition("docs/choices.md#")[2]
        assert anchor in choice_anchors(), why


def test_a_recording_of_a_chosen_difference_replays_clean(
    planted_run: PlantedRun, http: httpx.Client
) -> None:
    """The dropped replay header is the kit's choice: the recording says so, and its replay
    passes (the suite fails only on what nobody has explained)."""
    recording = planted_run.out / "recording" / "idempotent-replay.json"
    chosen = json.loads(recording.read_text())["exchanges"][2]["choices"]
    assert list(chosen) == ["headers.idempotent-replayed"]
    replay(recording, http)


def test_each_path_goes_to_the_clover_host_that_serves_it() -> None:
    """https://docs.clover.com/clover-platform/docs/ecommerce-api-tutorials lists the hosts;
    the reference pages put PAKMS on the Ecommerce host, OAuth's consent on the dashboard's."""
    assert {
        path: clover_route(path) for path in ("/v1/tokens", "/v1/charges", "/pakms/apikey")
    } == {
        "/v1/tokens": "https://token-sandbox.dev.clover.com",
        "/v1/charges": "https://scl-sandbox.dev.clover.com",
        "/pakms/apikey": "https://scl-sandbox.dev.clover.com",
    }
    assert clover_route("/oauth/v2/authorize?client_id=X") == "https://sandbox.dev.clover.com"
    for path in (
        "/oauth/v2/token",
        "/recurring/v1/plans",
        "/invoicingcheckoutservice/v1/checkouts",
    ):
        assert clover_route(path) == "https://apisandbox.dev.clover.com"


def test_dotenv_is_read_but_never_loaded_into_the_environment(
    clover: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys kept in `.env` for the notebooks serve the command, and leave os.environ as it
    was: a suite run in-process must not switch on tests/real_sandbox."""
    merchant = httpx.get(f"{clover.url}/_sandbox/merchants").json()[0]
    monkeypatch.delenv("CLOVER_PRIVATE_KEY")
    monkeypatch.delenv("CLOVER_ENV", raising=False)
    (tmp_path / ".env").write_text(f"CLOVER_PRIVATE_KEY={merchant['private_key']}\nCLOVER_ENV=x\n")
    monkeypatch.chdir(tmp_path)
    main(["compare", "--against", clover.url, "--out", "report"])
    assert (tmp_path / "report" / "report.md").exists()
    assert "CLOVER_PRIVATE_KEY" not in os.environ and "CLOVER_ENV" not in os.environ


def test_it_never_runs_on_production(
    clover: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLOVER_ENV", "production")
    with pytest.raises(SystemExit) as stopped:
        main(["compare", "--against", clover.url])
    assert stopped.value.code == 2
    assert "runs on a sandbox only" in capsys.readouterr().err


def test_a_report_folder_it_cannot_write_is_one_line_and_exit_2(
    clover: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "a-file"
    taken.write_text("not a folder")
    with pytest.raises(SystemExit) as stopped:
        main(["compare", "--against", clover.url, "--out", str(taken)])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert f"cannot write the report to {taken}" in err and "Traceback" not in err
