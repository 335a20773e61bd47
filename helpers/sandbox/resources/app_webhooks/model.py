"""App webhooks: what Clover POSTs to an app's webhook URL when its merchants change
things (docs: webhooks).

- **Verification.** Setting the URL (Clover's App Settings > Webhooks; here the local
  control `POST /_sandbox/app-webhooks`) POSTs `{"verificationCode": "<uuid>"}` to it; the
  URL must answer 200. The developer then sends that code back (`.../verify`), and from
  then on every message carries the app's auth code in `X-Clover-Auth`.
- **Messages.** `{"appId": ..., "merchants": {"<merchantId>": [{"objectId": "P:<id>",
  "type": "CREATE", "ts": <Unix ms>}]}}`: one message may hold updates of several
  merchants. Prefixes as Clover's event type keys: `P:` payments, `O:` orders, `C:`
  customers. Clover lists no key for recurring subscriptions, so the sandbox sends none
  for them (it sent its own `SUB:` before: a handler written for it would wait for an
  event Clover never sends); a renewal is reported as what it makes, a payment.
- **What is reported** (https://docs.clover.com/docs/webhooks). Every payment, order
  and customer the sandbox writes, whatever wrote it: a charge made
  (approved or declined), captured or refunded, an order created, paid or returned, a
  customer created or changed, a card revoked (the customer changes). The store tells
  this module what each commit wrote (`store.on_commit`), so no resource has webhook
  code, and a write that is refused or rolled back is never reported. CREATE when the
  commit made the object (`ts` its `created`), UPDATE for any later write of it (`ts`
  the sandbox clock at the commit), even one that changed only the sandbox's own
  bookkeeping (a sandbox choice: a receiver fetches the object anyway). Nothing the
  sandbox serves is ever deleted, so DELETE is never sent. Only apps whose URL is set
  get updates: a set but unverified URL logs each message as not sent; an app with no
  URL is not logged at all.
- **Delivery.** Clover does not guarantee it; the sandbox delivers at least once: an
  answer other than 2xx is retried with doubling waits (Hosted Checkout's delivery loop,
  reused), every attempt logged (`GET /_sandbox/app-webhooks/deliveries`). Updates made
  during one request go out as one message once that request is committed (a sandbox
  choice), with `ts` from the sandbox clock. So a receiver deduplicates updates.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

from helpers.sandbox.core import webhooks as delivery
from helpers.sandbox.core.merchants import DEMO_MERCHANTS
from helpers.sandbox.core.store import Kind, Object, Store, Written, on_commit, public

ENDPOINT = Kind.APP_WEBHOOK
DELIVERY = Kind.APP_WEBHOOK_DELIVERY
PREFIXES = {"payment": "P", "order": "O", "customer": "C"}
REPORTED = {
    Kind.CUSTOMER: "customer",
    Kind.ORDER: "order",
    Kind.CHARGE: "payment",
}
RANK = {kind: rank for rank, kind in enumerate(REPORTED)}

_pending: dict[int, dict[str, dict[str, list[dict[str, Any]]]]] = {}
"""Updates of the request under way, by store, app and merchant: sent when it is done."""
APPS = {m.merchant_id: m.app_id for m in DEMO_MERCHANTS}
"""The app each demo merchant installed (GET /_sandbox/merchants shows it)."""


def app_of(store: Store, merchant_id: str) -> str | None:
    """The app a merchant installed: a demo merchant's, or a registered one's."""
    if merchant_id in APPS:
        return APPS[merchant_id]
    registered = store.find(Kind.MERCHANT, merchant_id)
    return None if registered is None else registered.get("app_id")


def _uuid(store: Store) -> str:
    """A uuid drawn from the store's sequence, so that a seed repeats it."""
    return str(uuid.UUID(hex=store.sequence.digits(32).ljust(32, "0")[:32]))


def endpoint(store: Store, app_id: str) -> Object | None:
    return store.get(ENDPOINT, app_id, app_id)


def configure(
    store: Store, app_id: str, url: str | None, attempts: int | None, retry_base_ms: int | None
) -> Object:
    """A new URL (or none), not stored yet: unverified until its verification code comes
    back. The app's auth code is made once and kept when the URL changes (a sandbox
    choice). The caller stores it (`save`) once the URL answered the verification message,
    so a URL that fails it changes nothing, even if other requests commit meanwhile."""
    before = endpoint(store, app_id)
    found: Object = {
        "id": app_id,
        "object": "app_webhook",
        "appId": app_id,
        "url": url,
        "verified": False,
        "max_attempts": attempts or delivery.DEFAULT_ATTEMPTS,
        "retry_base_ms": delivery.DEFAULT_RETRY_BASE_MS if retry_base_ms is None else retry_base_ms,
        "_verification_code": _uuid(store),
        "_auth_code": before["_auth_code"] if before else _uuid(store),
        "_merchant": app_id,
    }
    return found


