"""The local-only control API under `/_sandbox/`: Clover has nothing like it.

It lets notebooks and tests read the demo credentials, register a learner's own merchant
(`POST /_sandbox/merchants`), put the sandbox back to a known state, and switch on what
Clover's sandbox cannot show (faults, rate limits, a clock).
Its routes declare `auth="local"`: no credentials, since the sandbox listens on loopback
and holds no real money. Where Clover's dashboard holds a setting (webhook URL and
secret), a control stands in for it.
"""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlsplit

from helpers.sandbox.core import fields, times, webhooks
from helpers.sandbox.core.errors import bad_limit, bad_seed, invalid_request, missing
from helpers.sandbox.core.http import Call
from helpers.sandbox.core.merchants import DEMO_MERCHANTS, Merchant
from helpers.sandbox.core.requestlog import MAX_ENTRIES as MAX_LOGGED
from helpers.sandbox.core.store import public
from helpers.sandbox.local import clock as moves
from helpers.sandbox.resources.oauth import model as grants
from helpers.sandbox.resources.oauth.model import Lifetimes, under_site_url
from helpers.sandbox.resources.recurring import dates
from helpers.sandbox.state import SandboxState

MAX_LIFETIME_S = 10 * 365 * 24 * 3600
MAX_ADVANCE_MS = 366 * 24 * 3600 * 1000
MAX_JUMP_MS = 50 * 366 * 24 * 3600 * 1000
CLOCK_FIELDS = ("advance_ms", "advance", "to")
MAX_CHECKOUT_LIFETIME_S = 24 * 3600
MAX_SITE_URLS = 20
WEBHOOK_FIELDS = ("merchant", "url", "secret", "max_attempts", "retry_base_ms")
MERCHANT_FIELDS = (
    "name",
    "merchant_id",
    "private_key",
    "api_access_key",
    "app_id",
    "app_secret",
    "site_urls",
)
# Clover shows a merchantId as 13 letters and digits (docs: merchant-id-and-api-token-for-
# development); an App ID in the Developer Dashboard has the same shape.
CLOVER_ID = re.compile(r"[A-Za-z0-9]{13}")
# Keys and secrets: Clover does not document their shape, so any 16 to 200 printable
# ASCII characters without spaces (its private keys are UUIDs, its apiAccessKeys 32 hex).
SECRET = re.compile(r"[!-~]{16,200}")
SECRET_HINT = "must be 16 to 200 printable ASCII characters without spaces, as Clover shows it"


def _sandbox(call: Call) -> SandboxState:
    """The whole state the controls change (faults, limits, registration, reset), where a
    handler's `call.state` is typed by what the core asks of it (core/state.py)."""
    assert isinstance(call.state, SandboxState)
    return call.state


def merchants(call: Call) -> Any:
    """`GET` lists every merchant with its credentials; `POST` registers one (below)."""
    if call.request.method == "POST":
        return register_merchant(call)
    return [m.public() for m in _sandbox(call).merchants.values()]


def register_merchant(call: Call) -> Any:
    """`POST {name, merchant_id, private_key, api_access_key, app_id, app_secret,
    site_urls?}`: a merchant under your own Clover sandbox merchant's ids and keys, so that
    a page written for it runs here unchanged. Its keys are where Clover's dashboard shows
    them (docs: configuration-1 "Set up an Ecommerce API token", generate-ecommerce-api-key-
    or-pakms-key); `site_urls` are the app's Site URLs that OAuth redirect URIs must be at or
    below (docs: build/cors). Posting the same merchant_id again replaces it; a demo
    merchant cannot be replaced; a reset removes every registered merchant.
    """
    state, body = _sandbox(call), call.body
    fields.reject_unknown(body, MERCHANT_FIELDS)
    name = fields.string(body, "name", required=True, max_length=127) or ""
    if not name.strip():
        raise invalid_request("name must not be blank: send the business name.", param="name")
    ids = {
        field: fields.string(
            body,
            field,
            required=True,
            pattern=CLOVER_ID,
            pattern_hint="must be 13 letters and digits, as Clover's dashboard shows it",
        )
        or ""
        for field in ("merchant_id", "app_id")
    }
    keys = {
        field: _secret(body, field) for field in ("private_key", "api_access_key", "app_secret")
    }
    merchant_id, app_id = ids["merchant_id"], ids["app_id"]
    if any(m.merchant_id == merchant_id for m in DEMO_MERCHANTS):
        raise invalid_request(
            f"merchant_id {merchant_id} is a demo merchant's; send your own merchant's id.",
            param="merchant_id",
        )
    _refuse_colliding_keys(state, merchant_id, app_id, keys)
    for other in state.merchants.values():
        if (
            other.app_id == app_id
            and other.merchant_id != merchant_id
            and other.app_secret != keys["app_secret"]
        ):
            raise invalid_request(
                f"app {app_id} is already here with another app_secret (merchant "
                f"{other.merchant_id}): an app has one secret.",
                param="app_secret",
            )
    sites = _site_urls(body.get("site_urls"))
    if _app_of_another(state, app_id, merchant_id):
        # The app is here already (the demo app's secret is public): its Site URLs are
        # the app's, so a merchant registered under it adds to them, never replaces them.
        held = state.settings.site_urls.get(app_id, [])
        sites = held + [url for url in sites if url not in held]
    elif not sites:
        sites = list(state.settings.site_urls.get(app_id, ()))
    merchant = Merchant(
        merchant_id=merchant_id,
        name=name,
        app_id=app_id,
        app_secret=keys["app_secret"],
        private_key=keys["private_key"],
        api_access_key=keys["api_access_key"],
        pakms_created_ms=int(time.time() * 1000),
    )
    state.register(merchant, sites)
    return {**merchant.public(), "site_urls": sites}


