"""`/v1/activate`, `/v1/balance_inquiry`, `/v1/reload`, `/v1/cashout` and
`/v1/refunds/{id}/cancel`: a gift card token's account (docs: gift-card-api,
https://docs.clover.com/docs/gift-card-api). Redemption and multi-lock are charges
(charges/model.py); the token comes from `/v1/tokens` (tokens/routes.py); a reload or a
cashout is voided through `/v1/refunds` (voids.py).

Each body is checked whole (`source_request`, `reload_request`) before the token is looked
up, so an unknown token is reported only for a body that is otherwise right."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.sandbox.core import fields
from helpers.sandbox.core.errors import invalid_request, invalid_source
from helpers.sandbox.core.http import Call
from helpers.sandbox.core.money import MAX_AMOUNT
from helpers.sandbox.core.store import Object
from helpers.sandbox.resources.charges import model as charges
from helpers.sandbox.resources.gift_cards import activation, model, voids
from helpers.sandbox.resources.tokens import model as tokens


def source_request(body: Mapping[str, Any]) -> str:
    """The body of balance inquiry and cashout: `{"source"}`, a gift card token."""
    fields.reject_unknown(body, ("source",))
    return _source_field(body)


def reload_request(body: Mapping[str, Any]) -> tuple[str, int]:
    """The body of a reload: `{"source", "amount", "currency"}`."""
    fields.reject_unknown(body, ("source", "amount", "currency"))
    source = _source_field(body)
    amount = charges.amount(body)
    charges.currency(body)
    assert amount is not None
    return source, amount


def _source_field(body: Mapping[str, Any]) -> str:
    source = fields.string(body, "source", required=True, max_length=100)
    assert source is not None
    return source


def _gift_card_token(call: Call, source: str) -> tuple[Object, Object]:
    token = tokens.get(call.store, call.merchant_id, source)
    if token is None:
        raise invalid_source()
    if not token.get("_gift_card"):
        raise invalid_request(
            "source is a card token, not a gift card token: tokenize the gift card with "
            '/v1/tokens {"gift_card": {"number": ...}}.',
            param="source",
        )
    return token, model.of_token(call.store, token)


def _source(token: Object, card: Object) -> dict[str, Any]:
    return {"id": token["id"], "last4": card["last4"]}


def _money_movement(call: Call, token: Object, card: Object, amount: int, previous: int) -> Any:
    seq = call.store.sequence
    return {
        "id": seq.object_id(),
        "amount": amount,
        "ref_num": seq.digits(12),
        "outcome": {"network_status": "approved_by_network", "type": "authorized"},
        "paid": True,
        "status": "succeeded",
        "source": _source(token, card),
        "gift_card": model.balance_view(card, previous),
    }


def balance_inquiry(call: Call) -> Any:
    """`POST /v1/balance_inquiry {"source"}`: the balance now; nothing changes."""
    _, card = _gift_card_token(call, source_request(call.body))
    return {
        "status": "succeeded",
        "gift_card": {
            **model.balance_view(card, card["balance"]),
            "lock_amount": model.locked(card),
        },
    }


def reload(call: Call) -> Any:
    """`POST /v1/reload {"source", "amount", "currency"}`: add money to the card."""
    source, amount = reload_request(call.body)
    token, card = _gift_card_token(call, source)
    previous = model.reload(call.store, card, amount, MAX_AMOUNT)
    answer = _money_movement(call, token, card, amount, previous)
    voids.record(call.store, call.merchant_id, "reload", card, answer)
    return answer


def cashout(call: Call) -> Any:
    """`POST /v1/cashout {"source"}`: the whole balance leaves the card (paid in cash)."""
    token, card = _gift_card_token(call, source_request(call.body))
    previous = model.cashout(call.store, card)
    answer = _money_movement(call, token, card, previous, previous)
    voids.record(call.store, call.merchant_id, "cashout", card, answer)
    return answer


def activate(call: Call) -> Any:
    """`POST /v1/activate`: a physical card by `source`, or a virtual one by
    `promotion_code` (activation.py)."""
    request = activation.activation_request(call.body)
    if request["source"] is None:
        return activation.activate_virtual(
            call.store, call.merchant_id, request["promotion_code"], request["amount"]
        )
    token = tokens.get(call.store, call.merchant_id, request["source"])
    if token is None:
        raise invalid_source()
    if not token.get("_gift_card"):
        raise invalid_request(
            "source is not a gift card token: tokenize the gift card with /v1/tokens "
            '{"gift_card": {"number": ...}}.',
            param="source",
        )
    return activation.activate_physical(call.store, token, request["amount"])


def cancel_request(body: Mapping[str, Any]) -> str | None:
    """The body of `/v1/refunds/{id}/cancel`: `{"reason"?}` (Clover's sample: USER_CANCEL)."""
    fields.reject_unknown(body, ("reason",))
    return fields.string(body, "reason", max_length=100)


def cancel_refund(call: Call) -> Any:
    """`POST /v1/refunds/{refund_id}/cancel`: void a refund to a gift card (voids.py)."""
    cancel_request(call.body)
    return voids.cancel_refund(call.store, call.merchant_id, call.path["refund_id"])
