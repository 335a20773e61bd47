"""Malformed requests get a Clover-shaped 4xx naming the problem; the sandbox keeps serving."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import VISA, assert_error, bearer, charge


@pytest.mark.parametrize(
    ("content", "content_type", "status", "param"),
    [
        (b'{"amount": 100,', "application/json", 400, None),
        (b"\xff\xfe\x00", "application/json", 400, None),
        (b"[1, 2, 3]", "application/json", 400, None),
        (b'"just a string"', "application/json", 400, None),
        (b"amount=100&currency=usd", "application/x-www-form-urlencoded", 400, "content-type"),
        (b"{}", "text/plain", 400, "content-type"),
        (b'{"amount": 100}' + b" " * 70_000, "application/json", 413, None),
    ],
)
def test_malformed_bodies(http, merchant, content, content_type, status, param):
    response = http.post(
        "/v1/charges", headers={**bearer(merchant), "content-type": content_type}, content=content
    )
    assert_error(response, status, "invalid_request", param)


def test_unknown_path_and_method_answer_in_the_envelope(http, merchant):
    assert_error(http.get("/v1/chargez", headers=bearer(merchant)), 404, "resource_missing")
    response = http.delete("/v1/charges", headers=bearer(merchant))
    assert response.status_code == 405 and response.json()["error"]["type"]
    assert response.headers["allow"] == "GET, HEAD, POST"  # RFC 9110: a 405 says what is
    assert "it takes GET, HEAD, POST" in response.json()["error"]["message"]
    assert http.request("TRACE", "/pakms/apikey").headers["allow"] == "GET, HEAD"


def test_every_error_leaves_the_sandbox_serving(http, merchant):
    for body in ({"amount": 1e308}, {"amount": -0}, {"amount": "١٢٣"}, {"currency": None}):
        http.post("/v1/charges", headers=bearer(merchant), json=body)
    assert charge(http, merchant).status_code == 200


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
SHARED_FIXTURES = [HealthCheck.function_scoped_fixture]  # one reset sandbox per test is fine
charge_bodies = st.fixed_dictionaries(
    {},
    optional={
        "amount": json_values,
        "currency": json_values,
        "source": json_values,
        "capture": json_values,
        "metadata": json_values,
        "description": json_values,
        "tip_amount": json_values,
        "stored_credentials": json_values,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=SHARED_FIXTURES)
@given(body=charge_bodies)
def test_generated_charge_bodies_never_cause_a_5xx(http, merchant, body):
    response = http.post(
        "/v1/charges",
        headers={**bearer(merchant), "content-type": "application/json"},
        content=json.dumps(body),
    )
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.json()["error"]["message"]


@settings(max_examples=150, deadline=None, suppress_health_check=SHARED_FIXTURES)
@given(
    card=st.dictionaries(
        st.sampled_from(["number", "exp_month", "exp_year", "cvv", "brand", "name", "address_zip"]),
        json_values,
    )
)
def test_generated_cards_never_cause_a_5xx(http, merchant, card):
    response = http.post(
        "/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={"card": card}
    )
    assert response.status_code < 500, response.text


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b'{"amount": 100, "currency": "usd", "source": "clv_x", "metadata": {"a": NaN}}', "NaN"),
        (
            b'{"amount": 100, "currency": "usd", "source": "clv_x", "metadata": {"a": Infinity}}',
            "Infinity",
        ),
        (b'{"metadata": ' + b"[" * 30_000 + b"]" * 30_000 + b"}", "deeply"),
    ],
)
def test_what_json_does_not_allow_is_refused_not_stored(http, merchant, content, what):
    response = http.post(
        "/v1/charges",
        headers={**bearer(merchant), "content-type": "application/json"},
        content=content,
    )
    error = assert_error(response, 400, "invalid_request")
    assert what in error["message"]
    assert charge(http, merchant).status_code == 200


@pytest.mark.parametrize(
    "card",
    [
        {"number": "424242424242424²"},
        {"number": "\uff14\uff12" * 8},  # full-width digits
        {"exp_month": "²"},
        {"exp_year": "20²0"},
        {"cvv": "12²"},
    ],
)
def test_digits_other_than_0_to_9_are_refused_by_the_tokenizer(http, merchant, card):
    response = http.post(
        "/v1/tokens",
        headers={"apikey": merchant["api_access_key"]},
        json={"card": {**VISA, **card}},
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["param"] == f"card.{next(iter(card))}"


@pytest.mark.parametrize("query", ["limit=²", "limit=\uff11\uff10", "created.gt=²"])
def test_digits_other_than_0_to_9_are_refused_in_list_parameters(http, merchant, query):
    response = http.get(f"/v1/charges?{query}", headers=bearer(merchant))
    assert_error(response, 400, "invalid_request", query.split("=")[0])


def test_a_trailing_slash_is_an_unknown_path_in_the_envelope(http, merchant):
    response = http.post("/v1/charges/", headers=bearer(merchant), json={})
    assert_error(response, 404, "resource_missing")


def test_type_errors_read_as_english(http, merchant):
    response = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={"amount": [1], "currency": "usd", "source": "clv_x"},
    )
    error = assert_error(response, 400, "invalid_charge_amount", "amount")
    assert "not an array" in error["message"]