def _app_of_another(state: SandboxState, app_id: str, merchant_id: str) -> bool:
    merchants = state.merchants.values()
    return any(m.app_id == app_id and m.merchant_id != merchant_id for m in merchants)


def _refuse_colliding_keys(
    state: SandboxState, merchant_id: str, app_id: str, keys: dict[str, str]
) -> None:
    """A key that equals any credential the sandbox holds would let that credential
    authenticate as this merchant (a public key used as a Bearer), or this key as another:
    each private key, public key and app secret is its own. Only merchants of one app
    share its secret; a live OAuth token is a credential too."""
    for field, value in keys.items():
        others = [k for name, k in keys.items() if name != field]
        if value in others:
            raise invalid_request(
                f"{field} equals another key of this request: the private key, the public "
                "key (api_access_key) and the app_secret must all differ.",
                param=field,
            )
        for other in state.merchants.values():
            if other.merchant_id == merchant_id:
                continue
            held = {other.private_key, other.api_access_key}
            if other.app_id != app_id or field != "app_secret":
                held.add(other.app_secret)
            if value in held:
                raise invalid_request(
                    f"{field} equals a credential of merchant {other.merchant_id}: each "
                    "merchant has its own keys.",
                    param=field,
                )
        if grants.merchant_for_access_token(state.store, value, state.store.expiry_now_s()):
            raise invalid_request(
                f"{field} equals a live OAuth access token: send your own merchant's key.",
                param=field,
            )


def _secret(body: dict[str, Any], field: str) -> str:
    """A key or secret, checked without echoing it into the error message."""
    value = fields.string(body, field, required=True) or ""
    if not SECRET.fullmatch(value):
        raise invalid_request(f"{field} {SECRET_HINT} ({len(value)} characters sent).", field)
    return value


