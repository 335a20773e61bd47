"""Clover's documented rate limits, enforced on request: 429, the limit's header, retry-after."""

from __future__ import annotations

import asyncio

import httpx

from tests.support import assert_error, bearer


def test_limits_are_off_until_switched_on(http, merchant):
    assert http.get("/_sandbox/rate-limits").json() == {
        "enforce": False,
        "tokenLimit": 16,
        "tokenConcurrentLimit": 5,
        "crossTokenLimit": 50,
        "crossTokenConcurrentLimit": 10,
    }
    answers = {http.get("/v1/charges", headers=bearer(merchant)).status_code for _ in range(40)}
    assert answers == {200}


def test_past_the_per_token_rate_comes_a_429_naming_the_limit(http, merchant, other_merchant):
    switched = http.post("/_sandbox/rate-limits", json={"enforce": True, "tokenLimit": 4})
    assert switched.json()["tokenLimit"] == 4 and switched.json()["enforce"] is True
    answers = [http.get("/v1/charges", headers=bearer(merchant)) for _ in range(6)]
    assert [a.status_code for a in answers][:4] == [200] * 4
    refused = answers[-1]
    assert_error(refused, 429, "rate_limit")
    assert refused.json()["error"]["type"] == "rate_limit_error"
    assert refused.headers["x-ratelimit-tokenlimit"] == "4"
    assert refused.headers["retry-after"] == "1"
    # another token has its own count
    assert http.get("/v1/charges", headers=bearer(other_merchant)).status_code == 200


def test_the_app_rate_counts_every_token_of_the_app(http, merchant, other_merchant):
    http.post("/_sandbox/rate-limits", json={"crossTokenLimit": 3}).raise_for_status()
    first = [
        http.get("/v1/charges", headers=bearer(m)).status_code
        for m in (merchant, other_merchant, merchant)
    ]
    assert first == [200, 200, 200]
    refused = http.get("/v1/charges", headers=bearer(other_merchant))
    assert refused.status_code == 429
    assert refused.headers["x-ratelimit-crosstokenlimit"] == "3"


def test_past_the_concurrent_limit_comes_a_429_with_retry_after(sandbox, http, merchant):
    http.post("/_sandbox/rate-limits", json={"enforce": True}).raise_for_status()
    http.post(
        "/_sandbox/faults",
        json={
            "merchant": merchant["merchant_id"],
            "kind": "latency",
            "latency_ms": 300,
            "count": 20,
        },
    ).raise_for_status()

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=sandbox.url, timeout=10) as client:
            return await asyncio.gather(
                *(client.get("/v1/charges", headers=bearer(merchant)) for _ in range(7))
            )

    answers = asyncio.run(burst())
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * 5 + [429] * 2
    refused = [a for a in answers if a.status_code == 429]
    assert all(a.headers["x-ratelimit-tokenconcurrentlimit"] == "5" for a in refused)
    assert all(a.headers["retry-after"] == "1" for a in refused)


def test_a_reset_turns_limits_off(http, merchant):
    http.post("/_sandbox/rate-limits", json={"tokenLimit": 1}).raise_for_status()
    http.post("/_sandbox/reset").raise_for_status()
    assert http.get("/_sandbox/rate-limits").json()["enforce"] is False


def test_bad_limits_are_refused(http):
    for body, param in (
        ({"tokenLimit": 0}, "tokenLimit"),
        ({"tokenLimit": 17}, "tokenLimit"),
        ({"enforce": "yes"}, "enforce"),
        ({"perMinute": 3}, "perMinute"),
    ):
        response = http.post("/_sandbox/rate-limits", json=body)
        assert response.status_code == 400 and response.json()["error"]["param"] == param
