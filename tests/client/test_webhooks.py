"""verify_webhook and the notebook's receiver: good, forged, altered, stale, replayed."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx
import pytest

from helpers.clover.webhooks import (
    WebhookError,
    WebhookReceiver,
    sign_webhook,
    verify_webhook,
)

SECRET = "b" * 64
EVENT = {
    "type": "PAYMENT",
    "status": "APPROVED",
    "id": "JD4ZEXSSXE1KW",
    "merchantId": "PNWDC0FFEE001",
    "data": "679d828f-b939-478d-85ab-cdd8025ba2cd",
    "message": "Approved for 1358",
    "created": 1767603620000,
}
BODY = json.dumps(EVENT, separators=(",", ":")).encode()
NOW = 1_800_000_000


def reason(body: bytes | str, header: str | None, **options: object) -> str:
    with pytest.raises(WebhookError) as caught:
        verify_webhook(body, header, SECRET, now=NOW, **options)  # type: ignore[arg-type]
    return caught.value.reason


def test_a_signature_is_the_hmac_of_timestamp_dot_body():
    header = sign_webhook(BODY, SECRET, NOW)
    digest = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert header == f"t={NOW},v1={digest}"


def test_a_good_webhook_is_verified_and_parsed():
    event = verify_webhook(BODY, sign_webhook(BODY, SECRET, NOW), SECRET, now=NOW)
    assert event == EVENT and event.status == "APPROVED"
    assert verify_webhook(BODY.decode(), sign_webhook(BODY, SECRET, NOW), SECRET, now=NOW)


def test_the_wrong_secret_fails():
    assert reason(BODY, sign_webhook(BODY, "a" * 64, NOW)) == "bad_signature"


def test_an_altered_body_fails():
    altered = BODY.replace(b"APPROVED", b"DECLINED")
    assert reason(altered, sign_webhook(BODY, SECRET, NOW)) == "bad_signature"
    reformatted = json.dumps(EVENT, indent=1).encode()  # same JSON, other bytes
    assert reason(reformatted, sign_webhook(BODY, SECRET, NOW)) == "bad_signature"


def test_a_changed_timestamp_fails_even_with_the_old_signature():
    v1 = sign_webhook(BODY, SECRET, NOW).split("v1=")[1]
    assert reason(BODY, f"t={NOW + 1},v1={v1}") == "bad_signature"


def test_a_stale_or_future_timestamp_fails_but_within_tolerance_passes():
    assert reason(BODY, sign_webhook(BODY, SECRET, NOW - 301)) == "stale"
    assert reason(BODY, sign_webhook(BODY, SECRET, NOW + 301)) == "stale"
    assert verify_webhook(BODY, sign_webhook(BODY, SECRET, NOW - 300), SECRET, now=NOW) == EVENT
    with pytest.raises(WebhookError) as caught:
        verify_webhook(BODY, sign_webhook(BODY, SECRET, NOW - 20), SECRET, 10, now=NOW)
    assert caught.value.reason == "stale"


def test_a_replay_within_the_tolerance_fails_when_signatures_are_remembered():
    seen: set[str] = set()
    header = sign_webhook(BODY, SECRET, NOW)
    assert verify_webhook(BODY, header, SECRET, now=NOW, seen=seen) == EVENT
    assert reason(BODY, header, seen=seen) == "replayed"
    fresh = sign_webhook(BODY, SECRET, NOW + 1)
    assert verify_webhook(BODY, fresh, SECRET, now=NOW, seen=seen) == EVENT


@pytest.mark.parametrize(
    "header", [None, "", "v1=abc", "t=abc,v1=abc", f"t={NOW}", f"t={NOW},v2=abc", "garbage"]
)
def test_malformed_headers_fail(header):
    assert reason(BODY, header) == "malformed"


def test_a_signed_body_that_is_not_a_json_object_fails():
    assert reason(b"[1]", sign_webhook(b"[1]", SECRET, NOW)) == "malformed"
    assert reason(b"nope", sign_webhook(b"nope", SECRET, NOW)) == "malformed"


def test_one_matching_signature_among_several_is_enough():
    good = sign_webhook(BODY, SECRET, NOW).split("v1=")[1]
    assert verify_webhook(BODY, f"t={NOW},v1={'0' * 64},v1={good}", SECRET, now=NOW)


def test_the_comparison_is_constant_time(monkeypatch):
    compared: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    verify_webhook(BODY, sign_webhook(BODY, SECRET, NOW), SECRET, now=NOW)
    assert len(compared) == 1


def post(receiver: WebhookReceiver, body: bytes, header: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Clover-Signature"] = header
    return httpx.post(receiver.url, content=body, headers=headers, timeout=5).status_code


def test_the_receiver_accepts_good_webhooks_once_and_rejects_the_rest():
    with WebhookReceiver(SECRET) as receiver:
        header = sign_webhook(BODY, SECRET)
        assert post(receiver, BODY, header) == 200
        assert post(receiver, BODY, header) == 400  # the same signed request again
        assert post(receiver, BODY, sign_webhook(BODY, "x" * 64)) == 400
        assert post(receiver, BODY, sign_webhook(BODY, SECRET, int(time.time()) - 3600)) == 400
        assert post(receiver, BODY, None) == 400
        assert len(receiver.events) == 1 and receiver.events[0]["id"] == EVENT["id"]
        reasons = receiver.table()["reason"].tolist()
        assert any("replayed" in r for r in reasons)
        assert any("bad_signature" in r for r in reasons)
        assert any("stale" in r for r in reasons)
        assert any("malformed" in r for r in reasons)


def test_a_retry_of_a_handled_event_is_acknowledged_not_handled_twice():
    with WebhookReceiver(SECRET) as receiver:
        assert post(receiver, BODY, sign_webhook(BODY, SECRET, int(time.time()))) == 200
        assert post(receiver, BODY, sign_webhook(BODY, SECRET, int(time.time()) + 1)) == 200
        assert len(receiver.events) == 1
        assert [d.duplicate for d in receiver.deliveries] == [False, True]


def test_the_receiver_can_play_a_shop_that_is_down():
    with WebhookReceiver(SECRET) as receiver:
        receiver.fail_next(2)
        statuses = [
            post(receiver, BODY, sign_webhook(BODY, SECRET, int(time.time()) + i)) for i in range(3)
        ]
        assert statuses == [503, 503, 200]
        assert receiver.wait_for(1, timeout=1)[0]["id"] == EVENT["id"]


def test_waiting_for_an_event_that_never_comes_times_out():
    with WebhookReceiver(SECRET) as receiver, pytest.raises(TimeoutError):
        receiver.wait_for(1, timeout=0.05)


def test_a_receiver_without_a_secret_accepts_nothing():
    with WebhookReceiver() as receiver:
        assert post(receiver, BODY, sign_webhook(BODY, SECRET)) == 500
        assert receiver.events == []