def save(store: Store, found: Object) -> None:
    store.put(ENDPOINT, found)


def verification_body(found: Object) -> bytes:
    return json.dumps({"verificationCode": found["_verification_code"]}).encode()


def verify(store: Store, found: Object) -> Object:
    found["verified"] = True
    store.put(ENDPOINT, found)
    return found


def view(found: Object) -> Object:
    """The settings as the App Settings page shows them: the auth code once verified."""
    shown = public(found)
    if found["verified"]:
        shown["authCode"] = found["_auth_code"]
    return shown


def committed(store: Store, written: list[Written]) -> None:
    """The store's commit listener: an update for each reported object it wrote, what an
    update refers to first (a customer, then orders, then payments). Nothing to do while
    no app has set a webhook URL (most requests: the sandbox's app webhooks are opt-in)."""
    if not store.holds(ENDPOINT):
        return
    for kind, obj, created in sorted(written, key=lambda w: RANK.get(w[0], len(RANK))):
        if kind in REPORTED:
            ts = obj.get("created") if created else None
            update(store, obj["_merchant"], REPORTED[kind], obj["id"], created, ts)


on_commit(committed)


def update(
    store: Store, merchant_id: str, kind: str, object_id: str, created: bool, ts: int | None
) -> None:
    """Queue one committed update (`kind` payment, order or customer) for
    the message sent once the current request is done; only an app with a URL gets it."""
    app_id = app_of(store, merchant_id)
    found = None if app_id is None else endpoint(store, app_id)
    if app_id is None or found is None or not found.get("url"):
        return
    entry = {
        "objectId": f"{PREFIXES[kind]}:{object_id}",
        "type": "CREATE" if created else "UPDATE",
        "ts": ts if isinstance(ts, int) else store.sequence.now_ms(),
    }
    key = id(store)
    first = key not in _pending
    apps = _pending.setdefault(key, {})
    apps.setdefault(app_id, {}).setdefault(merchant_id, []).append(entry)
    if first:
        try:
            asyncio.get_running_loop().call_soon(flush, store)
        except RuntimeError:  # no server loop (a model used on its own): nothing to send
            _pending.pop(key, None)


def message(app_id: str, merchants: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"appId": app_id, "merchants": merchants}


def flush(store: Store) -> list[dict[str, Any]]:
    """Send the queued updates, one message per app, to each app's URL; the messages."""
    sent = []
    for app_id, merchants in _pending.pop(id(store), {}).items():
        body = message(app_id, merchants)
        found = endpoint(store, app_id)
        if found is not None:
            send(store, found, body)
        sent.append(body)
    return sent


def send(store: Store, found: Object, body_json: dict[str, Any]) -> None:
    """Deliver one message in the background, or log why it was not sent."""
    app_id = found["appId"]
    if not found.get("url") or not found["verified"]:
        why = "no webhook URL is set" if not found.get("url") else "the URL is not verified yet"
        _record(store, app_id, body_json, 1, found.get("url") or "", None, why)
        return
    body = json.dumps(body_json, separators=(",", ":")).encode()
    auth = found["_auth_code"]

    def headers() -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "X-Clover-Auth": auth,
            "User-Agent": "Clover-Webhooks (local sandbox)",
        }

    def record(attempt: int, status: int | None, error: str | None) -> None:
        _record(store, app_id, body_json, attempt, found["url"], status, error)

    delivery.start(
        delivery.post_with_retries(
            found["url"],
            body,
            headers,
            found["max_attempts"],
            found["retry_base_ms"],
            record,
            lambda: endpoint(store, app_id) is found,
        )
    )


def _record(
    store: Store,
    app_id: str,
    body: dict[str, Any],
    attempt: int,
    url: str,
    status: int | None,
    error: str | None,
) -> None:
    updates = [u["objectId"] for entries in body.get("merchants", {}).values() for u in entries]
    store.put(
        DELIVERY,
        {
            "id": uuid.uuid4().hex[:13].upper(),  # not from the seed: sends run in the background
            "object": "app_webhook_delivery",
            "appId": app_id,
            "attempt": attempt,
            "url": url,
            "updates": updates,
            "message": body,
            "response_status": status,
            "error": error,
            "delivered": status is not None and 200 <= status < 300,
            "sent_at": int(time.time() * 1000),
            "_merchant": app_id,
        },
    )
    store.commit()


def deliveries(store: Store, app_id: str) -> list[Object]:
    """Every delivery attempt of the app's messages, oldest first."""
    return [public(d) for d in store.newest_first(DELIVERY, app_id)][::-1]