def _site_urls(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_SITE_URLS:
        raise invalid_request(
            f"site_urls must be an array of at most {MAX_SITE_URLS} URLs, not "
            f"{fields.type_name(value)}.",
            param="site_urls",
        )
    sites: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise invalid_request(
                f"site_urls[{i}] must be a URL string, not {fields.type_name(item)}.",
                param=f"site_urls[{i}]",
            )
        url = _url({"url": item}, f"site_urls[{i}]")
        assert url is not None
        if not url.isascii() or urlsplit(url).query or urlsplit(url).fragment:
            raise invalid_request(
                f"site_urls[{i}] must be ASCII, without a ?query or #fragment; got {url[:80]!r}.",
                param=f"site_urls[{i}]",
            )
        if url not in sites:
            sites.append(url)
    return sites


def reset(call: Call) -> Any:
    """Empty the state; `{"seed": N}` reseeds, no body returns to the starting seed."""
    body = call.body
    seed = body.get("seed")
    if seed is not None and (type(seed) is not int or seed < 0):
        raise bad_seed(seed)
    unknown = set(body) - {"seed"}
    if unknown:
        name = sorted(unknown)[0]
        raise invalid_request(f"Unknown parameter: {name}. Allowed: seed.", param=name)
    moves.stop(call.store)
    _sandbox(call).reset(seed)
    return {"reset": True, "seed": call.store.sequence.seed}


def health(call: Call) -> Any:
    return {"ok": True}


def oauth_lifetimes(call: Call) -> Any:
    """Seconds OAuth codes and tokens live from now on; POST changes any of them.

    A notebook shortens `access_token` to show a refresh without waiting half an hour;
    0 issues tokens that are already expired. A reset restores the defaults.
    """
    settings = _sandbox(call).settings
    if call.request.method == "POST":
        values = settings.oauth_lifetimes.as_dict()
        fields.reject_unknown(call.body, tuple(values))
        for name, value in call.body.items():
            if type(value) is not int or not 0 <= value <= MAX_LIFETIME_S:
                raise invalid_request(
                    f"{name} must be a whole number of seconds from 0 "
                    f"to {MAX_LIFETIME_S}; got {value!r}.",
                    param=name,
                )
            values[name] = value
        settings.oauth_lifetimes = Lifetimes(**values)
    return settings.oauth_lifetimes.as_dict()


def site_urls(call: Call) -> Any:
    """An app's Site URLs, where Clover's App Settings keep them: `GET ?client_id=` lists
    them, `POST {"client_id", "url"}` adds one. `/oauth/v2/authorize` then takes a
    redirect_uri at or below any of them (docs: build/cors). A reset keeps only the demo's.
    """
    state, body = _sandbox(call), call.body
    known = state.settings.site_urls
    if call.request.method == "GET":
        client_id = call.query.get("client_id") or ""
    else:
        fields.reject_unknown(body, ("client_id", "url"))
        client_id = fields.string(body, "client_id", required=True, max_length=64) or ""
    if client_id not in known:
        raise invalid_request(
            f"client_id {client_id[:64]!r} is not an app of this sandbox: use the app_id "
            "from GET /_sandbox/merchants.",
            param="client_id",
        )
    if call.request.method == "POST":
        url = _url(body)
        if url is None:
            raise missing("url", "Send the app's Site URL, such as https://my-shop.example/app.")
        if not url.isascii() or urlsplit(url).query or urlsplit(url).fragment:
            raise invalid_request(
                f"url must be ASCII, without a ?query or #fragment; got {url[:80]!r}.",
                param="url",
            )
        sites = known[client_id]
        if url not in sites and len(sites) >= MAX_SITE_URLS:
            raise invalid_request(
                f"An app holds at most {MAX_SITE_URLS} Site URLs here; reset to start over.",
                param="url",
            )
        if not any(under_site_url(url, site) for site in sites):
            sites.append(url)
    return {"client_id": client_id, "site_urls": list(known[client_id])}


def checkout(call: Call) -> Any:
    """`POST {"session_lifetime_s": N}` sets how long new Hosted Checkout sessions last
    (default 900); `GET` reads it. A reset goes back to 15 minutes."""
    settings = _sandbox(call).settings
    if call.request.method == "POST":
        fields.reject_unknown(call.body, ("session_lifetime_s",))
        seconds = fields.integer(
            call.body,
            "session_lifetime_s",
            required=True,
            maximum=MAX_CHECKOUT_LIFETIME_S,
            unit="seconds",
        )
        assert seconds is not None
        settings.checkout_session_lifetime_s = seconds
    return {"session_lifetime_s": settings.checkout_session_lifetime_s}


def faults(call: Call) -> Any:
    """Faults Clover cannot show you (see faults.py): POST adds one, GET lists them, DELETE
    switches them off (all, or `?merchant=` one merchant's). A reset switches them off too."""
    state = _sandbox(call)
    if call.request.method == "POST":
        return state.faults.add(call.body, state.merchants, state.store.sequence.seed).public()
    if call.request.method == "DELETE":
        return {"deleted": state.faults.remove(call.query.get("merchant"))}
    return {"object": "list", "data": [f.public() for f in state.faults]}


def rate_limits(call: Call) -> Any:
    """Clover's documented rate limits: off until `{"enforce": true}` is POSTed."""
    if call.request.method == "POST":
        return _sandbox(call).limits.configure(call.body)
    return _sandbox(call).limits.public()


def requests(call: Call) -> Any:
    """What the sandbox saw, masked, oldest first: `?merchant=`, `?path=`, `?limit=` (100)."""
    raw = call.query.get("limit", "100")
    if not fields.ascii_digits(raw) or not 1 <= int(raw) <= MAX_LOGGED:
        raise bad_limit(raw, MAX_LOGGED)
    data = call.state.requests.page(call.query.get("merchant"), call.query.get("path"), int(raw))
    return {"object": "list", "data": data}


async def clock(call: Call) -> Any:
    """The sandbox clock: `GET` reads it; `POST` moves it forward by `{"advance_ms": N}`,
    by `{"advance": "P1Y"}` (an ISO-8601 duration) or to `{"to": "2027-01-05"}`, and
    runs every subscription renewal and retry due on the way, in time order, in bounded
    steps (clock.py): other requests are served between them, and a reading taken
    meanwhile says `status: "advancing"`. The `POST` answers once the move is done.

    The clock moves with or without a seed (without one it runs ahead of the real clock
    by what it was moved); never backwards. Objects made afterwards carry its time.
    """
    store = call.store
    if call.request.method == "GET":
        return moves.reading(store)
    target = _clock_target(call)
    charged = await moves.advance(store, target)
    return {**moves.reading(store), "renewal_attempts": charged}


def _clock_target(call: Call) -> int:
    """The time a clock move asks for, checked field by field."""
    store = call.store
    moves.check_free(store)
    now = store.sequence.now_ms()
    fields.reject_unknown(call.body, CLOCK_FIELDS)
    given = [name for name in CLOCK_FIELDS if call.body.get(name) is not None]
    if len(given) != 1:
        raise invalid_request(
            "Send one of advance_ms (milliseconds), advance (an ISO-8601 duration such as "
            'P1Y or P3M) or to (a date such as "2027-01-05").',
            param=given[1] if len(given) > 1 else "advance_ms",
        )
    if given == ["advance_ms"]:
        advance = fields.integer(
            call.body, "advance_ms", required=True, maximum=MAX_ADVANCE_MS, unit="milliseconds"
        )
        assert advance is not None
        target = now + advance
    elif given == ["advance"]:
        target = dates.after(
            now, fields.string(call.body, "advance", max_length=40) or "", "advance"
        )
    else:
        target = dates.parse(fields.string(call.body, "to", max_length=40) or "", "to")
        if target < now:
            raise invalid_request(
                f"to must not be before the sandbox's time now, {times.iso(now)}: the clock "
                "only moves forward (a reset puts it back).",
                param="to",
            )
    if target > dates.MAX_MS:
        raise dates.beyond_last_date(given[0])
    if target - now > MAX_JUMP_MS:
        raise invalid_request(
            f"{given[0]} moves the clock at most {MAX_JUMP_MS // (366 * dates.DAY_MS)} years "
            "in one call; move it in steps.",
            param=given[0],
        )
    return target


# -- webhooks: where Clover's dashboard keeps a merchant's URL and secret --------------


def _merchant(state: SandboxState, merchant_id: str | None) -> str:
    if not merchant_id:
        raise missing("merchant", "Name the merchant id whose webhooks these are.")
    if merchant_id not in state.merchants:
        raise invalid_request(
            f"No merchant {merchant_id!r} here; see GET /_sandbox/merchants.", param="merchant"
        )
    return merchant_id


def _url(body: dict[str, Any], name: str = "url") -> str | None:
    url = fields.string({name: body.get("url")}, name, max_length=2048)
    if url is not None:
        fields.web_url(url, name)
    return url


def webhook_settings(call: Call) -> Any:
    """`POST {merchant, url, secret?, max_attempts?, retry_base_ms?}` sets where a
    merchant's webhooks go (a `url` of null stops them) and answers the signing secret,
    made here unless given; `GET ?merchant=` reads it back."""
    state, body = _sandbox(call), call.body
    if call.request.method == "GET":
        return webhooks.settings(state.store, _merchant(state, call.query.get("merchant")))
    fields.reject_unknown(body, WEBHOOK_FIELDS)
    merchant_id = _merchant(state, fields.string(body, "merchant", max_length=13))
    url = _url(body)
    secret = fields.string(body, "secret", max_length=200)
    if secret is not None and len(secret) < 16:
        raise invalid_request("secret must be at least 16 characters long.", param="secret")
    attempts = fields.integer(
        body, "max_attempts", minimum=1, maximum=webhooks.MAX_ATTEMPTS, unit="attempts"
    )
    base = fields.integer(
        body, "retry_base_ms", maximum=webhooks.MAX_RETRY_BASE_MS, unit="milliseconds"
    )
    endpoint = webhooks.configure(state.store, merchant_id, url, secret, attempts, base)
    return public(endpoint)


def webhook_deliveries(call: Call) -> Any:
    """`GET ?merchant=`: every delivery attempt for the merchant, oldest first."""
    merchant_id = _merchant(_sandbox(call), call.query.get("merchant"))
    return {"object": "list", "data": webhooks.deliveries(call.store, merchant_id)}
