"""Generated requests to every route the sandbox serves: never a 5xx.

The routes are read from the app's own route table (Clover's API, OAuth, the payment page,
the demo shop and the local controls), so a new route is fuzzed as soon as it is added.
Bodies mix the field names Clover uses with random values and random names, and carry
what the wire cannot (lone surrogates, 1e999, 5,000-digit integers) as JSON or as a form;
queries carry the same; headers mix valid, wrong and missing credentials, and content
types odd ones. A bounded run on loopback: its own sandbox, webhooks kept on 127.0.0.1.

test_schemathesis.py fuzzes Clover's routes from the OpenAPI document, with typed bodies
and stateful links, and checks answers against the document. This fuzzer stays for what
schemathesis cannot send or does not reach: bytes that are not JSON or UTF-8, lone
surrogates, 1e999 and 5,000-digit numbers, forms, odd content types and credentials, and
the routes outside the document (the /_sandbox controls, the demo shop, the sandbox's pages).
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Route

from helpers.sandbox import DEMO_MERCHANTS, create_app
from helpers.sandbox.core import http as plumbing
from helpers.sandbox.server import Sandbox

FIELD_NAMES = [
    "amount",
    "currency",
    "source",
    "capture",
    "card",
    "number",
    "exp_month",
    "exp_year",
    "cvv",
    "brand",
    "charge",
    "reason",
    "customer",
    "email",
    "items",
    "metadata",
    "description",
    "tip_amount",
    "tax_amount",
    "client_id",
    "client_secret",
    "code",
    "refresh_token",
    "code_verifier",
    "encrypted_pan",
    "first6",
    "last4",
    "stored_credentials",
    "shoppingCart",
    "redirectUrls",
    "quantity",
    "type",
    "tax_rates",
    "firstName",
    "phone",
    "shipping",
]
MERCHANT = DEMO_MERCHANTS[0]
# Values the wire cannot carry, written into a body's JSON text where a value goes:
# numbers that overflow a float, integers past the sandbox's 64 digits and past Python's
# 4,300-digit parsing limit, and a string holding a lone surrogate (as JavaScript's
# slice() through an emoji leaves it).
WIRE_LITERALS = [
    "1e999",
    "-1e999",
    "1e-999",
    "1" + "0" * 70,
    "9" * 5000,
    '"\\ud800"',
    '"a\\udfff b"',
    '{"\\ud83d": 1}',
    "NaN",
    "123456789012345678901234567890",
]
QUERY_VALUES = ["%ED%A0%80", "%FF", "9" * 5000, "1" + "0" * 70, "-1", "10", "%F0%9F%98%80"]
LOOPBACK_HOOK = "http://127.0.0.1:9/hook"  # webhooks fuzzed here never leave this machine


def all_routes() -> list[tuple[str, str]]:
    """Every method and path of the route table: API, OAuth, pages, demo and controls."""
    found = []
    for route in create_app().routes:
        if isinstance(route, Route):
            found += [
                (method, route.path) for method in sorted(route.methods or ()) if method != "HEAD"
            ]
    return found


ROUTES = all_routes()
FUZZED: dict[str, int] = {}
FIVE_XX: dict[str, int] = {}
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.text(max_size=30)
    | st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=3)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["usd", "4242424242424242", "clv_x", "12", "2034", "VISA", "", "١٢٣"])
    | st.just("__WIRE__")
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
bodies = st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=10), values, max_size=6)


def _json_text(body: dict, literals: list[str]) -> bytes:
    """JSON with surrogates escaped (ensure_ascii) and each "__WIRE__" swapped for a literal
    no JSON encoder writes; a "url" is kept on loopback."""
    if isinstance(body.get("url"), str):
        body["url"] = LOOPBACK_HOOK
    text = json.dumps(body)
    for literal in literals:
        text = text.replace('"__WIRE__"', literal, 1)
    return text.replace('"__WIRE__"', "1e999").encode()


def _quoted(value: object) -> str:
    """Percent-encoded; a lone surrogate becomes the bytes CESU-8 gives it (%ED%A0%80)."""
    return quote(str(value), safe="", errors="surrogatepass")


def _form_text(body: dict) -> bytes:
    pairs = [f"{_quoted(k)}={_quoted(v)}" for k, v in body.items()]
    return "&".join(pairs).encode()


raw_bodies = st.one_of(
    st.builds(_json_text, bodies, st.lists(st.sampled_from(WIRE_LITERALS), max_size=3)),
    bodies.map(_form_text),
    st.sampled_from([b"decision=allow&client_id=%ED%A0%80", b"action=pay&number=%FF%FE"]),
    st.binary(max_size=64),
    st.just(b""),
    st.just(b"{"),
    st.just(b"null"),
)
credentials = st.sampled_from(
    [
        {"authorization": f"Bearer {MERCHANT.private_key}"},
        {"authorization": f"bearer {MERCHANT.private_key}"},
        {"apikey": MERCHANT.api_access_key},
        {"authorization": "Bearer wrong"},
        {},
        {"authorization": "Basic x"},
    ]
)
content_types = st.sampled_from(
    [
        "application/json",
        "APPLICATION/JSON; charset=latin-1",
        "text/plain",
        "text/plain;charset=json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
        "application/json; x",
    ]
)
path_values = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="/?#%"), min_size=1, max_size=20
)
query_strings = st.lists(
    st.tuples(
        st.sampled_from(["limit", "charge", "starting_after", "created.gt", "merchant", "x"])
        | st.sampled_from(["merchantUuid", "amount", "client_id", "redirect_uri", "%ED%A0%80"]),
        st.sampled_from(QUERY_VALUES) | st.text(max_size=8).map(lambda v: quote(v, safe="")),
    ),
    max_size=3,
).map(lambda pairs: "&".join(f"{name}={value}" for name, value in pairs))


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[httpx.Client]:
    """Its own loopback sandbox: the controls fuzzed here reset, fault and limit it."""
    with Sandbox(seed=99) as sandbox, httpx.Client(base_url=sandbox.url, timeout=30) as http:
        yield http


def _settle(http: httpx.Client) -> None:
    """Undo what a fuzzed control may have switched on (faults answer 5xx on purpose).
    Called after a control took a request that may change something (a method other than
    GET, answered below 400): a control that refuses a request, or is only read, changes
    nothing. (After every control request it was 40% of this file's requests.)"""
    http.delete("/_sandbox/faults").raise_for_status()
    http.post("/_sandbox/rate-limits", json={"enforce": False}).raise_for_status()


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_generated_requests_never_cause_a_5xx(
    fuzzed: httpx.Client, method: str, path: str, data: st.DataObject
) -> None:
    concrete = re.sub(r"\{[^}]+\}", lambda _: quote(data.draw(path_values), safe=""), path)
    query = data.draw(query_strings)
    headers = {
        **data.draw(credentials),
        "x-forwarded-for": "203.0.113.5",
        "idempotency-key": data.draw(st.uuids()).hex,
    }
    content_type = data.draw(content_types)
    if content_type:
        headers["content-type"] = content_type
    body = data.draw(raw_bodies) if method in ("POST", "PUT", "DELETE") else b""
    url = f"{concrete}?{query}" if query else concrete
    response = fuzzed.request(method, url, headers=headers, content=body)
    where = f"{method} {path}"
    FUZZED[where] = FUZZED.get(where, 0) + 1
    if path.startswith("/_sandbox/") and method != "GET" and response.status_code < 400:
        _settle(fuzzed)
    if response.status_code >= 500:
        FIVE_XX[where] = FIVE_XX.get(where, 0) + 1
    assert response.status_code < 500, (method, url, response.text)
    if response.headers.get("content-type", "").startswith("application/json"):
        payload = response.json()
        if response.status_code >= 400:
            assert payload["message"].startswith(str(response.status_code))
            if response.status_code != 401:
                assert payload["error"]["type"] and payload["error"]["message"]


BODY_ROUTES = [(m, p) for m, p in ROUTES if m in ("POST", "PUT", "DELETE")]


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES, ids=[f"{m} {p}" for m, p in BODY_ROUTES])
def test_a_slow_body_is_answered_not_held(
    fuzzed: httpx.Client, monkeypatch: pytest.MonkeyPatch, method: str, path: str
) -> None:
    """Headers, then a body that stops: a prompt 4xx (408 where the body is read), never a
    5xx nor a connection held open. The sandbox waits 0.05 s for the rest here (15 s in
    use): the body never comes, so a shorter wait changes nothing but the 45 routes' time."""
    monkeypatch.setattr(plumbing, "BODY_TIMEOUT_S", 0.05)
    concrete = re.sub(r"\{[^}]+\}", "X", path)
    host, port = str(fuzzed.base_url).removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(
            f"{method} {concrete} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 500\r\n"
            f"Authorization: Bearer {MERCHANT.private_key}\r\napikey: {MERCHANT.api_access_key}"
            "\r\nContent-Type: application/json\r\nx-forwarded-for: 203.0.113.5\r\n\r\n{".encode()
        )
        answer = conn.recv(65536).decode("latin-1")
    where = f"{method} {path} (slow body)"
    FUZZED[where] = FUZZED.get(where, 0) + 1
    status = int(answer.split()[1])
    assert 400 <= status < 500, answer


def test_every_route_is_fuzzed() -> None:
    paths = {p for _, p in ROUTES}
    assert {"/v1/charges", "/v1/tokens", "/checkout/{session_id}", "/oauth/v2/authorize"} <= paths
    assert {"/_sandbox/reset", "/demo/charge", "/_sandbox/faults"} <= paths


def test_report_requests_fuzzed_per_route() -> None:
    """Printed with -s: the figures for the closing note."""
    print()
    for where in sorted(FUZZED):
        print(f"{FUZZED[where]:5d} requests  {FIVE_XX.get(where, 0)} 5xx  {where}")
    print(f"{sum(FUZZED.values())} requests fuzzed, {sum(FIVE_XX.values())} 5xx")
    assert not FIVE_XX
