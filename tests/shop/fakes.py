"""A fake Clover for unit tests: an httpx ``MockTransport`` that charges, declines, rate
limits or loses its answer on demand, and replays by idempotency key as Clover does."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable
from typing import Any

import httpx

from helpers import CloverClient, Environment

DECLINE_TOKEN = "clv_1TSTdecline00000000000000"


class FakeClover:
    """Answers ``POST /v1/charges`` and ``POST /v1/refunds`` like Clover (the parts the shop
    uses). ``next`` holds scripted answers for the coming charge requests: ``"429"``,
    ``"drop"`` (the charge is made, the answer lost) or ``"drop-before"`` (nothing made)."""

    def __init__(self) -> None:
        self.charges: dict[str, dict[str, Any]] = {}
        self.refunds: list[dict[str, Any]] = []
        self.requests: list[httpx.Request] = []
        self.by_key: dict[str, tuple[int, dict[str, Any]]] = {}
        self.next: list[str] = []
        self.on_charge: Callable[[httpx.Request], None] | None = None
        self._lock = threading.Lock()
        self._serial = 0

    def _id(self) -> str:
        self._serial += 1
        return f"CHG{self._serial:010d}"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
        if request.method == "POST" and request.url.path == "/v1/charges":
            if self.on_charge is not None:
                self.on_charge(request)
            return self._charge(request)
        if request.method == "POST" and request.url.path == "/v1/refunds":
            return self._refund(request)
        return httpx.Response(404, json={"message": "404 Not Found"})

    def _charge(self, request: httpx.Request) -> httpx.Response:
        key = request.headers["idempotency-key"]
        body = json.loads(request.content)
        with self._lock:
            script = self.next.pop(0) if self.next else ""
            if script == "429":
                return httpx.Response(
                    429,
                    headers={"retry-after": "30"},
                    json={
                        "message": "429 Too Many Requests",
                        "error": {
                            "type": "rate_limit_error",
                            "code": "rate_limit",
                            "message": "Too many requests",
                        },
                    },
                )
            if script == "token-used":
                return httpx.Response(
                    400,
                    json={
                        "message": "400 Bad Request",
                        "error": {
                            "type": "invalid_request_error",
                            "code": "token_already_used",
                            "message": "Token already used",
                        },
                    },
                )
            if script == "drop-before":
                raise httpx.ReadError("connection reset", request=request)
            if key in self.by_key:
                status, stored = self.by_key[key]
                return httpx.Response(status, json=stored, headers={"idempotent-replayed": "true"})
            charge_id = self._id()
            if body["source"] == DECLINE_TOKEN:
                answer = (
                    402,
                    {
                        "message": "402 Payment Required",
                        "error": {
                            "type": "card_error",
                            "code": "card_declined",
                            "message": "Card declined",
                            "charge": charge_id,
                            "declineCode": "issuer_declined",
                        },
                    },
                )
            else:
                charge = {
                    "id": charge_id,
                    "amount": body["amount"],
                    "amount_refunded": 0,
                    "currency": body["currency"],
                    "status": "succeeded",
                    "paid": True,
                    "captured": True,
                    "source": {"last4": "4242"},
                }
                self.charges[charge_id] = charge
                answer = (200, charge)
            self.by_key[key] = answer
        if script == "drop":
            raise httpx.ReadError("connection reset", request=request)
        return httpx.Response(answer[0], json=answer[1])

    def _refund(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        with self._lock:
            charge = self.charges[body["charge"]]
            left = charge["amount"] - charge["amount_refunded"]
            amount = body.get("amount", left)
            if amount > left:
                return httpx.Response(
                    400,
                    json={
                        "message": "400 Bad Request",
                        "error": {
                            "type": "invalid_request_error",
                            "code": "processing_error",
                            "message": "Refund exceeds the charge",
                        },
                    },
                )
            charge["amount_refunded"] += amount
            refund = {
                "id": f"REF{len(self.refunds) + 1:010d}",
                "object": "refund",
                "amount": amount,
                "charge": charge["id"],
                "status": "succeeded",
            }
            self.refunds.append(refund)
        return httpx.Response(200, json=refund)

    def charge_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path == "/v1/charges"]

    def client(self) -> CloverClient:
        """A kit client on this fake: no rate limiter, no retries (the shop's own rules are
        under test), credentials that are obviously fake."""
        client = CloverClient(
            Environment.local("http://clover.test"),
            "fake-private-key-0000",
            merchant_id="FAKEMERCHANT1",
            api_access_key="fake-public-key",
            transport=httpx.MockTransport(self),
            requests_per_second=None,
        )
        client.retries = dataclasses.replace(client.retries, max_retries=0)
        return client
