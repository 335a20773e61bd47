"""Test aids for 3-D Secure flows over HTTP: start a charge or an order payment with
Clover's 3DS test cards, act as the shopper's browser (method flow, ACS), finalize."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.support import bearer, tokenize

BROWSER = {
    "browser_accept_header": "text/html",
    "browser_ip": "203.0.113.7",
    "browser_javascript_enabled": True,
    "browser_language": "en-US",
    "browser_screen_height": "900",
    "browser_screen_width": "1440",
    "browser_tz": "300",
    "browser_user_agent": "Mozilla/5.0 (test)",
}
CLOVER = {"source": "CLOVER", "browser_info": BROWSER}
# Clover's 3DS test cards (https://docs.clover.com/docs/3ds-secure-configure-sdk)
METHOD_THEN_SUCCESS = ("373953192351004", "AMEX", 25001)
CHALLENGE = ("6011000990139424", "DISCOVER", 6677)
METHOD_THEN_CHALLENGE = ("4012000033330026", "VISA", 25001)
FRICTIONLESS = ("4001230000000129", "VISA", 1000)
METHOD_THEN_DECLINE = ("4811326490014875", "VISA", 1009)
DECLINE = ("4043130007524792", "VISA", 7001)


def cvv(brand: str) -> str:
    return "1234" if brand == "AMEX" else "123"


def token(http: httpx.Client, merchant: dict[str, str], card: tuple[str, str, int]) -> str:
    number, brand, _ = card
    return tokenize(http, merchant, number=number, brand=brand, cvv=cvv(brand), name="Ada L")


def start(
    http: httpx.Client, merchant: dict[str, str], card: tuple[str, str, int], **body: Any
) -> httpx.Response:
    """`POST /v1/charges` with `threeds` for one of the test cards, at its amount."""
    payload = {
        "amount": card[2],
        "currency": "usd",
        "source": token(http, merchant, card),
        "receipt_email": "ada@example.com",
        "threeds": CLOVER,
        **body,
    }
    return http.post("/v1/charges", headers=bearer(merchant), json=payload)


def b64(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def run_method(http: httpx.Client, data: dict[str, Any]) -> httpx.Response:
    """What the script's hidden frame does: post threeDSMethodData to the issuer, then on
    to Clover's notification URL."""
    method_data = b64(
        {
            "threeDSServerTransID": data["threeds_server_transaction_id"],
            "threeDSMethodNotificationURL": data["method_notification_url"],
        }
    )
    issuer = http.post(urlsplit(data["method_url"]).path, data={"threeDSMethodData": method_data})
    assert issuer.status_code == 200, issuer.text
    notify = urlsplit(data["method_notification_url"]).path
    return http.post(notify, data={"threeDSMethodData": method_data})


def creq(data: dict[str, Any]) -> str:
    return b64(
        {
            "threeDSServerTransID": data["threeds_server_transaction_id"],
            "acsTransID": data["acs_transaction_id"],
            "messageVersion": data["threeds_protocol_version"],
            "messageType": "CReq",
            "challengeWindowSize": "05",
        }
    )


def answer_acs(http: httpx.Client, data: dict[str, Any], **form: str) -> httpx.Response:
    """The shopper on the issuer's page: `code=...` and `action=verify`, or `action=cancel`."""
    path = urlsplit(data["acs_url"]).path
    page = http.post(path, data={"creq": creq(data)})
    assert page.status_code == 200 and "One-time code" in page.text, page.text
    return http.post(path, data={"creq": creq(data), **form})


def finalize(
    http: httpx.Client, merchant: dict[str, str], charge_id: str, status: str = "Y"
) -> httpx.Response:
    body = {"charge_id": charge_id, "threeds": {"source": "CLOVER", "flow_status": status}}
    return http.post("/v1/charges/finalize_payment", headers=bearer(merchant), json=body)


def read(http: httpx.Client, merchant: dict[str, str], path: str) -> dict[str, Any]:
    response = http.get(path, headers=bearer(merchant))
    assert response.status_code == 200, response.text
    return response.json()
