"""`python -m helpers.sandbox compare`: the tour against Clover's sandbox and a fresh local
sandbox, step by step, then the report (docs/fidelity.md says how to read it).

Clover's credentials are the ones the notebooks read (README, "Real credentials"):
CLOVER_MERCHANT_ID, CLOVER_PRIVATE_KEY (or CLOVER_ACCESS_TOKEN) and CLOVER_API_ACCESS_KEY,
from the environment or `.env`; CLOVER_APP_ID and CLOVER_APP_SECRET for the OAuth flow.
`--against URL` sends "Clover's" half to any one host instead (a local sandbox, or a proxy
in front of one): the tests prove the comparison that way, without Clover.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import httpx

from helpers.sandbox.compare.engine import compare_answers
from helpers.sandbox.compare.exchanges import Host, Run, Unfilled
from helpers.sandbox.compare.report import FlowResult, Report, Step, write
from helpers.sandbox.compare.tour import KIT_CHOICES, NEEDS, TOUR, Flow
from helpers.sandbox.server import Sandbox

PROG = "python -m helpers.sandbox compare"
# Clover's sandbox hosts, by path (the client's helpers/clover/environments.py lists the
# same; the sandbox wing may not import it): https://docs.clover.com/clover-platform/docs/ecommerce-api-tutorials
SCL = "https://scl-sandbox.dev.clover.com"
API = "https://apisandbox.dev.clover.com"
CLOVER_HOSTS = (
    ("/v1/tokens", "https://token-sandbox.dev.clover.com"),
    ("/oauth/v2/authorize", "https://sandbox.dev.clover.com"),
    ("/oauth/", API),
    ("/invoicingcheckoutservice/", API),
    ("/recurring/", API),
)
HOW_TO_GET = (
    "a Clover developer account's sandbox test merchant gives them: "
    "https://sandbox.dev.clover.com, then Settings > Ecommerce API Tokens "
    "(https://docs.clover.com/docs/configuration-1); put them in .env as the README shows"
)


def clover_route(path: str) -> str:
    for prefix, host in CLOVER_HOSTS:
        if path.startswith(prefix):
            return host
    return SCL


def _fail(message: str) -> NoReturn:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def settings() -> dict[str, str]:
    """`.env` (from this folder or a parent) under the environment, which wins; read, not
    loaded, so the process environment stays as it was (a test run with a `.env` kept for the
    notebooks must not switch on tests/real_sandbox)."""
    from dotenv import dotenv_values, find_dotenv

    path = find_dotenv(usecwd=True)
    found = {k: v for k, v in dotenv_values(path).items() if v is not None} if path else {}
    return {**found, **os.environ}


def clover_credentials() -> dict[str, str]:
    """Clover's test merchant's credentials from the environment (and `.env`), or exit 2
    with a line naming what is missing and how to get it."""
    env = settings()
    if env.get("CLOVER_ENV", "sandbox") == "production":
        _fail("CLOVER_ENV is production: the tour charges cards, so it runs on a sandbox only")
    private_key = env.get("CLOVER_PRIVATE_KEY") or env.get("CLOVER_ACCESS_TOKEN")
    wanted = {
        "CLOVER_MERCHANT_ID": env.get("CLOVER_MERCHANT_ID"),
        "CLOVER_PRIVATE_KEY (or CLOVER_ACCESS_TOKEN)": private_key,
        "CLOVER_API_ACCESS_KEY": env.get("CLOVER_API_ACCESS_KEY"),
    }
    missing = [name for name, value in wanted.items() if not value]
    if missing:
        _fail(f"no Clover sandbox credentials: {', '.join(missing)} not set; {HOW_TO_GET}")
    merchant = {
        "merchant_id": str(wanted["CLOVER_MERCHANT_ID"]),
        "private_key": str(private_key),
        "api_access_key": str(wanted["CLOVER_API_ACCESS_KEY"]),
    }
    for key in ("app_id", "app_secret"):
        if env.get(f"CLOVER_{key.upper()}"):
            merchant[key] = env[f"CLOVER_{key.upper()}"]
    return merchant


def _why_not(flow: Flow, features: set[str], clover: Host) -> str | None:
    if flow.needs is None:
        return None
    if flow.needs not in features:
        return f"needs {NEEDS[flow.needs]}; say the merchant has it with --with {flow.needs}"
    if flow.needs == "oauth" and not {"app_id", "app_secret"} <= set(clover.merchant):
        return "needs CLOVER_APP_ID and CLOVER_APP_SECRET"
    return None


def run_flow(flow: Flow, clover: Host, local: Host) -> FlowResult:
    """Each step sent to Clover, then to the local sandbox, and the answers compared."""
    result = FlowResult(flow.name, flow.page)
    theirs, ours = Run(clover), Run(local)
    broken: str | None = None
    for exchange in flow.exchanges:
        step = Step(exchange["name"], exchange["request"])
        result.steps.append(step)
        if broken:
            step.not_run = broken
            continue
        try:
            step.clover = theirs.send(exchange)
        except Unfilled as missing:
            step.not_run = broken = f"Clover's earlier answer: {missing}"
            continue
        except httpx.HTTPError as exc:
            step.not_run = broken = f"Clover did not answer ({type(exc).__name__})"
            continue
        try:
            step.local = ours.send(exchange)
        except Unfilled as missing:
            step.not_run = broken = f"the local sandbox's earlier answer: {missing}"
            continue
        choices = {**KIT_CHOICES, **exchange.get("choices", {})}
        step.differences = compare_answers(step.clover, step.local, choices=choices, complete=True)
    return result


def tour(
    clover: Host, local: Host, features: set[str], flows: list[Flow] = TOUR
) -> list[FlowResult]:
    results = []
    for flow in flows:
        why = _why_not(flow, features, clover)
        if why:
            result = FlowResult(flow.name, flow.page, not_run=why)
            result.steps = [Step(e["name"], e["request"], not_run=why) for e in flow.exchanges]
            results.append(result)
        else:
            results.append(run_flow(flow, clover, local))
    return results


def preflight(clover: Host) -> None:
    """One read before the tour, so that an unreachable host or refused keys make one clear
    line (exit 2), not a report where every step differs."""
    url = clover.route("/v1/charges") + "/v1/charges?limit=1"
    bearer = {"authorization": f"Bearer {clover.merchant['private_key']}"}
    try:
        answer = clover.http.get(url, headers=bearer)
    except httpx.HTTPError as exc:
        clover.http.close()
        _fail(f"cannot reach {clover.name} ({type(exc).__name__}): check the address and network")
    if answer.status_code in (401, 403):
        clover.http.close()
        _fail(
            f"{clover.name} refused the private key (HTTP {answer.status_code}): check "
            "CLOVER_PRIVATE_KEY and CLOVER_MERCHANT_ID name the same sandbox test merchant"
        )


def _host(name: str, route: Callable[[str], str], merchant: dict[str, str]) -> Host:
    return Host(name, route, merchant, httpx.Client(timeout=30.0, follow_redirects=False))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run the lessons' flows against Clover's sandbox and a fresh local "
        "sandbox, step by step, and report every difference (docs/fidelity.md).",
    )
    parser.add_argument(
        "--against",
        metavar="URL",
        default=None,
        help="send Clover's half to this one host instead of Clover's sandbox hosts",
    )
    parser.add_argument(
        "--with",
        dest="features",
        action="append",
        default=[],
        choices=[*NEEDS, "all"],
        help="the test merchant has this (repeatable); flows that need what it lacks are "
        "reported as not run",
    )
    parser.add_argument(
        "--out", default="fidelity-report", help="folder for the report (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    merchant = clover_credentials()
    features = set(NEEDS) if "all" in args.features else set(args.features)
    if args.against:
        against = args.against.rstrip("/")
        clover = _host(against, lambda path: against, merchant)
    else:
        clover = _host("Clover's sandbox", clover_route, merchant)
    preflight(clover)
    started = time.perf_counter()
    with Sandbox() as sandbox:
        demo = httpx.get(f"{sandbox.url}/_sandbox/merchants", timeout=10).json()[0]
        local = _host("local", lambda path: sandbox.url, demo)
        try:
            results = tour(clover, local, features)
        except KeyboardInterrupt:  # a stop asked for: no traceback, no half report
            _fail("stopped before the tour ended; no report written")
        finally:
            clover.http.close()
            local.http.close()
    report = Report(clover.name, results, time.perf_counter() - started)
    on = datetime.now(UTC).strftime("%Y-%m-%d")
    try:
        written = write(report, Path(args.out), on)
    except OSError as problem:
        _fail(f"cannot write the report to {args.out}: {problem.strerror or problem}")
    print(report.summary(), flush=True)
    for flow, step, difference in report.differences():
        if difference.choice is None:
            print(f"  {flow.name} / {step.name}: {difference.line()}", flush=True)
    print(f"Report: {written[0]} and {written[1]}; recordings in {written[0].parent / 'recording'}")
