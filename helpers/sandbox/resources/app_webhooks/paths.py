"""App webhooks' local controls: the app's webhook URL, its verification, deliveries, and
a trigger (not Clover's paths, so not in the OpenAPI document); app.py gathers them."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.operation import route
from helpers.sandbox.resources.app_webhooks import routes as app_webhooks


def routes() -> list[BaseRoute]:
    return [
        route("/_sandbox/app-webhooks", app_webhooks.settings, "GET", "POST", auth="local"),
        route("/_sandbox/app-webhooks/verify", app_webhooks.verify, "POST", auth="local"),
        route("/_sandbox/app-webhooks/deliveries", app_webhooks.deliveries, "GET", auth="local"),
        route("/_sandbox/app-webhooks/trigger", app_webhooks.trigger, "POST", auth="local"),
    ]
