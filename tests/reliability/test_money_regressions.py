"""Defects in the core money logic that the money state machine (money_machine.py) found,
each with its smallest reproduction, named after it."""

from __future__ import annotations

import uuid

import httpx

from tests.support import bearer, tokenize


def test_a_replay_answers_the_first_answer_after_the_object_changed(
    http: httpx.Client, merchant: dict[str, str]
) -> None:
    """Found by the machine: order, pay it, replay the order's creation. The stored answer
    shared the order's `status_transitions` with the live order, so the replay showed
    the later payment; a replay answers the first answer, byte for byte."""
    headers = {**bearer(merchant), "idempotency-key": str(uuid.uuid4())}
    item = {"type": "sku", "amount": 100, "currency": "usd", "description": "Tea", "quantity": 1}
    body = {"currency": "usd", "items": [item]}
    first = http.post("/v1/orders", headers=headers, json=body)
    assert first.status_code == 200, first.text
    pay = {"source": tokenize(http, merchant)}
    paid = http.post(f"/v1/orders/{first.json()['id']}/pay", headers=bearer(merchant), json=pay)
    assert paid.json()["status"] == "paid", paid.text
    again = http.post("/v1/orders", headers=headers, json=body)
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.content == first.content
