"""A request pays only for the features it touches (issue 27, server CPU per flow): no app
webhook look-up while no app has a webhook URL, no query bookkeeping without a query, and
the unit's copies made in C. benchmarks/flow_cpu.py measures the cost; these pin the work."""

from __future__ import annotations

import asyncio
import hashlib
import warnings
from typing import Any

import httpx
import pytest
from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from helpers import masking
from helpers.sandbox.app import create_app
from helpers.sandbox.core import deadlines, fields, ids, requestlog
from helpers.sandbox.core import http as plumbing
from helpers.sandbox.core import store as store_module
from helpers.sandbox.core.errors import ApiError
from helpers.sandbox.core.http import IGNORED_PARAMS_HEADER, read_body
from helpers.sandbox.core.ids import Sequence
from helpers.sandbox.core.request import headers_of
from helpers.sandbox.core.routing import NarrowingRouter
from helpers.sandbox.local.rate_limits import RateLimits
from helpers.sandbox.resources.app_webhooks import model as app_webhooks
from tests.support import charge

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette suggests httpx2; httpx is what the kit has
    from starlette.testclient import TestClient


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


def _tried_paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    tried: list[str] = []
    original = Route.matches

    def matches(self: Route, scope: Any) -> Any:
        tried.append(self.path)
        return original(self, scope)

    monkeypatch.setattr(Route, "matches", matches)
    return tried


