"""The local controls that stand in for Clover's App Settings > Webhooks page (docs:
webhooks), and the trigger of named events. Local-only (`auth="local"`).

- `POST /_sandbox/app-webhooks {"app_id", "url"}` sets the URL and POSTs the
  `verificationCode` message to it at once; a URL that does not answer 2xx is refused,
  as Clover's page refuses it ("Bad response status").
- `POST /_sandbox/app-webhooks/verify {"app_id", "verification_code"}` checks the code the
  URL received and answers the `authCode` Clover then sends in `X-Clover-Auth`.
- `GET /_sandbox/app-webhooks?app_id=`: the settings; `.../deliveries?app_id=`: the log.
- `POST /_sandbox/app-webhooks/trigger {"event", "merchant"?}` fires a named event.
"""

from __future__ import annotations

import hmac
from typing import Any

import httpx

from helpers.sandbox.core import fields, outbound
from helpers.sandbox.core import webhooks as delivery
from helpers.sandbox.core.errors import invalid_request, missing
from helpers.sandbox.core.http import Call
from helpers.sandbox.resources.app_webhooks import events, model

SETTINGS_FIELDS = ("app_id", "url", "max_attempts", "retry_base_ms")


def _app(call: Call, value: str | None) -> str:
    if not value:
        raise missing("app_id", "Name the app: its app_id from GET /_sandbox/merchants.")
    apps = {m.app_id for m in call.state.merchants.values()}
    if value not in apps:
        raise invalid_request(
            f"app_id {value[:64]!r} is not an app of this sandbox; see GET /_sandbox/merchants.",
            param="app_id",
        )
    return value


async def settings(call: Call) -> Any:
    store = call.store
    if call.request.method == "GET":
        found = model.endpoint(store, _app(call, call.query.get("app_id")))
        return model.view(found) if found else {"appId": call.query.get("app_id"), "url": None}
    body = call.body
    fields.reject_unknown(body, SETTINGS_FIELDS)
    app_id = _app(call, fields.string(body, "app_id", max_length=64))
    url = fields.string(body, "url", max_length=2048)
    if url is not None:
        fields.web_url(url, "url")
    attempts = fields.integer(
        body, "max_attempts", minimum=1, maximum=delivery.MAX_ATTEMPTS, unit="attempts"
    )
    base = fields.integer(
        body, "retry_base_ms", maximum=delivery.MAX_RETRY_BASE_MS, unit="milliseconds"
    )
    found = model.configure(store, app_id, url, attempts, base)
    if url is not None:
        problem = await _send_verification(url, model.verification_body(found))
        if problem:
            raise invalid_request(
                f"The verification message to url got {problem}; the URL must answer 200 "
                'to a POST of {"verificationCode": ...}. Start your receiver first.',
                param="url",
            )
    model.save(store, found)
    return model.view(found)


async def _send_verification(url: str, body: bytes) -> str | None:
    """What went wrong POSTing the verification message, or None if it was answered 2xx."""
    try:
        async with httpx.AsyncClient(timeout=delivery.TIMEOUT_S) as http:
            status = await outbound.post_status(
                http, url, body, {"Content-Type": "application/json"}
            )
    except outbound.OutboundFailed as failed:
        return f"no answer ({failed})"
    return None if 200 <= status < 300 else f"Bad response status {status}"


def verify(call: Call) -> Any:
    body = call.body
    fields.reject_unknown(body, ("app_id", "verification_code"))
    app_id = _app(call, fields.string(body, "app_id", max_length=64))
    code = fields.string(body, "verification_code", required=True, max_length=64) or ""
    found = model.endpoint(call.store, app_id)
    if found is None or not found.get("url"):
        raise invalid_request("Set the app's webhook url first.", param="app_id")
    if not hmac.compare_digest(code.encode(), found["_verification_code"].encode()):
        raise invalid_request(
            "verification_code does not match the code POSTed to the URL: copy it from "
            "the verificationCode your URL received.",
            param="verification_code",
        )
    return model.view(model.verify(call.store, found))


def deliveries(call: Call) -> Any:
    app_id = _app(call, call.query.get("app_id"))
    return {"object": "list", "data": model.deliveries(call.store, app_id)}


def trigger(call: Call) -> Any:
    body = call.body
    fields.reject_unknown(body, ("event", "merchant"))
    name = fields.string(body, "event", required=True, choices=tuple(events.NAMED)) or ""
    merchant_id = fields.string(body, "merchant", max_length=13) or next(iter(call.state.merchants))
    if merchant_id not in call.state.merchants:
        raise invalid_request(
            f"No demo merchant {merchant_id!r}; see GET /_sandbox/merchants.", param="merchant"
        )
    made = events.NAMED[name](call.store, merchant_id)
    return {"event": name, "merchant": merchant_id, "object": made}
