"""Generated requests to every Clover endpoint the sandbox serves: never a 5xx.

The endpoints are read from the app's own route table, so a new endpoint is fuzzed as
soon as it is added. Bodies mix the field names Clover uses with random values and random
names; headers mix valid, wrong and missing credentials and content types.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Route

from helpers.sandbox import DEMO_MERCHANTS, create_app

CLOVER_PREFIXES = ("/v1/", "/pakms/", "/oauth/", "/invoicingcheckoutservice/")
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


def clover_routes() -> list[tuple[str, str]]:
    found = []
    for route in create_app().routes:
        if isinstance(route, Route) and route.path.startswith(CLOVER_PREFIXES):
            found += [
                (method, route.path) for method in sorted(route.methods or ()) if method != "HEAD"
            ]
    return found


ROUTES = clover_routes()
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.text(max_size=30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["usd", "4242424242424242", "clv_x", "12", "2034", "VISA", "", "١٢٣"])
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
raw_bodies = st.one_of(
    bodies.map(lambda b: json.dumps(b).encode()),
    st.binary(max_size=64),
    st.just(b""),
    st.just(b"{"),
    st.just(b"null"),
)
credentials = st.sampled_from(
    [
        {"authorization": f"Bearer {MERCHANT.private_key}"},
        {"apikey": MERCHANT.api_access_key},
        {"authorization": "Bearer wrong"},
        {},
        {"authorization": "Basic x"},
    ]
)
content_types = st.sampled_from(["application/json", "text/plain", "", "application/json; x"])
path_values = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="/?#%"), min_size=1, max_size=20
)


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_generated_requests_never_cause_a_5xx(
    http: httpx.Client, method: str, path: str, data: st.DataObject
) -> None:
    concrete = re.sub(r"\{[^}]+\}", lambda _: quote(data.draw(path_values), safe=""), path)
    headers = {
        **data.draw(credentials),
        "x-forwarded-for": "203.0.113.5",
        "idempotency-key": data.draw(st.uuids()).hex,
    }
    content_type = data.draw(content_types)
    if content_type:
        headers["content-type"] = content_type
    body = data.draw(raw_bodies) if method in ("POST", "PUT") else b""
    response = http.request(
        method,
        concrete,
        headers=headers,
        content=body,
        params=data.draw(
            st.dictionaries(
                st.sampled_from(["limit", "charge", "starting_after", "x"]),
                st.text(max_size=8),
                max_size=2,
            )
        ),
    )
    assert response.status_code < 500, (method, concrete, response.text)
    payload = response.json()
    if response.status_code >= 400:
        assert payload["message"].startswith(str(response.status_code))
        if response.status_code != 401:
            assert payload["error"]["type"] and payload["error"]["message"]


def test_every_clover_route_is_fuzzed():
    paths = {p for _, p in ROUTES}
    assert {"/v1/charges", "/v1/tokens", "/v1/refunds", "/pakms/apikey"} <= paths
