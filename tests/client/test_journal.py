from __future__ import annotations

import shlex

from helpers.clover.journal import Journal, mask_headers, mask_payload, mask_url

PAN = "4242424242424242"
CVV = "987"
TOKEN = "clv_1TSTSh7k2pQx9mWzAbCd"
SECRETS = {
    "access_token": "at-0123456789-SECRETVALUE-wxyz",
    "refresh_token": "rt-0123456789-SECRETVALUE-rfsh",
    "client_secret": "cs-0123456789-SECRETVALUE-clnt",
    "code_verifier": "cv-0123456789-SECRETVALUE-vrfy",
    "app_secret": "as-0123456789-SECRETVALUE-apps",
    "private_key": "pk-0123456789-SECRETVALUE-priv",
    "api_access_key": "ak-0123456789-SECRETVALUE-apik",
    "apiAccessKey": "ak-9876543210-SECRETVALUE-camL",
}
BEARER = "bearer-0123456789-SECRETVALUE-brr1"
APIKEY = "header-0123456789-SECRETVALUE-hdr2"
EVERY_SECRET = [PAN, TOKEN, BEARER, APIKEY, "SECRETVALUE", *SECRETS.values()]


def record_everything(journal: Journal) -> None:
    journal.record(
        method="post",
        url=f"http://clover.test/v1/tokens?access_token={SECRETS['access_token']}&limit=2",
        request_headers=[
            ("Authorization", f"Bearer {BEARER}"),
            ("apikey", APIKEY),
            ("idempotency-key", "key-1"),
            ("Content-Type", "application/json"),
            ("user-agent", "python-httpx"),
        ],
        request_json={
            "card": {
                "number": PAN,
                "cvv": CVV,
                "exp_month": "12",
                "encrypted_pan": "BASE64CIPHERTEXT==",
            },
            "nested": [{"source": TOKEN}, SECRETS],
        },
        status=200,
        response_json={"id": TOKEN, "note": f"made from {PAN}", **SECRETS},
        duration_ms=12.3456,
        response_headers={"Idempotent-Replayed": "true"},
    )
    journal.record(
        method="GET",
        url=f"http://clover.test/v1/charges?source={TOKEN}",
        request_headers={"Authorization": f"Bearer {BEARER}"},
        error=f"ConnectError: lost while sending {TOKEN}",
    )


def test_nothing_secret_survives_anywhere() -> None:
    journal = Journal()
    record_everything(journal)
    outputs = [
        journal.to_frame().to_string(),
        journal.to_frame(bodies=True).to_csv(),
        repr(journal.entries),
        journal._repr_html_(),
    ]
    outputs += [entry.curl() for entry in journal]
    for text in outputs:
        for secret in EVERY_SECRET:
            assert secret not in text, (secret, text)
        assert f'"cvv": "{CVV}"' not in text and f"'cvv': '{CVV}'" not in text
        assert "BASE64CIPHERTEXT" not in text


def test_masks_keep_what_helps_debugging() -> None:
    journal = Journal()
    record_everything(journal)
    entry = journal[0]
    assert entry.method == "POST"
    assert entry.request_headers["Authorization"] == "Bearer ••••brr1"
    assert entry.request_headers["apikey"] == "••••hdr2"
    card = entry.request_json["card"]
    assert card == {
        "number": "424242******4242",
        "cvv": "•••",
        "exp_month": "12",
        "encrypted_pan": "•••",
    }
    assert entry.request_json["nested"][0] == {"source": "clv_••••AbCd"}
    assert entry.request_json["nested"][1]["private_key"] == "••••priv"
    assert entry.request_json["nested"][1]["apiAccessKey"] == "••••camL"
    assert entry.response_json["id"] == "clv_••••AbCd"
    assert entry.response_json["note"] == "made from 424242******4242"
    assert entry.url == "http://clover.test/v1/tokens?access_token=••••wxyz&limit=2"
    assert entry.idempotency_key == "key-1"
    assert entry.replayed is True
    assert entry.duration_ms == 12.3
    assert entry.ok
    failed = journal.last
    assert failed is not None
    assert failed.status is None and not failed.ok
    assert failed.error == "ConnectError: lost while sending clv_••••AbCd"
    assert failed.url.endswith("source=clv_••••AbCd")


def test_curl_is_a_runnable_shape() -> None:
    journal = Journal()
    record_everything(journal)
    words = shlex.split(journal[0].curl().replace("\\\n", " "))
    assert words[:4] == [
        "curl",
        "-X",
        "POST",
        "http://clover.test/v1/tokens?access_token=••••wxyz&limit=2",
    ]
    headers = [words[i + 1] for i, word in enumerate(words) if word == "-H"]
    assert headers == [
        "Authorization: Bearer ••••brr1",
        "apikey: ••••hdr2",
        "idempotency-key: key-1",
        "Content-Type: application/json",
    ]
    body = words[words.index("-d") + 1]
    assert '"number": "424242******4242"' in body
    assert "-d" not in journal[1].curl()


def test_frame_columns_clear_and_bounded() -> None:
    journal = Journal(max_entries=3)
    assert journal.last is None
    assert list(journal.to_frame().columns) == [
        "time",
        "method",
        "host",
        "path",
        "status",
        "duration_ms",
        "idempotency_key",
        "replayed",
        "result",
    ]
    for i in range(5):
        journal.record(
            method="GET",
            url=f"http://clover.test/v1/charges/C{i}",
            request_headers={},
            status=200,
            response_json={"id": f"C{i}"},
        )
    assert len(journal) == 3
    frame = journal.to_frame()
    assert list(frame["result"]) == ["C2", "C3", "C4"]
    assert list(frame["path"]) == ["/v1/charges/C2", "/v1/charges/C3", "/v1/charges/C4"]
    assert repr(journal) == "Journal(3 exchanges)"
    journal.clear()
    assert len(journal) == 0 and journal.last is None


def test_result_summarises_errors_and_lists() -> None:
    journal = Journal()
    journal.record(
        method="POST",
        url="http://x/v1/charges",
        request_headers={},
        status=402,
        response_json={
            "message": "402 Payment Required",
            "error": {"type": "card_error", "code": "card_declined"},
        },
    )
    journal.record(
        method="GET",
        url="http://x/v1/charges",
        request_headers={},
        status=200,
        response_json={"object": "list", "data": [{}, {}], "has_more": False},
    )
    journal.record(
        method="GET",
        url="http://x/pakms/apikey",
        request_headers={},
        status=401,
        response_json={"message": "401 Unauthorized"},
    )
    assert [entry.result for entry in journal] == ["card_declined", "list of 2", "401 Unauthorized"]


def test_mask_helpers_are_idempotent() -> None:
    payload = {"card": {"number": PAN, "cvv": CVV}, "source": TOKEN, **SECRETS}
    once = mask_payload(payload)
    assert mask_payload(once) == once
    headers = {"Authorization": f"Bearer {BEARER}"}
    assert mask_headers(mask_headers(headers)) == mask_headers(headers)
    url = f"http://x/y?code_verifier={SECRETS['code_verifier']}&charge=ABC"
    assert (
        mask_url(mask_url(url)) == mask_url(url) == "http://x/y?code_verifier=••••vrfy&charge=ABC"
    )


def test_numbers_that_are_not_cards_stay() -> None:
    payload = {
        "created": 1_700_000_000_000,
        "ref_num": "308900560139",
        "note": "created 1700000000000",
        "amount": 1358,
    }
    assert mask_payload(payload) == payload
