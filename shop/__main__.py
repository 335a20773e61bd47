"""``python -m shop [--host 127.0.0.1] [--port 8000] [--root-path /prefix]``: run the shop
with uvicorn. ``--root-path`` is the path a proxy serves the shop under and strips before
passing requests on (Jupyter's proxy: ``<base url>clover-shop``); links carry it."""

from __future__ import annotations

import argparse
import logging
import os

import uvicorn

from helpers.clover.errors import CloverError
from helpers.clover.settings import MissingSettingError

from .app import create_app
from .clover import (
    connect,
    for_shop,
    local_webhooks,
    restore_local_webhooks,
    sandbox_origin,
    send_local_webhooks,
    webhook_destination,
)
from .config import Settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m shop", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument(
        "--root-path",
        default="",
        help="the path a proxy serves the shop under, such as /user/ada/clover-shop",
    )
    args = parser.parse_args(argv)
    root_path = args.root_path.rstrip("/")
    if root_path and not root_path.startswith("/"):
        parser.error(f"--root-path must start with /; got {args.root_path!r}")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        # connect() reads .env into the environment first, then the shop's settings are read.
        client = for_shop(connect())  # may start a local sandbox unless CLOVER_ENV says otherwise
        settings = Settings.from_env()
    except (MissingSettingError, ValueError, RuntimeError, CloverError) as problem:
        raise SystemExit(f"The shop cannot start: {problem}") from None
    shop_url = f"http://{args.host}:{args.port}"
    previous = None
    if client.environment.is_local:
        previous = local_webhooks(client)
        settings = send_local_webhooks(client, settings, shop_url)
    print(client.describe())  # masked: safe to print
    print(f"Clover sandbox  {sandbox_origin(client)}")
    print(f"webhooks to     {webhook_destination(client, settings)}")
    print(f"orders in       {settings.database}")
    if not os.environ.get("SHOP_SECRET_KEY"):
        print("SHOP_SECRET_KEY is not set: sessions end when the shop stops")
    if not settings.admin_password:
        print("admin page off: set SHOP_ADMIN_PASSWORD to turn it on")
    if not settings.webhook_secret:
        print("Hosted Checkout off: set CLOVER_WEBHOOK_SECRET (the webhook signing secret)")
    print(f"the shop        {shop_url}/" + (f"  (served under {root_path}/)" if root_path else ""))
    try:
        uvicorn.run(
            create_app(settings, client=client),
            host=args.host,
            port=args.port,
            root_path=root_path,
            lifespan="off",  # the shop has no startup or shutdown work; Ctrl+C stays quiet
        )
    finally:
        if previous is not None:  # a later shop on this sandbox is not left on a dead port
            restore_local_webhooks(client, previous, settings.webhook_url)


if __name__ == "__main__":
    main()
