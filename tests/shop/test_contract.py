"""The shop against the kit's local sandbox: real tokens, real charges, real faults."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from helpers import CloverClient
from helpers.sandbox import Sandbox
from shop import Settings, create_app

from .conftest import ADMIN
from .sandbox import add_fault, charges_of, client_for
from .shopper import Shopper

VISA = {
    "number": "4242424242424242",
    "exp_month": "12",
    "exp_year": "2030",
    "cvv": "123",
    "brand": "VISA",
}
DECLINED_VISA = {**VISA, "number": "4005571702222222"}


def _token(client: CloverClient, card: dict[str, str] = VISA) -> str:
    return str(client.create_token(card)["id"])


def test_a_shopper_pays_and_the_sandbox_holds_one_charge(
    shop_app: Any, shop_client: CloverClient, sandbox: Sandbox, merchant: dict[str, str]
) -> None:
    shopper = Shopper(shop_app)
    order_id = shopper.buy()
    answer = shopper.pay(order_id, _token(shop_client))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    (charge,) = charges_of(sandbox, merchant, order_id)
    assert charge["id"] == body["charge"]
    assert charge["amount"] == 2400 and charge["status"] == "succeeded"
    again = shopper.pay(order_id, _token(shop_client))
    assert again.json()["outcome"] == "paid"
    assert len(charges_of(sandbox, merchant, order_id)) == 1


def test_a_declined_card_tokenizes_then_is_declined(
    shop_app: Any, shop_client: CloverClient, sandbox: Sandbox, merchant: dict[str, str]
) -> None:
    shopper = Shopper(shop_app)
    order_id = shopper.buy()
    answer = shopper.pay(order_id, _token(shop_client, DECLINED_VISA))
    assert answer.status_code == 402
    assert answer.json()["message"].startswith("Your card was declined.")
    (failed,) = charges_of(sandbox, merchant, order_id)
    assert failed["status"] == "failed"
    paid = shopper.pay(order_id, _token(shop_client))
    assert paid.json()["outcome"] == "paid"


def test_two_concurrent_pays_of_one_order_charge_once(
    shop_app: Any, shop_client: CloverClient, sandbox: Sandbox, merchant: dict[str, str]
) -> None:
    shopper = Shopper(shop_app)
    order_id = shopper.buy()
    tokens = [_token(shop_client), _token(shop_client)]
    add_fault(sandbox, merchant, kind="latency", latency_ms=400)  # hold the first one inside
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda token: shopper.pay(order_id, token), tokens))
    outcomes = sorted(a.json()["outcome"] for a in answers)
    assert outcomes in (["in_progress", "paid"], ["paid", "paid"])
    assert len(charges_of(sandbox, merchant, order_id)) == 1


def test_a_dropped_answer_is_recovered_by_the_kits_retry_with_the_same_key(
    shop_app: Any, shop_client: CloverClient, sandbox: Sandbox, merchant: dict[str, str]
) -> None:
    shop_client._sleep = lambda seconds: None  # no need to wait out the backoff here
    shopper = Shopper(shop_app)
    order_id = shopper.buy()
    add_fault(sandbox, merchant, kind="drop")
    answer = shopper.pay(order_id, _token(shop_client))
    assert answer.json()["outcome"] == "paid"
    assert len(charges_of(sandbox, merchant, order_id)) == 1


def test_a_lost_answer_then_pay_again_charges_once(
    shop_settings: Settings, sandbox: Sandbox, merchant: dict[str, str]
) -> None:
    import dataclasses

    with client_for(sandbox, merchant) as client:
        client.retries = dataclasses.replace(client.retries, max_retries=0)
        shopper = Shopper(create_app(shop_settings, client=client))
        order_id = shopper.buy()
        add_fault(sandbox, merchant, kind="status", status=503)
        lost = shopper.pay(order_id, _token(client))
        assert lost.status_code == 502
        assert "never be charged twice" in lost.json()["message"]
        again = shopper.pay(order_id, _token(client))  # a fresh token; the saved one is used
        assert again.json()["outcome"] == "paid"
        assert len(charges_of(sandbox, merchant, order_id)) == 1


def test_a_429_tells_the_shopper_nothing_was_charged(
    shop_app: Any, shop_client: CloverClient, sandbox: Sandbox, merchant: dict[str, str]
) -> None:
    shopper = Shopper(shop_app)
    order_id = shopper.buy()
    add_fault(sandbox, merchant, kind="rate_limit", retry_after=30)
    answer = shopper.pay(order_id, _token(shop_client))
    assert answer.status_code == 429
    assert "Nothing was charged" in answer.json()["message"]
    assert charges_of(sandbox, merchant, order_id) == []
    assert shopper.pay(order_id, _token(shop_client)).json()["outcome"] == "paid"


def test_admin_refunds_on_the_sandbox(
    shop_app: Any, shop_client: CloverClient, sandbox: Sandbox, merchant: dict[str, str]
) -> None:
    from .test_app import _refund_form

    shopper = Shopper(shop_app)
    order_id = shopper.buy()
    shopper.pay(order_id, _token(shop_client))
    page = shopper.http.post(
        f"/admin/orders/{order_id}/refund",
        data={**_refund_form(shopper, order_id), "amount": "10.00"},
        auth=ADMIN,
    )
    assert "Refund $10.00: succeeded" in page.text
    page = shopper.http.post(
        f"/admin/orders/{order_id}/refund", data=_refund_form(shopper, order_id), auth=ADMIN
    )
    assert f'data-order="{order_id}" data-status="refunded"' in page.text
    (charge,) = charges_of(sandbox, merchant, order_id)
    assert charge["amount_refunded"] == 2400 and charge["refunded"] is True


def test_an_unconfirmed_card_payment_is_reconciled_by_its_reference(
    shop_settings: Settings, sandbox: Sandbox, merchant: dict[str, str]
) -> None:
    """The answer is lost and the shopper never comes back: the admin finds the charge."""
    import dataclasses

    from .test_app import ADMIN

    with client_for(sandbox, merchant) as client:
        client.retries = dataclasses.replace(client.retries, max_retries=0)
        shopper = Shopper(create_app(shop_settings, client=client))
        order_id = shopper.buy()
        add_fault(sandbox, merchant, kind="drop")
        assert shopper.pay(order_id, _token(client)).json()["outcome"] == "unknown"
        page = shopper.http.post(
            f"/admin/orders/{order_id}/reconcile",
            data={"csrf_token": shopper.csrf()},
            auth=ADMIN,
        )
        (charge,) = charges_of(sandbox, merchant, order_id)
        assert f"Paid by charge {charge['id']} (reconciled)." in page.text
        again = shopper.pay(order_id, _token(client))
        assert again.json() | {"message": ""} == {
            "outcome": "paid",
            "message": "",
            "order": {"id": order_id, "status": "paid"},
            "charge": charge["id"],
            "code": None,
        }
        assert len(charges_of(sandbox, merchant, order_id)) == 1
