"""One charge per Hosted Checkout session, whatever the number and timing of submits.

Browsers often send a form's headers first and its body a moment later; the page must
look at the session again once the body is in, so that another Pay, a Cancel or the
session's expiry in the meantime wins over a pay that has not committed.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from helpers.sandbox import Sandbox
from helpers.sandbox.resources.hosted_checkout import model
from tests.support import SHOPPER, bearer, deliveries_done, tokenize

from .test_http import CARD, CART, REDIRECTS, Hook, checkout_headers


@pytest.fixture
def hook() -> Iterator[Hook]:
    receiver = Hook()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


CLIENTS = 24  # half send the whole form at once, half send the body after the headers


class SlowSubmit:
    """A browser's form POST whose body comes after its headers, when `finish()` says."""

    def __init__(self, base_url: str, path: str, form: dict[str, str]) -> None:
        parts = urlsplit(base_url)
        self.body = urlencode(form).encode()
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(self.body)}\r\nConnection: close\r\n\r\n"
        )
        self.sock.sendall(head.encode())

    def finish(self) -> tuple[int, str]:
        """Send the body; the answer's status and Location (if any)."""
        self.sock.sendall(self.body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        self.sock.close()
        head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
        location = {k.lower(): v for k, v in headers.items()}.get("location", "")
        return int(head[0].split()[1]), location


def new_session(http: httpx.Client, merchant: dict[str, str]) -> dict[str, Any]:
    made = http.post(
        "/invoicingcheckoutservice/v1/checkouts",
        json={"customer": SHOPPER, "shoppingCart": CART, "redirectUrls": REDIRECTS},
        headers=checkout_headers(merchant),
    )
    assert made.status_code == 200, made.text
    return made.json()


def counts(http: httpx.Client, merchant: dict[str, str]) -> tuple[int, int]:
    charges = http.get("/v1/charges", params={"limit": 100}, headers=bearer(merchant)).json()
    orders = http.get("/v1/orders", params={"limit": 100}, headers=bearer(merchant)).json()
    return len(charges["data"]), len(orders["data"])


def approved_events(http: httpx.Client, merchant: dict[str, str]) -> set[str]:
    deliveries = http.get(
        "/_sandbox/webhooks/deliveries", params={"merchant": merchant["merchant_id"]}
    ).json()["data"]
    return {d["event"] for d in deliveries if d["event_status"] == "APPROVED"}


def test_many_concurrent_submits_make_one_charge_one_order_one_webhook(
    sandbox: Sandbox, http: httpx.Client, merchant: dict[str, str], hook: Hook
) -> None:
    http.post(
        "/_sandbox/webhooks",
        json={"merchant": merchant["merchant_id"], "url": hook.url, "retry_base_ms": 10},
    )
    session = new_session(http, merchant)
    path = f"/checkout/{session['checkoutSessionId']}"
    slow = [SlowSubmit(sandbox.url, path, CARD) for _ in range(CLIENTS // 2)]
    start = threading.Barrier(CLIENTS)

    def fast() -> tuple[int, str]:
        with httpx.Client(base_url=sandbox.url, timeout=10) as own:
            start.wait()
            answer = own.post(path, data=CARD)
            return answer.status_code, answer.headers.get("location", "")

    def late(submit: SlowSubmit) -> tuple[int, str]:
        start.wait()
        return submit.finish()

    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(fast) for _ in range(CLIENTS - len(slow))]
        futures += [pool.submit(late, s) for s in slow]
        answers = [f.result() for f in futures]

    assert all(status in (303, 409) for status, _ in answers), answers
    assert counts(http, merchant) == (1, 1)
    assert hook.arrived.wait(10)
    deliveries_done(http, hook.url)  # a second webhook, were there one, is in by now
    assert len(approved_events(http, merchant)) == 1
    assert len([call for call in hook.calls if b"APPROVED" in call[1]]) == 1


def test_a_cancel_during_a_slow_pay_body_wins(
    sandbox: Sandbox, http: httpx.Client, merchant: dict[str, str]
) -> None:
    session = new_session(http, merchant)
    path = f"/checkout/{session['checkoutSessionId']}"
    paying = SlowSubmit(sandbox.url, path, CARD)
    canceled = http.post(path, data={"action": "cancel"})
    assert canceled.status_code == 303 and canceled.headers["location"] == REDIRECTS["cancel"]
    assert paying.finish() == (303, REDIRECTS["cancel"])
    assert counts(http, merchant) == (0, 0)


def test_a_session_that_expires_during_a_slow_pay_body_takes_no_payment(
    sandbox: Sandbox, http: httpx.Client, merchant: dict[str, str]
) -> None:
    http.post("/_sandbox/checkout", json={"session_lifetime_s": 1})
    session = new_session(http, merchant)
    paying = SlowSubmit(sandbox.url, f"/checkout/{session['checkoutSessionId']}", CARD)
    http.post("/_sandbox/clock", json={"advance_ms": 1200})  # expirations run on this clock
    assert paying.finish()[0] == 410
    assert counts(http, merchant) == (0, 0)


def test_a_card_refused_before_charging_gives_the_session_back(
    sandbox: Sandbox, http: httpx.Client, merchant: dict[str, str]
) -> None:
    session = new_session(http, merchant)
    path = f"/checkout/{session['checkoutSessionId']}"
    refused = http.post(path, data={**CARD, "cvv": "1"})
    assert refused.status_code == 422
    paid = http.post(path, data=CARD)
    assert paid.status_code == 303 and paid.headers["location"] == REDIRECTS["success"]
    assert counts(http, merchant)[0] == 1


def test_text_the_page_cannot_encode_never_makes_it_answer_500(
    sandbox: Sandbox, http: httpx.Client, merchant: dict[str, str]
) -> None:
    """A lone surrogate stored before the API refused such text still renders (escaped)."""
    store = sandbox.app.state.sandbox.store
    item = {"name": "Caf\ud800 latte", "price": 450, "unitQty": 1, "note": "\udfff"}
    session = model.create(store, merchant["merchant_id"], [item], {}, REDIRECTS, 900)
    store.commit()
    page = http.get(f"/checkout/{session['id']}")
    assert page.status_code == 200
    assert "Caf\\ud800 latte" in page.text
    refused = http.post(f"/checkout/{session['id']}", data={**CARD, "cvv": "1"})
    assert refused.status_code == 422 and "Caf\\ud800 latte" in refused.text


def test_the_checkout_href_is_the_sandboxs_address_not_the_requests_host(
    sandbox: Sandbox, http: httpx.Client, merchant: dict[str, str]
) -> None:
    made = http.post(
        "/invoicingcheckoutservice/v1/checkouts",
        json={"customer": SHOPPER, "shoppingCart": CART},
        headers={
            **checkout_headers(merchant),
            "Host": f"localhost:{sandbox.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "phish.example",
        },
    )
    assert made.json()["href"] == f"{sandbox.url}/checkout/{made.json()['checkoutSessionId']}"


@pytest.fixture
def public_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    monkeypatch.setenv("CLOVER_SANDBOX_PUBLIC_URL", "https://hub.example.org/user/ada/proxy/8765")
    with Sandbox(seed=7) as running:
        yield running


def test_with_a_public_url_the_href_carries_it(public_sandbox: Sandbox) -> None:
    with httpx.Client(base_url=public_sandbox.url, timeout=10) as http:
        merchant = http.get("/_sandbox/merchants").json()[0]
        session = new_session(http, merchant)
    assert session["href"] == (
        f"https://hub.example.org/user/ada/proxy/8765/checkout/{session['checkoutSessionId']}"
    )


def test_the_demo_shop_charges_a_token_once_however_often_it_is_sent(
    sandbox: Sandbox, http: httpx.Client, merchant: dict[str, str]
) -> None:
    token = tokenize(http, merchant)
    origin = {"Origin": sandbox.url}

    def pay() -> tuple[int, str]:
        with httpx.Client(base_url=sandbox.url, timeout=10) as own:
            answer = own.post("/demo/charge", json={"token": token, "amount": 2500}, headers=origin)
            return answer.status_code, answer.json().get("id", "")

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(lambda _: pay(), range(CLIENTS)))
    assert {status for status, _ in answers} == {200}
    assert len({charge_id for _, charge_id in answers}) == 1
    assert counts(http, merchant)[0] == 1
