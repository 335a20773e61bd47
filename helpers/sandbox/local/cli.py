"""`python -m helpers.sandbox listen` and `... trigger`: app webhooks from a terminal,
against a running local sandbox (`--sandbox URL`, default $CLOVER_SANDBOX_URL or
http://127.0.0.1:8765).

`listen --forward-to URL` opens a small receiver on loopback, sets it as the demo app's
webhook URL (the sandbox POSTs the verificationCode message; the listener answers it and
sends the code back), prints the auth code the forwarded messages carry in
`X-Clover-Auth` (verify them with it), then forwards each message, headers and body as
they came, and prints one line per message. It answers the sandbox with the status the
forward got, so a receiver that is down is retried. Ctrl+C unsets the URL.

`trigger EVENT` fires a named event (payment.created, order.created, customer.created,
subscription.created: its customer's CREATE only, as Clover sends no update for a
subscription) for a demo merchant, made of real objects.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

DEFAULT_SANDBOX = "http://127.0.0.1:8765"
EVENTS = ("payment.created", "order.created", "customer.created", "subscription.created")
MAX_BODY = 1024 * 1024


def _sandbox_url(given: str | None) -> str:
    return (given or os.environ.get("CLOVER_SANDBOX_URL") or DEFAULT_SANDBOX).rstrip("/")


def _fail(message: str) -> None:
    print(f"python -m helpers.sandbox: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def _control(http: httpx.Client, method: str, path: str, **kwargs: Any) -> Any:
    try:
        answer = http.request(method, path, **kwargs)
    except httpx.HTTPError as exc:
        _fail(f"cannot reach the sandbox at {http.base_url} ({type(exc).__name__}): is it running?")
    if answer.status_code != 200:
        try:
            reason = answer.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            reason = answer.text[:200]
        _fail(f"{method} {path} answered {answer.status_code}: {reason}")
    return answer.json()


class _Listener(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, forward_to: str) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.forward_to = forward_to
        self.verification_code: str | None = None
        self.http = httpx.Client(timeout=5.0)


def _summary(body: bytes) -> str:
    try:
        message = json.loads(body)
        return ", ".join(
            f"{entry['type']} {entry['objectId']} ({merchant})"
            for merchant, entries in message["merchants"].items()
            for entry in entries
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return f"{len(body)} bytes"


class _Forward(BaseHTTPRequestHandler):
    server: _Listener

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: one line per message is printed instead."""

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._answer(413)
            return
        body = self.rfile.read(length)
        try:
            message = json.loads(body)
        except ValueError:
            message = None
        if isinstance(message, dict) and set(message) == {"verificationCode"}:
            self.server.verification_code = str(message["verificationCode"])
            self._answer(200)
            return
        headers = {
            name: value
            for name, value in self.headers.items()
            if name.lower() in ("content-type", "x-clover-auth", "user-agent")
        }
        try:
            status = self.server.http.post(self.server.forward_to, content=body, headers=headers)
            code = status.status_code
        except httpx.HTTPError as exc:
            code = 502
            print(f"  forward failed ({type(exc).__name__}); the sandbox will retry", flush=True)
        print(f"--> {_summary(body)}  [{code}]", flush=True)
        self._answer(code if 200 <= code < 600 else 502)


def listen(sandbox: str, forward_to: str, app_id: str | None) -> None:
    listener = _Listener(forward_to)
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    host, port = listener.server_address[:2]
    own_url = f"http://{host!s}:{port}/webhooks"
    with httpx.Client(base_url=sandbox, timeout=15.0) as http:
        app = app_id or _control(http, "GET", "/_sandbox/merchants")[0]["app_id"]
        _control(http, "POST", "/_sandbox/app-webhooks", json={"app_id": app, "url": own_url})
        code = listener.verification_code
        if code is None:
            _fail("the sandbox did not send the verification code to the listener")
        verified = _control(
            http,
            "POST",
            "/_sandbox/app-webhooks/verify",
            json={"app_id": app, "verification_code": code},
        )
        print(
            f"Ready: app {app}'s webhooks from {sandbox} are forwarded to {forward_to}\n"
            f"Verify them with X-Clover-Auth: {verified['authCode']}\n"
            "(Ctrl+C to stop)",
            flush=True,
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            http.post("/_sandbox/app-webhooks", json={"app_id": app, "url": None})
            listener.shutdown()
            listener.http.close()


def trigger(sandbox: str, event: str, merchant: str | None) -> None:
    body: dict[str, Any] = {"event": event}
    if merchant:
        body["merchant"] = merchant
    with httpx.Client(base_url=sandbox, timeout=15.0) as http:
        fired = _control(http, "POST", "/_sandbox/app-webhooks/trigger", json=body)
    made = fired["object"]
    kind = event.split(".")[0]
    print(f"Triggered {event} for merchant {fired['merchant']}: {kind} {made['id']}", flush=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.sandbox",
        description="App webhooks from a terminal, against a running local sandbox.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    listening = commands.add_parser("listen", help="forward the app's webhooks to a URL")
    listening.add_argument("--forward-to", required=True, metavar="URL")
    listening.add_argument("--app-id", default=None, help="default: the demo app")
    firing = commands.add_parser("trigger", help="fire a named event with real objects")
    firing.add_argument("event", choices=EVENTS)
    firing.add_argument("--merchant", default=None, help="default: the first demo merchant")
    for command in (listening, firing):
        command.add_argument(
            "--sandbox",
            default=None,
            metavar="URL",
            help=f"the running sandbox (default: $CLOVER_SANDBOX_URL or {DEFAULT_SANDBOX})",
        )
    args = parser.parse_args(argv)
    sandbox = _sandbox_url(args.sandbox)
    if args.command == "listen":
        listen(sandbox, args.forward_to, args.app_id)
    else:
        trigger(sandbox, args.event, args.merchant)
