"""3-D Secure's paths: Clover's script (checkout host), the issuer's pages it frames
(local stand-ins), and the dashboard setting (local control); app.py gathers them."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.operation import Operation, route, static_file
from helpers.sandbox.resources.threeds import routes as threeds

THREEDS = "https://docs.clover.com/dev/docs/configure-3d-secure-sdk-with-iframe-and-api-integration"
THREEDS_FLOW = "https://docs.clover.com/docs/3ds-secure-configure-sdk"


def routes() -> list[BaseRoute]:
    return [
        static_file(
            "clover3DS/clover3DS-sdk.js",
            "application/javascript",
            Operation(
                "The 3-D Secure script (browser info, and the challenge frame)",
                "3-D Secure",
                "checkout",
                THREEDS,
                media="application/javascript",
            ),
        ),
        route(
            "/clover3DS/method-notification",
            threeds.method_notification,
            "POST",
            auth="none",
            parse_json=False,
            doc=Operation(
                "Clover's method notification: the issuer's method flow is done (HTML, in the "
                "script's hidden frame)",
                "3-D Secure",
                "checkout",
                THREEDS_FLOW,
                media="text/html",
            ),
        ),
        route(
            "/threeds/method",
            threeds.method_page,
            "POST",
            auth="none",
            parse_json=False,
            doc=Operation(
                "The issuer's method URL (local stand-in): threeDSMethodData in, on to the "
                "notification URL (HTML, hidden frame)",
                "3-D Secure",
                "checkout",
                THREEDS_FLOW,
                media="text/html",
            ),
        ),
        route(
            "/threeds/acs",
            threeds.acs_page,
            "GET",
            auth="none",
            doc=Operation(
                "The issuer's challenge page (local stand-in ACS) for a creq (HTML)",
                "3-D Secure",
                "checkout",
                THREEDS_FLOW,
                media="text/html",
            ),
        ),
        route(
            "/threeds/acs",
            threeds.answer_acs,
            "POST",
            auth="none",
            parse_json=False,
            doc=Operation(
                "The issuer's challenge page (local stand-in ACS): the script's creq, then the "
                "shopper's code or Cancel (HTML, framed by the script)",
                "3-D Secure",
                "checkout",
                THREEDS_FLOW,
                media="text/html",
            ),
        ),
        route("/_sandbox/threeds", threeds.dashboard_setting, "GET", "POST", auth="local"),
    ]
