"""Property tests: whatever sequence of sales, authorizations, captures, refunds and voids,
refunds never exceed what was captured, amounts stay consistent, and every refusal is the
documented error (hypothesis drives the sequences; the sandbox answers over real HTTP)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tests.support import VISA, reset

MAX_AMOUNT = 99_999_999
DECLINE = "4005571702222222"
amounts = st.integers(min_value=1, max_value=20_000)
maybe_amounts = st.one_of(st.none(), amounts)
# None (no amount), an amount, or an offset from the most the operation may take: the
# edges (exactly all, one cent more) are where a wrong rule would show.
requests = st.one_of(st.none(), amounts, st.tuples(st.just("most"), st.integers(-2, 2)))
bad_amounts = st.sampled_from(
    [
        (0, "invalid_charge_amount"),
        (-5, "invalid_charge_amount"),
        (MAX_AMOUNT + 1, "amount_too_large"),
        ("100", "invalid_charge_amount"),
        (12.5, "invalid_charge_amount"),
    ]
)


@dataclass
class Model:
    """What the charge must look like, worked out from the reference alone."""

    amount: int
    declined: bool
    captured: bool
    captured_later: bool = False
    amount_captured: int = 0
    amount_refunded: int = 0
    voided: bool = False

    @property
    def refunded(self) -> bool:
        return self.voided or (self.captured and self.amount_refunded == self.amount_captured)


class ChargeLifecycle(RuleBasedStateMachine):
    base_url = ""
    charges = Bundle("charges")

    def __init__(self) -> None:
        super().__init__()
        self.http = httpx.Client(base_url=self.base_url, timeout=10)
        reset(self.http)
        self.merchant = self.http.get("/_sandbox/merchants").json()[0]
        self.models: dict[str, Model] = {}

    def teardown(self) -> None:
        self.http.close()

    def headers(self) -> dict[str, str]:
        return {
            "authorization": f"Bearer {self.merchant['private_key']}",
            "idempotency-key": str(uuid.uuid4()),
            "x-forwarded-for": "203.0.113.7",
        }

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.post(path, headers=self.headers(), json=body)

    def expect(self, response: httpx.Response, status: int, code: str | None = None) -> Any:
        assert response.status_code == status, response.text
        body = response.json()
        if code is not None:
            assert body["error"]["code"] == code, body
        return body

    def token(self, number: str) -> str:
        response = self.http.post(
            "/v1/tokens",
            headers={"apikey": self.merchant["api_access_key"]},
            json={"card": {**VISA, "number": number}},
        )
        return str(response.json()["id"])

    # -- making charges -------------------------------------------------------------------

    @rule(target=charges, amount=amounts, capture=st.booleans(), declined=st.booleans())
    def charge(self, amount: int, capture: bool, declined: bool) -> str:
        source = self.token(DECLINE if declined else VISA["number"])
        response = self.post(
            "/v1/charges",
            {"amount": amount, "currency": "usd", "source": source, "capture": capture},
        )
        if declined:
            charge_id = self.expect(response, 402, "card_declined")["error"]["charge"]
        else:
            charge_id = self.expect(response, 200)["id"]
        self.models[charge_id] = Model(
            amount,
            declined,
            captured=capture and not declined,
            amount_captured=amount if capture and not declined else 0,
        )
        return str(charge_id)

    @rule(bad=bad_amounts)
    def charge_a_bad_amount(self, bad: tuple[Any, str]) -> None:
        amount, code = bad
        response = self.post(
            "/v1/charges",
            {"amount": amount, "currency": "usd", "source": self.token(VISA["number"])},
        )
        self.expect(response, 400, code)

    # -- capture ------------------------------------------------------------------------

    @rule(charge_id=charges, request=requests)
    def capture(self, charge_id: str, request: Any) -> None:
        model = self.models[charge_id]
        amount = model.amount + request[1] if isinstance(request, tuple) else request
        body = {} if amount is None else {"amount": amount}
        response = self.post(f"/v1/charges/{charge_id}/capture", body)
        wanted = model.amount if amount is None else amount
        if model.declined or model.voided or (model.captured and not model.captured_later):
            self.expect(response, 400, "processing_error")
        elif model.captured_later:
            self.expect(response, 400, "charge_already_captured")
        elif wanted > model.amount or wanted < 1:
            self.expect(response, 400, "invalid_charge_amount")
        else:
            self.expect(response, 200)
            model.captured = model.captured_later = True
            model.amount_captured = wanted

    # -- refunds and voids -------------------------------------------------------------

    @rule(charge_id=charges, request=requests)
    def refund(self, charge_id: str, request: Any) -> None:
        model = self.models[charge_id]
        most = model.amount_captured - model.amount_refunded if model.captured else model.amount
        amount = most + request[1] if isinstance(request, tuple) else request
        body: dict[str, Any] = {"charge": charge_id}
        if amount is not None:
            body["amount"] = amount
        response = self.post("/v1/refunds", body)
        if amount is not None and amount < 1:
            self.expect(response, 400, "invalid_charge_amount")
        elif model.declined:
            self.expect(response, 400, "processing_error")
        elif model.refunded:
            self.expect(response, 400, "charge_already_refunded")
        elif not model.captured:
            if amount is not None and amount != model.amount:
                self.expect(response, 400, "processing_error")
                return
            refund = self.expect(response, 200)
            assert refund["amount"] == model.amount
            assert refund["metadata"]["refundType"] == "PREAUTH"
            model.voided = True
        else:
            left = model.amount_captured - model.amount_refunded
            wanted = left if amount is None else amount
            if wanted > left:
                self.expect(response, 400, "processing_error")
                return
            refund = self.expect(response, 200)
            assert refund["amount"] == wanted and refund["metadata"]["refundType"] == "AUTH"
            model.amount_refunded += wanted

    @rule(charge_id=consumes(charges))
    def forget(self, charge_id: str) -> None:
        """Stop acting on a charge (the invariants still check it)."""

    @rule(amount=maybe_amounts)
    def refund_an_unknown_charge(self, amount: int | None) -> None:
        body: dict[str, Any] = {"charge": "NOSUCHCHARGE1"}
        if amount is not None:
            body["amount"] = amount
        self.expect(self.post("/v1/refunds", body), 404, "resource_missing")

    # -- what must always hold ----------------------------------------------------------

    @invariant()
    def charges_match_the_model_and_refunds_never_exceed_captures(self) -> None:
        if not self.models:
            return
        listed = self.http.get("/v1/charges", headers=self.headers(), params={"limit": 100}).json()[
            "data"
        ]
        refunds = self.http.get(
            "/v1/refunds", headers=self.headers(), params={"limit": 100}
        ).json()["data"]
        assert {c["id"] for c in listed} == set(self.models)
        for charge in listed:
            model = self.models[charge["id"]]
            assert charge["amount"] == model.amount
            assert charge["status"] == ("failed" if model.declined else "succeeded")
            assert charge["captured"] is model.captured
            assert charge["amount_captured"] == model.amount_captured
            assert charge["refunded"] is model.refunded
            own = [r for r in refunds if r["charge"] == charge["id"]]
            refunded = sum(r["amount"] for r in own)
            assert charge["amount_refunded"] == refunded
            if model.voided:
                assert refunded == model.amount and charge["amount_captured"] == 0
            else:
                assert refunded == model.amount_refunded <= charge["amount_captured"]
                assert charge["amount_captured"] <= charge["amount"]


def test_refunds_never_exceed_captures_whatever_the_sequence(sandbox: Any) -> None:
    machine = type("Lifecycle", (ChargeLifecycle,), {"base_url": sandbox.url})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=40,
            stateful_step_count=12,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
