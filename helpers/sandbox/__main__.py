"""`python -m helpers.sandbox`: serve the local Clover sandbox until stopped; `... listen`
and `... trigger` work with app webhooks against a running one (local/cli.py); `... compare`
measures the sandbox against Clover's (compare/command.py, docs/fidelity.md)."""

from __future__ import annotations

import argparse
import signal
import sys

import uvicorn

from helpers.sandbox.app import create_app
from helpers.sandbox.core.merchants import DEMO_MERCHANTS
from helpers.sandbox.core.store import StorageError
from helpers.sandbox.local import cli
from helpers.sandbox.server import bind


def main(argv: list[str] | None = None) -> None:
    given = sys.argv[1:] if argv is None else argv
    if given and given[0] in ("listen", "trigger"):
        cli.main(given)  # app webhooks from a terminal, against a running sandbox
        return
    if given and given[0] == "compare":
        from helpers.sandbox.compare import command

        command.main(given[1:])
        return
    parser = argparse.ArgumentParser(
        prog="python -m helpers.sandbox",
        description="Serve a local stand-in for Clover's Ecommerce API, tokenizer and iframe SDK.",
        epilog="Also: `listen` and `trigger` (app webhooks, against a running sandbox) and "
        "`compare` (measure the sandbox against Clover's); each takes --help.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="make ids, codes and timestamps repeat after each reset",
    )
    parser.add_argument(
        "--db",
        default=None,
        help="SQLite file that keeps every acknowledged object across restarts",
    )
    parser.add_argument(
        "--public-url",
        action="append",
        default=[],
        metavar="URL",
        help="an address browsers reach the sandbox at besides loopback (a proxy's URL); "
        "repeatable. Default: $CLOVER_SANDBOX_PUBLIC_URL. Other Host names are refused",
    )
    args = parser.parse_args(argv)
    try:
        _serve(parser, args)
    except KeyboardInterrupt:
        # Ctrl+C before the server is up: a stop asked for, not a crash; later presses
        # change nothing (see _serve).
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _serve(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    try:
        app = create_app(seed=args.seed, db=args.db)
    except StorageError as problem:  # one line naming the file and the fix, no traceback
        parser.exit(2, f"{parser.prog}: {problem}\n")
    try:
        sock = bind(args.host, args.port)
    except OSError as problem:  # a port in use (another lab still running): one line, the fix
        parser.exit(
            2,
            f"{parser.prog}: cannot listen on {args.host}:{args.port} ({problem.strerror}); "
            "stop the program that holds it, or pick another --port "
            "(for kit.py lab: CLOVER_SANDBOX_PORT)\n",
        )
    host, port = sock.getsockname()[:2]
    try:
        app.state.addresses.configure(tuple(args.public_url), host, port)
    except ValueError as bad:
        parser.error(str(bad))
    demo = DEMO_MERCHANTS[0]
    print(
        f"Clover sandbox on http://{host}:{port}  merchant {demo.merchant_id}  "
        f"private key {demo.private_key}  apiAccessKey {demo.api_access_key}  "
        f"(demo credentials; all merchants: /_sandbox/merchants)",
        flush=True,
    )
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    )
    # Ctrl+C (kit.py lab passes it on, often twice) is a stop asked for, not a crash:
    # uvicorn handles SIGINT while it serves (the first press waits for open connections,
    # the second stops at once), then restores the handler it found and raises each
    # signal it caught again. With SIGINT ignored there, those and any later press, even
    # one landing while Python finishes (it resets the handlers it set itself, not an
    # ignored one), change nothing, and the process exits 0 without a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
