"""A request pays only for the features it touches (issue 27, server CPU per flow): no app
webhook look-up while no app has a webhook URL, no query bookkeeping without a query, and
the unit's copies made in C. benchmarks/flow_cpu.py measures the cost; these pin the work."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from helpers.sandbox.core import requestlog
from helpers.sandbox.core import store as store_module
from helpers.sandbox.core.http import IGNORED_PARAMS_HEADER
from helpers.sandbox.resources.app_webhooks import model as app_webhooks
from tests.support import charge


def test_a_charge_looks_up_no_app_while_no_app_has_a_webhook_url(
    http: httpx.Client, merchant: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    monkeypatch.setattr(app_webhooks, "app_of", lambda store, merchant_id: looked_up.append(1))
    answer = charge(http, merchant)
    assert answer.status_code == 200, answer.text
    assert looked_up == []


def test_the_ignored_parameters_are_still_named(
    http: httpx.Client, merchant: dict[str, str]
) -> None:
    headers = {"authorization": f"Bearer {merchant['private_key']}"}
    named = http.get("/v1/charges", params={"limt": "5"}, headers=headers)
    plain = http.get("/v1/charges", headers=headers)
    assert named.headers[IGNORED_PARAMS_HEADER] == "limt"
    assert IGNORED_PARAMS_HEADER not in plain.headers


def test_the_units_copy_is_deep_keeps_shared_parts_shared_and_takes_any_value() -> None:
    shared: dict[str, Any] = {"status": "paid"}
    record = {"id": "X", "a": shared, "b": shared, "items": [{"n": 1}]}
    copied = store_module._copied(record)
    assert copied == record and copied["items"][0] is not record["items"][0]
    assert copied["a"] is copied["b"] and copied["a"] is not shared
    odd = {"kind": store_module.Kind.CHARGE, "when": object()}  # marshal refuses these
    assert store_module._copied(odd)["kind"] is store_module.Kind.CHARGE


def test_the_request_log_reads_the_answer_without_parsing_it_back(
    http: httpx.Client, merchant: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoParsing:
        @staticmethod
        def loads(raw: Any) -> Any:
            raise AssertionError("the request log parsed an answer back")

    monkeypatch.setattr(requestlog, "json", NoParsing)
    answer = charge(http, merchant)
    seen = http.get("/_sandbox/requests", params={"path": "/v1/charges"}).json()["data"]
    assert seen[-1]["result"] == answer.json()["id"]
