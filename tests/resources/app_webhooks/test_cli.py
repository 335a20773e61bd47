"""`python -m helpers.sandbox listen` and `trigger`, run as a developer runs them: as
processes, against a running sandbox."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from helpers import AppWebhookReceiver
from helpers.sandbox.server import Sandbox

ROOT = Path(__file__).resolve().parents[3]
APP = "KTAPPDEM0A1B2"


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "helpers.sandbox", *args]


def test_listen_forwards_what_trigger_fires_with_the_auth_code_it_prints() -> None:
    with Sandbox(seed=5) as sandbox, AppWebhookReceiver() as receiver:
        listen = subprocess.Popen(
            command("listen", "--forward-to", receiver.url, "--sandbox", sandbox.url),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert listen.stdout is not None
            banner = [listen.stdout.readline() for _ in range(3)]
            found = re.search(r"X-Clover-Auth: (\S+)", "".join(banner))
            assert found, banner
            receiver.auth_code = found.group(1)
            fired = subprocess.run(
                command("trigger", "payment.created"),
                cwd=ROOT,
                env={**os.environ, "CLOVER_SANDBOX_URL": sandbox.url},
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert fired.returncode == 0, fired.stderr
            charge_id = fired.stdout.split()[-1]
            updates = receiver.wait_for_updates(2)
            assert [u.object_id for u in updates][-1] == f"P:{charge_id}"
            printed = listen.stdout.readline()
            assert f"CREATE P:{charge_id}" in printed and "[200]" in printed
        finally:
            listen.send_signal(signal.SIGTERM)
            listen.wait(timeout=20)
        assert listen.returncode == 0
        settings = httpx.get(f"{sandbox.url}/_sandbox/app-webhooks", params={"app_id": APP})
        assert settings.json()["url"] is None  # the listener unset the URL on its way out


def test_trigger_says_in_one_line_when_there_is_no_sandbox_or_no_such_event() -> None:
    gone = subprocess.run(
        command("trigger", "order.created", "--sandbox", "http://127.0.0.1:9"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert gone.returncode == 1 and "is it running?" in gone.stderr
    assert "Traceback" not in gone.stderr
    unknown = subprocess.run(
        command("trigger", "refund.created"), cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr


def test_the_server_command_and_its_flags_are_unchanged() -> None:
    shown = subprocess.run(
        command("--help"), cwd=ROOT, capture_output=True, text=True, timeout=60
    ).stdout
    for flag in ("--host", "--port", "--seed", "--db", "--public-url"):
        assert flag in shown