def test_a_token_request_tries_only_the_routes_its_path_can_reach(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tried = _tried_paths(monkeypatch)
    with TestClient(create_app(seed=1), base_url="http://127.0.0.1:8765") as client:
        apikey = client.get("/_sandbox/merchants").json()[0]["api_access_key"]
        tried.clear()
        card = {"number": "4242424242424242", "exp_month": "12", "exp_year": "2034", "cvv": "1"}
        answer = client.post("/v1/tokens", json={"card": card}, headers={"apikey": apikey})
    assert answer.status_code in (200, 400), answer.text
    assert tried == ["/v1/tokens"]  # Starlette's own walk tried the 43 routes before it


def _router() -> NarrowingRouter:
    def named(text: str) -> Any:
        return lambda request: PlainTextResponse(text)

    return NarrowingRouter(
        [
            Route("/a/{x}/cancel", named("cancel"), methods=["POST"]),
            Route("/a/{x}", named("one"), methods=["GET"]),
            Route("/a/b", named("b"), methods=["GET", "POST"]),
            Route("/{anything}/z", named("z"), methods=["GET"]),
        ],
        redirect_slashes=False,
    )


def test_the_narrowing_router_keeps_starlettes_order_405_and_404() -> None:
    client = TestClient(_router())
    assert client.get("/a/b").text == "one"  # the first declared full match wins
    assert client.post("/a/b").text == "b"  # a partial match earlier does not stop the walk
    assert client.post("/a/q/cancel").text == "cancel"
    assert client.get("/q/z").text == "z"  # a route with no fixed start is always tried
    assert client.put("/a/q").status_code == 405
    assert client.get("/nowhere/at/all").status_code == 404
    assert client.get("/a/b/").status_code == 404  # no redirect: /a/b/ is not a path here


def test_the_quick_wire_pass_refuses_what_the_named_walk_refuses() -> None:
    for bad in ("\ud800", 1e400, 10**65, {"k\udc80": 1}, [[{"x": float("nan")}]]):
        assert not fields._on_the_wire({"outer": [bad]})
        with pytest.raises(ApiError):
            fields.check_wire({"outer": [bad]})
    assert fields._on_the_wire({"card": {"number": "4242", "name": "Zoë"}, "n": [1, 2.5, None]})


def test_the_request_log_decides_each_key_once() -> None:
    body = {"card": {"number": "4242424242424242", "cvv": "123", "exp_month": "12"}}
    masking.mask_request(body)
    misses = masking._rule_of.cache_info().misses
    masked = masking.mask_request(body)
    assert masking._rule_of.cache_info().misses == misses
    assert masked == {"card": {"number": "424242******4242", "cvv": "•••", "exp_month": "12"}}


def test_a_units_snapshot_of_the_sequence_is_a_copy() -> None:
    sequence = Sequence(seed=1, position=3, offset_ms=5)
    kept = sequence.snapshot()
    sequence.object_id()
    sequence.move_to(sequence.now_ms() + 60_000)
    assert kept == Sequence(seed=1, position=3, offset_ms=5) and kept is not sequence


def test_a_body_is_read_from_the_asgi_messages_and_kept_for_a_later_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_stream(self: Request) -> Any:
        raise AssertionError("read through Starlette's stream() generator")

    monkeypatch.setattr(Request, "stream", no_stream)
    sent = [
        {"type": "http.request", "body": b'{"a":', "more_body": True},
        {"type": "http.request", "body": b"1}", "more_body": False},
    ]

    async def receive() -> dict[str, Any]:
        return sent.pop(0) if sent else {"type": "http.disconnect"}

    request = Request({"type": "http", "method": "POST", "headers": []}, receive)
    assert asyncio.run(read_body(request)) == b'{"a":1}'
    assert asyncio.run(request.body()) == b'{"a":1}'  # kept: not asked of the client again
    gone = Request({"type": "http", "method": "POST", "headers": []}, receive)
    with pytest.raises(ClientDisconnect):
        asyncio.run(read_body(gone))


def _stalled() -> Request:
    async def receive() -> dict[str, Any]:
        await asyncio.sleep(3600)  # headers came, the body never does
        return {}

    return Request({"type": "http", "method": "POST", "headers": []}, receive)


def _whole() -> Request:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    return Request({"type": "http", "method": "POST", "headers": []}, receive)


def test_bodies_are_watched_by_one_timer_not_one_each(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_timeout(delay: Any) -> Any:
        raise AssertionError("a timer per request")

    monkeypatch.setattr(asyncio, "timeout", no_timeout)

    async def reads() -> tuple[int, int]:
        loop = asyncio.get_running_loop()
        timers: list[float] = []
        original = loop.call_at
        monkeypatch.setattr(
            loop, "call_at", lambda when, *a: timers.append(when) or original(when, *a)
        )
        for _ in range(50):
            assert await read_body(_whole()) == b"{}"
        return len(timers), len(deadlines.watchdog().reading)

    timers, watched = asyncio.run(reads())
    assert timers == 1  # set once, for the first deadline; later ones come after it
    assert watched == 0  # a body read is forgotten as it ends


def test_each_stalled_body_gets_its_408_and_a_cancelled_read_stays_cancelled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(plumbing, "BODY_TIMEOUT_S", 0.05)

    async def reads() -> list[Any]:
        cancelled = asyncio.create_task(read_body(_stalled()))
        slow = [asyncio.create_task(read_body(_stalled())) for _ in range(3)]
        whole = asyncio.create_task(read_body(_whole()))
        await asyncio.sleep(0)
        cancelled.cancel()
        outcomes = await asyncio.gather(cancelled, *slow, whole, return_exceptions=True)
        watch = deadlines.watchdog()
        assert not watch.reading and not watch.expired
        return outcomes

    cancelled, *slow, whole = asyncio.run(reads())
    assert isinstance(cancelled, asyncio.CancelledError)
    assert [getattr(s, "status", s) for s in slow] == [408, 408, 408]
    assert whole == b"{}"


def test_a_charges_headers_are_decoded_once_not_scanned_per_question(
    http: httpx.Client, merchant: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scans: list[str] = []
    original = Headers.__getitem__

    def scan(self: Headers, key: str) -> str:
        scans.append(key)
        return original(self, key)

    monkeypatch.setattr(Headers, "__getitem__", scan)
    answer = charge(http, merchant)
    assert answer.status_code == 200, answer.text
    assert scans == []  # guard, request log, auth and handler read one dictionary


def test_read_headers_answer_as_starlettes_do() -> None:
    raw = [(b"host", b"a"), (b"x-two", b"1"), (b"x-two", b"2"), (b"content-type", b"t")]
    scope = {"type": "http", "headers": raw}
    read, plain = headers_of(scope), Headers(scope=scope)
    assert headers_of(scope) is read  # kept in the scope
    for name in ("host", "X-Two", "CONTENT-TYPE", "missing"):
        assert read.get(name) == plain.get(name) and (name in read) == (name in plain)
    assert read.getlist("x-two") == ["1", "2"] and read["x-two"] == "1"
    with pytest.raises(KeyError):
        read["missing"]


def test_ids_drawn_through_the_byte_table_are_the_ids_the_seed_always_gave() -> None:
    """Stored notebook outputs show seeded ids: the faster draw must not change one."""
    for alphabet, length in ((ids.ID_ALPHABET, 13), (ids.TOKEN_ALPHABET, 28), ("0123456789", 4)):
        sequence = Sequence(seed=7)
        for position in range(300):
            digest = hashlib.blake2b(f"7:{position}".encode(), digest_size=length).digest()
            expected = "".join(alphabet[byte % len(alphabet)] for byte in digest)
            assert sequence._draw(alphabet, length) == expected


def test_rate_limits_that_are_off_make_nothing_per_request() -> None:
    limits = RateLimits()
    assert limits.admit("key-1", "APP1") is limits.admit("key-2", "APP2")  # one shared no-op
    limits.configure({"enforce": True, "tokenConcurrentLimit": 1})
    with limits.admit("key-1", "APP1"), pytest.raises(ApiError) as refused:
        limits.admit("key-1", "APP1").__enter__()
    assert refused.value.status == 429
