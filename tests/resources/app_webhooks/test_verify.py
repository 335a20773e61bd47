"""App webhook messages on the app's side: X-Clover-Auth checked in constant time, the
updates read by prefix, the verification message answered, retried updates handled once."""

from __future__ import annotations

import hmac
import json

import httpx
import pytest

from helpers import AppWebhookReceiver, WebhookError, verify_app_webhook
from helpers.clover import app_webhooks

AUTH = "0307e264-b33a-4913-88aa-37b10014a0b8"
MESSAGE = {
    "appId": "KTAPPDEM0A1B2",
    "merchants": {
        "PNWDC0FFEE001": [
            {"objectId": "P:9ZRAN7VWG6H4S", "type": "CREATE", "ts": 1767603602000},
            {"objectId": "O:8VP4N9D4V7Q5P", "type": "UPDATE", "ts": 1767603602000},
        ],
        "HRBRB00KS0002": [
            {"objectId": "C:PESJ1C7ZSQWXJ", "type": "CREATE", "ts": 1767603603000},
            {"objectId": "I:NR3T1BJPBR0PB", "type": "DELETE", "ts": 1767603604000},
        ],
    },
}


def test_a_message_with_the_apps_auth_code_is_read_update_by_update() -> None:
    message = verify_app_webhook(json.dumps(MESSAGE), AUTH, AUTH)
    assert [(u.merchant_id, u.kind, u.id, u.type) for u in message.updates()] == [
        ("PNWDC0FFEE001", "payment", "9ZRAN7VWG6H4S", "CREATE"),
        ("PNWDC0FFEE001", "order", "8VP4N9D4V7Q5P", "UPDATE"),
        ("HRBRB00KS0002", "customer", "PESJ1C7ZSQWXJ", "CREATE"),
        ("HRBRB00KS0002", "I", "NR3T1BJPBR0PB", "DELETE"),  # a key the kit does not name
    ]
    assert message.updates()[0].object_id == "P:9ZRAN7VWG6H4S"
    assert message.verification_code is None


@pytest.mark.parametrize("header", [None, "", AUTH.upper(), AUTH + "x", "0307e264"])
def test_a_wrong_or_missing_auth_code_is_refused(header: str | None) -> None:
    with pytest.raises(WebhookError) as caught:
        verify_app_webhook(json.dumps(MESSAGE), header, AUTH)
    assert caught.value.reason == "bad_signature"


def test_the_auth_code_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(app_webhooks.hmac, "compare_digest", spy)
    verify_app_webhook(json.dumps(MESSAGE), AUTH, AUTH)
    assert compared == [(AUTH.encode(), AUTH.encode())]


def test_the_verification_message_passes_without_a_code_and_nothing_else_does() -> None:
    first = verify_app_webhook('{"verificationCode": "ce7643c1"}', None, None)
    assert first.verification_code == "ce7643c1"
    with pytest.raises(WebhookError, match="verify the URL first"):
        verify_app_webhook(json.dumps(MESSAGE), AUTH, None)
    for body in ("not json", "[1]", '{"appId": "A", "merchants": {"M": [{"type": "CREATE"}]}}'):
        with pytest.raises(WebhookError) as caught:
            verify_app_webhook(body, AUTH, AUTH)
        assert caught.value.reason == "malformed"


def test_the_receiver_handles_each_update_once_and_refuses_forgeries() -> None:
    body = json.dumps(MESSAGE)
    with AppWebhookReceiver() as receiver, httpx.Client() as http:
        verification = http.post(receiver.url, json={"verificationCode": "ce7643c1"})
        assert verification.status_code == 200 and receiver.verification_code == "ce7643c1"
        receiver.auth_code = AUTH
        headers = {"X-Clover-Auth": AUTH, "Content-Type": "application/json"}
        assert http.post(receiver.url, content=body, headers=headers).status_code == 200
        assert http.post(receiver.url, content=body, headers=headers).status_code == 200
        forged = http.post(receiver.url, content=body, headers={"X-Clover-Auth": "guess"})
        assert forged.status_code == 400
        receiver.fail_next()
        assert http.post(receiver.url, content=body, headers=headers).status_code == 503
    assert len(receiver.updates) == 4  # the retry's updates were acknowledged, not handled
    table = receiver.table()
    assert list(table["duplicate"]) == [False, False, True, False, False]
    assert list(table["answered"]) == [200, 200, 200, 400, 503]
    assert table["updates"][1].startswith("CREATE P:9ZRAN7VWG6H4S")
