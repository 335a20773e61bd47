"""The retry policy and the limiter, alone and inside the client, against a scripted Clover."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from helpers import (
    APIConnectionError,
    APIError,
    CardError,
    CloverClient,
    InvalidRequestError,
    RateLimitError,
)
from helpers.clover.limiter import RateLimiter, limiter_for
from helpers.clover.retries import NO_RETRIES, RetryPolicy, ambiguous, safe_to_repeat
from tests.client.conftest import charge_body, ok

Build = Callable[..., Any]
FAST = RetryPolicy(
    max_retries=3, initial_backoff=0.5, max_backoff=2.0, jitter=0.5, rng=random.Random(7)
)


def unavailable() -> httpx.Response:
    return ok(
        {"message": "503 Service Unavailable", "error": {"type": "api_error", "message": "down"}},
        503,
    )


def limited(seconds: str | None) -> httpx.Response:
    headers = {"retry-after": seconds} if seconds is not None else {}
    return httpx.Response(
        429,
        headers=headers,
        json={
            "message": "429 Too Many Requests",
            "error": {"type": "rate_limit_error", "code": "rate_limit", "message": "slow down"},
        },
    )


def scripted(
    *answers: httpx.Response | type[Exception],
) -> Callable[[httpx.Request], httpx.Response]:
    """Answer each request with the next item; an exception class is raised instead."""
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        answer = queue.pop(0) if queue else ok(charge_body())
        if isinstance(answer, type):
            raise answer("scripted failure", request=request)
        return answer

    return handler


def with_policy(
    make_client: Build, handler: Any, policy: RetryPolicy = FAST, **kwargs: Any
) -> tuple[CloverClient, Any, list[float]]:
    client, fake = make_client(handler, retries=policy, **kwargs)
    slept: list[float] = []
    client._sleep = slept.append
    return client, fake, slept


# -- the policy alone --------------------------------------------------------------------


def error(cls: type, status: int | None, **kwargs: Any) -> Any:
    return cls("m", status=status, **kwargs)


@pytest.mark.parametrize(
    ("failure", "method", "key", "retried"),
    [
        (error(APIConnectionError, None), "POST", "k", True),
        (error(APIConnectionError, None), "POST", None, False),
        (error(APIConnectionError, None), "GET", None, True),
        (error(APIError, 503), "POST", "k", True),
        (error(APIError, 500), "POST", None, False),
        (error(APIError, 502), "GET", None, True),
        (error(APIError, 200), "GET", None, False),
        (error(RateLimitError, 429, retry_after=3.0), "POST", None, True),
        (error(CardError, 402), "POST", "k", False),
        (error(InvalidRequestError, 400), "POST", "k", False),
        (error(InvalidRequestError, 404), "GET", None, False),
    ],
)
def test_what_is_retried(failure: Any, method: str, key: str | None, retried: bool) -> None:
    assert (FAST.delay(failure, method=method, idempotency_key=key, retry=0) is not None) is retried


def test_ambiguous_and_safe() -> None:
    assert ambiguous(error(APIConnectionError, None)) and ambiguous(error(APIError, 503))
    assert not ambiguous(error(RateLimitError, 429)) and not ambiguous(error(CardError, 402))
    assert safe_to_repeat("get", None) and safe_to_repeat("POST", "key")
    assert not safe_to_repeat("POST", None) and not safe_to_repeat("POST", "")


def test_backoff_doubles_is_capped_and_jittered() -> None:
    policy = RetryPolicy(
        initial_backoff=1.0, max_backoff=8.0, jitter=0.5, max_retries=10, rng=random.Random(1)
    )
    for retry, ceiling in enumerate([1, 2, 4, 8, 8, 8]):
        waits = [policy.backoff(retry) for _ in range(200)]
        assert all(ceiling * 0.5 <= w <= ceiling for w in waits)
        assert max(waits) - min(waits) > ceiling * 0.3  # jittered, not in step


def test_retry_after_is_honoured_up_to_a_cap_and_retries_are_counted() -> None:
    def wait(seconds: float | None, retry: int = 0) -> float | None:
        return FAST.delay(
            error(RateLimitError, 429, retry_after=seconds),
            method="GET",
            idempotency_key=None,
            retry=retry,
        )

    assert wait(3.0) == 3.0 and wait(0.0) == 0.0
    assert wait(61.0) is None
    assert 0.25 <= (wait(None) or 0) <= 0.5
    assert wait(1.0, retry=3) is None
    assert (
        NO_RETRIES.delay(error(APIError, 503), method="GET", idempotency_key=None, retry=0) is None
    )


# -- inside the client -------------------------------------------------------------------


def test_a_5xx_charge_is_resent_with_the_same_key_until_it_answers(make_client: Build) -> None:
    client, fake, slept = with_policy(make_client, scripted(unavailable(), unavailable()))
    charge = client.create_charge(1358, "clv_x")
    assert charge.id == "JD4ZEXSSXE1KW"
    keys = {request.headers["idempotency-key"] for request in fake.requests}
    assert len(fake.requests) == 3 and len(keys) == 1
    assert [json.loads(r.content) for r in fake.requests].count(
        json.loads(fake.requests[0].content)
    ) == 3
    assert len(slept) == 2 and 0.25 <= slept[0] <= 0.5 and 0.5 <= slept[1] <= 1.0
    assert [e.status for e in client.journal] == [503, 503, 200]
    assert len({e.idempotency_key for e in client.journal}) == 1


def test_connection_errors_are_retried(make_client: Build) -> None:
    client, fake, _ = with_policy(
        make_client, scripted(httpx.ConnectError, httpx.RemoteProtocolError)
    )
    assert client.create_charge(1358, "clv_x").status == "succeeded"
    assert len(fake.requests) == 3
    assert [e.error is not None for e in client.journal] == [True, True, False]


def test_a_429_waits_as_long_as_retry_after_says(make_client: Build) -> None:
    client, fake, slept = with_policy(make_client, scripted(limited("2"), limited("0")))
    client.get_charge("JD4ZEXSSXE1KW")
    assert slept == [2.0, 0.0] and len(fake.requests) == 3


def test_it_gives_up_after_max_retries_and_raises_the_last_error(make_client: Build) -> None:
    client, fake, slept = with_policy(make_client, lambda request: unavailable())
    with pytest.raises(APIError) as caught:
        client.create_charge(1358, "clv_x", idempotency_key="give-up")
    assert caught.value.status == 503 and caught.value.idempotency_key == "give-up"
    assert len(fake.requests) == FAST.max_retries + 1
    assert sum(slept) <= FAST.max_retries * max(FAST.max_backoff, FAST.max_retry_after)


@pytest.mark.parametrize(
    "answer",
    [
        ok(
            {
                "message": "402 Payment Required",
                "error": {"type": "card_error", "code": "card_declined", "message": "Declined."},
            },
            402,
        ),
        ok(
            {
                "message": "400 Bad Request",
                "error": {
                    "type": "invalid_request_error",
                    "code": "processing_error",
                    "message": "No.",
                },
            },
            400,
        ),
    ],
)
def test_a_clear_answer_is_never_retried(make_client: Build, answer: httpx.Response) -> None:
    client, fake, slept = with_policy(make_client, lambda request: answer)
    with pytest.raises((CardError, InvalidRequestError)):
        client.create_charge(1358, "clv_x")
    assert len(fake.requests) == 1 and slept == []


def test_an_oauth_post_is_never_sent_twice(make_client: Build) -> None:
    client, fake, _ = with_policy(make_client, lambda request: unavailable())
    with pytest.raises(APIError):
        client._request("POST", "http://clover.test/oauth/v2/refresh", json_body={}, auth="none")
    assert len(fake.requests) == 1


def refund_answer(reference: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": "RF1",
        "object": "refund",
        "amount": 500,
        "charge": "CH1",
        "status": "succeeded",
        "external_reference_id": reference,
        "metadata": {"refundType": "AUTH"},
        **extra,
    }


def test_a_refund_that_went_through_is_read_back_not_sent_again(make_client: Build) -> None:
    made: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            made.append(refund_answer(json.loads(request.content)["external_reference_id"]))
            return unavailable()  # the refund was made, then the answer was lost
        assert request.url.params["charge"] == "CH1"
        return ok({"object": "list", "data": made, "has_more": False})

    client, fake, slept = with_policy(make_client, handler)
    refund = client.create_refund("CH1", 500)
    assert refund.id == "RF1" and refund.amount == 500
    assert [r.method for r in fake.requests] == ["POST", "GET"] and slept == []


def test_a_refund_that_did_not_go_through_is_sent_again(make_client: Build) -> None:
    posts: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return ok({"object": "list", "data": [refund_answer("SOMEONEELSE")]})
        posts.append(request)
        if len(posts) == 1:
            raise httpx.ConnectError("refused", request=request)
        return ok(refund_answer(json.loads(request.content)["external_reference_id"]))

    client, fake, slept = with_policy(make_client, handler)
    refund = client.create_refund("CH1", 500, external_reference_id="RMA7")
    assert refund.external_reference_id == "RMA7"
    assert [r.method for r in fake.requests] == ["POST", "GET", "POST"] and len(slept) == 1
    assert posts[0].headers["idempotency-key"] == posts[1].headers["idempotency-key"]


# -- the limiter -------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_limiter_spaces_starts_to_the_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate=4, per=1.0, clock=clock)
    first = [limiter.reserve() for _ in range(4)]
    assert [booking.wait for booking in first] == [0, 0, 0, 0]
    for booking in first:
        booking.finished()  # answered at once
    waits = [limiter.reserve().wait for _ in range(5)]
    assert waits == pytest.approx([1.0, 1.0, 1.0, 1.0, 2.05])  # the fifth: behind unsent ones
    clock.now += 5
    assert limiter.reserve().wait == 0


def test_a_place_is_held_one_window_past_its_answer() -> None:
    """The server counts a request when it arrives, some time before its answer: a slow
    answer pushes back the start of the request that needs its place."""
    clock = FakeClock()
    limiter = RateLimiter(rate=2, per=1.0, clock=clock)
    slow, quick = limiter.reserve(), limiter.reserve()
    clock.now += 0.3
    slow.finished()  # arrived at the server any time in these 0.3 s
    quick.finished()
    assert limiter.reserve().wait == pytest.approx(1.0)  # not 0.7: 1.0 after the answer


def test_any_window_holds_at_most_rate_arrivals() -> None:
    """Sequential requests whose latency varies: wherever in its round trip the server
    counts each one, no second of the server's holds more than the rate."""
    clock = FakeClock()
    limiter = RateLimiter(rate=16, per=1.0, clock=clock)
    rng = random.Random(3)
    arrivals = []
    for _ in range(300):
        booking = limiter.reserve()
        clock.now += booking.wait
        latency = 0.4 if rng.random() < 0.1 else 0.002  # now and then, a slow trip
        arrivals.append(clock.now + rng.random() * latency)
        clock.now += latency
        booking.finished()
    for i, arrival in enumerate(arrivals):
        assert sum(1 for a in arrivals[i:] if a < arrival + 1.0) <= 16


def test_limiters_are_shared_per_credential() -> None:
    assert limiter_for("token-a") is limiter_for("token-a")
    assert limiter_for("token-a") is not limiter_for("token-b")
    assert "token-a" not in repr(limiter_for("token-a"))
    with pytest.raises(ValueError):
        RateLimiter(rate=0.5, per=1.0)


def test_the_client_waits_for_the_limiter(make_client: Build) -> None:
    client, _, slept = with_policy(make_client, scripted(), requests_per_second=2)
    for _ in range(6):
        client.get_charge("JD4ZEXSSXE1KW")
    waits = [w for w in slept if w > 0]
    assert len(waits) >= 3 and max(waits) > 1.0
