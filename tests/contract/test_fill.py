"""The runner's placeholders: each puts the value it names into a request, and nothing else."""

from __future__ import annotations

import pytest

from tests.contract.test_pages import fill

ANSWERS = [{"id": "ORDER1", "items": [{"parent": "LINE1"}]}]
LOCATIONS = ["https://pinewood-shop.example/cb?merchant_id=M1&client_id=APP&code=abc%2Bd"]
MERCHANT = {"app_id": "KTAPPDEM0A1B2", "app_secret": "s3cret"}


def test_each_placeholder_is_replaced_by_what_it_names() -> None:
    request = {
        "path": "/v1/orders/{{answer:0.id}}/returns",
        "parent": "{{answer:0.items.0.parent}}",
        "code": "{{location:0.code}}",
        "client_id": "{{merchant:app_id}}",
        "client_secret": "{{merchant:app_secret}}",
        "number": "{{card:4242424242424242}}",
        "plain": "left as it is",
    }
    assert fill(request, ANSWERS, LOCATIONS, MERCHANT) == {
        "path": "/v1/orders/ORDER1/returns",
        "parent": "LINE1",
        "code": "abc+d",
        "client_id": "KTAPPDEM0A1B2",
        "client_secret": "s3cret",
        "number": "4242424242424242",
        "plain": "left as it is",
    }


def test_a_location_placeholder_without_a_redirect_fails_loudly() -> None:
    with pytest.raises(AssertionError, match="no redirect"):
        fill("{{location:0.code}}", ANSWERS, [None], MERCHANT)
    with pytest.raises(AssertionError, match="no 'state'"):
        fill("{{location:0.state}}", ANSWERS, LOCATIONS, MERCHANT)
