"""`GET /openapi.json` and `GET /explorer`: the document, and Swagger UI showing it.

Swagger UI's files come from the pinned `swagger-ui-bundle-v2` package and are served by the
sandbox itself (no CDN: the kit works offline and behind a hub). The page uses only relative
URLs, so it works at `/explorer` and behind the Jupyter proxy (`/proxy/8765/explorer`) alike,
and "Try it out" sends its requests to the same origin, which the local guard accepts. The
demo merchant's private key and public key are filled in, as on the sandbox's other pages:
they are the demo's published credentials, not secrets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import swagger_ui_bundle
from starlette.responses import Response

from helpers.sandbox.core.http import Call, json_response
from helpers.sandbox.openapi.document import build
from helpers.sandbox.pages.render import NOT_FRAMED, render

ASSETS = Path(swagger_ui_bundle.swagger_ui_path)


def document(call: Call) -> Response:
    """The OpenAPI 3.1 document of the routes this app serves: built at the first request
    and kept, since an app's routes are fixed when it is made (a build walks every route's
    probes: about 66 ms)."""
    state = call.request.app.state
    built = getattr(state, "openapi_document", None)
    if built is None:
        built = state.openapi_document = build(call.request.app.routes)
    return json_response(200, built)


def demo_credentials(call: Call) -> dict[str, Any]:
    merchant = next(iter(call.state.merchants.values()))
    return {
        "bearer": merchant.private_key,
        "apikey": merchant.api_access_key,
        "merchant_id": merchant.merchant_id,
    }


def page(call: Call) -> Response:
    headers = {"cache-control": "no-cache", **NOT_FRAMED}
    return render("explorer.html", headers=headers, credentials=demo_credentials(call))
