"""``python -m shop [--host 127.0.0.1] [--port 8000]``: run the shop with uvicorn."""

from __future__ import annotations

import argparse
import logging

import uvicorn

from helpers import connect

from .app import create_app
from .clover import for_shop
from .config import Settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m shop", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    client = for_shop(connect())  # starts a local sandbox unless CLOVER_ENV says otherwise
    print(client.describe())  # masked: safe to print
    print(f"orders in  {settings.database}")
    if not settings.admin_password:
        print("admin page off: set SHOP_ADMIN_PASSWORD to turn it on")
    print(f"the shop:  http://{args.host}:{args.port}/")
    uvicorn.run(create_app(settings, client=client), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
