"""The iframe SDK's paths (checkout host): its script, the card field, the ACH form and the
wallet button it frames, each with its OpenAPI operation; app.py gathers them.

https://docs.clover.com/dev/docs/using-the-clover-hosted-iframe
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import BaseRoute

from helpers import card_rules
from helpers.sandbox.core.http import Call
from helpers.sandbox.openapi.operation import Operation, route, static_file
from helpers.sandbox.pages.render import render
from helpers.sandbox.resources.ach import model as ach_model

# The card field holds the number: it loads nothing but its own script and style and talks
# only to its own origin. Framing stays open, since every merchant page embeds it.
FIELD_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
)
HEADERS = {"cache-control": "no-cache", "content-security-policy": FIELD_CSP}


def card_field(call: Call) -> Response:
    """`GET /widget.html`: one card field of the iframe SDK, with the card rules it checks
    (helpers/card_rules.py, the tokenizer's own) written in as data."""
    return render("widget.html", headers=HEADERS, card_rules=card_rules.as_json())


def ach_form(call: Call) -> Response:
    """`GET /ach.html`: the iframe's ACH_ELEMENTS form, with Clover's sandbox agreement id."""
    return render("ach_form.html", headers=HEADERS, agreement=ach_model.SANDBOX_AGREEMENT)


def wallet_button(call: Call) -> Response:
    """`GET /wallet.html`: the iframe's PAYMENT_REQUEST_BUTTON."""
    return render("wallet_button.html", headers=HEADERS)


def routes() -> list[BaseRoute]:
    return [
        static_file(
            "sdk.js",
            "application/javascript",
            Operation(
                "The iframe SDK's script (Clover.js)",
                "iframe SDK",
                "checkout",
                "https://docs.clover.com/dev/docs/using-the-clover-hosted-iframe",
                media="application/javascript",
            ),
        ),
        route(
            "/widget.html",
            card_field,
            "GET",
            auth="none",
            doc=Operation(
                "One card field of the iframe SDK (HTML)",
                "iframe SDK",
                "checkout",
                "https://docs.clover.com/dev/docs/using-the-clover-hosted-iframe",
                media="text/html",
            ),
        ),
        route(
            "/ach.html",
            ach_form,
            "GET",
            auth="none",
            doc=Operation(
                "The iframe's ACH form, ACH_ELEMENTS (HTML)",
                "iframe SDK",
                "checkout",
                "https://docs.clover.com/dev/docs/iframe-customize-ach-elements-with-css",
                media="text/html",
            ),
        ),
        route(
            "/wallet.html",
            wallet_button,
            "GET",
            auth="none",
            doc=Operation(
                "The iframe's wallet button, PAYMENT_REQUEST_BUTTON (HTML)",
                "iframe SDK",
                "checkout",
                "https://docs.clover.com/dev/docs/clover-iframe-features-apple-pay",
                media="text/html",
            ),
        ),
    ]
