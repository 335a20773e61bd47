"""Malformed requests get a Clover-shaped 4xx naming the problem; the sandbox keeps serving."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import assert_error, bearer, charge


@pytest.mark.parametrize(("content", "content_type", "status", "param"), [
    (b'{"amount": 100,', "application/json", 400, None),
    (b"\xff\xfe\x00", "application/json", 400, None),
    (b"[1, 2, 3]", "application/json", 400, None),
    (b'"just a string"', "application/json", 400, None),
    (b"amount=100&currency=usd", "application/x-www-form-urlencoded", 400, "content-type"),
    (b"{}", "text/plain", 400, "content-type"),
    (b'{"amount": 100}' + b" " * 70_000, "application/json", 413, None),
])
def test_malformed_bodies(http, merchant, content, content_type, status, param):
    response = http.post("/v1/charges", headers={**bearer(merchant), "content-type": content_type},
                         content=content)
    assert_error(response, status, "invalid_request", param)


def test_unknown_path_and_method_answer_in_the_envelope(http, merchant):
    assert_error(http.get("/v1/chargez", headers=bearer(merchant)), 404, "resource_missing")
    response = http.delete("/v1/charges", headers=bearer(merchant))
    assert response.status_code == 405 and response.json()["error"]["type"]


def test_every_error_leaves_the_sandbox_serving(http, merchant):
    for body in ({"amount": 1e308}, {"amount": -0}, {"amount": "١٢٣"}, {"currency": None}):
        http.post("/v1/charges", headers=bearer(merchant), json=body)
    assert charge(http, merchant).status_code == 200


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=10)
SHARED_FIXTURES = [HealthCheck.function_scoped_fixture]  # one reset sandbox per test is fine
charge_bodies = st.fixed_dictionaries({}, optional={
    "amount": json_values, "currency": json_values, "source": json_values,
    "capture": json_values, "metadata": json_values, "description": json_values,
    "tip_amount": json_values, "stored_credentials": json_values})


@settings(max_examples=150, deadline=None, suppress_health_check=SHARED_FIXTURES)
@given(body=charge_bodies)
def test_generated_charge_bodies_never_cause_a_5xx(http, merchant, body):
    response = http.post("/v1/charges", headers={**bearer(merchant),
                                                 "content-type": "application/json"},
                         content=json.dumps(body))
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.json()["error"]["message"]


@settings(max_examples=150, deadline=None, suppress_health_check=SHARED_FIXTURES)
@given(card=st.dictionaries(st.sampled_from(["number", "exp_month", "exp_year", "cvv", "brand",
                                             "name", "address_zip"]), json_values))
def test_generated_cards_never_cause_a_5xx(http, merchant, card):
    response = http.post("/v1/tokens", headers={"apikey": merchant["api_access_key"]},
                         json={"card": card})
    assert response.status_code < 500, response.text
