"""Every answer of the sandbox carries how far its clock was moved (the kit's header,
docs/sandbox.md), so a client reads the clock without a request of its own (issue 27)."""

from __future__ import annotations

import httpx

from helpers.sandbox import DEMO_MERCHANTS
from tests.support import bearer, reset

HEADER = "x-clover-sandbox-clock-moved-ms"


def test_every_answer_says_how_far_the_clock_was_moved(http: httpx.Client):
    merchant = {"private_key": DEMO_MERCHANTS[0].private_key}
    assert http.get("/_sandbox/clock").headers[HEADER] == "0"
    moved = http.post("/_sandbox/clock", json={"advance_ms": 3_600_000})
    assert moved.headers[HEADER] == "3600000" == str(moved.json()["moved_ms"])
    answers = [
        http.get("/v1/charges", headers=bearer(merchant)),
        http.get("/v1/charges"),  # 401: no Bearer
        http.get("/v1/no-such-path"),  # 404 in Clover's envelope
        http.get("/_sandbox/health"),
        http.get("/", headers={"host": "evil.example"}),  # refused by the guard
    ]
    assert [answer.headers.get(HEADER) for answer in answers] == ["3600000"] * 5
    reset(http)
    assert http.get("/_sandbox/health").headers[HEADER] == "0", "a reset puts the moves back"


def test_the_reset_answer_carries_the_clock_after_the_reset(http: httpx.Client):
    http.post("/_sandbox/clock", json={"advance_ms": 60_000}).raise_for_status()
    assert http.post("/_sandbox/reset", json={"seed": 7}).headers[HEADER] == "0"
    reset(http)
