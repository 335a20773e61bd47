"""A stateful property test of the sandbox's money: Hypothesis drives random sequences of
every payment a merchant can make, over HTTP, and checks the money after every step
against the sandbox's own answers (the objects read back), as model-based tests of
payment systems do.

Rules (one per money operation): card tokens and charges with and without capture;
capture of all or part; void; refunds in parts; customers and charges of the card on
file; orders created, paid whole or in parts (cards, a card on file, gift cards, bank
accounts), and returned; 3-D Secure payments run to their end or left waiting; gift card
tokens, redemption, reload and cashout; ACH tokens and charges that settle or come back;
subscriptions; sandbox clock moves; replays with an idempotency key; and faults after
commit (`/_sandbox/faults`: a 503 or a dropped connection after the work committed)
followed by a retry with the same key.

Invariants, after every step:

- an order's captured money (`amount_paid`) never exceeds its total and equals the sum
  of its charges' `amount_captured` (https://docs.clover.com/reference/postordersidpay:
  an order is paid by charges of a source; paid in parts, each charge adds to it);
- on every charge, `amount_refunded` never exceeds `amount_captured` and equals the sum
  of its succeeded refunds (https://docs.clover.com/reference/createrefund);
- a failed or returned payment (a decline, an ACH return:
  https://docs.clover.com/dev/docs/ach-faqs) has captured nothing and carries no standing
  refund, so it pays no order;
- a gift card's balance equals its start plus reloads minus cashouts minus what its
  charges captured plus what was refunded to them, and stays within 0 and the reload
  maximum (https://docs.clover.com/docs/gift-card-api: "A decline is not given for
  insufficient funds"; "Refund to a gift card ... refund the value back to the card");
- every invoice period of a subscription is paid at most once, by one succeeded charge;
- a replay with an idempotency key answers the first answer, byte for byte, and a retry
  after a fault that struck after the commit makes nothing twice.

What it and issue 23 found are regression tests beside their resource
(`tests/resources/{ach,gift_cards}/test_money_findings.py`, `tests/resources/threeds/
test_flows.py::test_issue23_*`) and in `test_money_regressions.py` (replays).

3-D Secure (`threeds_payment`): Clover's 3DS test cards charged with `threeds` on
`POST /v1/charges` or on `/v1/orders/{id}/pay`, another card tried on the order while the
charge waits (issue 23's double payment), then the flow the sandbox answers run to its end
or left waiting (https://docs.clover.com/docs/3ds-secure-configure-sdk). The invariants
cover it unchanged, since they read every charge and order the sandbox lists; a waiting
charge counts as captured nothing, and the other rules (capture, refund) meet it too.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections import Counter, defaultdict
from typing import Any

import httpx
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from helpers.sandbox.openapi.examples import ACH_EXAMPLE

MAX_BALANCE = 99_999_999  # the reload maximum: charges' MAX_AMOUNT (gift_cards/routes.py)
GIFT_CARDS = {"7777010000000001": 5000, "7777010000000019": 1500, "7777010000000027": 0}
APPROVES = "4242424242424242"
DECLINES = "4005571702222222"  # a documented decline test card
IP = "203.0.113.7"
CARD = {"exp_month": "12", "exp_year": "2030", "cvv": "123", "brand": "VISA"}

ACH_RETURNS = "1234560001"  # an account number ending 0001 comes back R01 (ach/model.py)
ACH_SETTLES = "123456789012"

THREEDS_CARDS = {  # Clover's 3DS test cards at their amounts (card_rules.THREEDS_TEST_CARDS)
    "373953192351004": ("AMEX", "1234", 25001),
    "6011000990139424": ("DISCOVER", "123", 6677),
    "4012000033330026": ("VISA", "123", 25001),
    "4001230000000129": ("VISA", "123", 1000),
    "4811326490014875": ("VISA", "123", 1009),
    "4043130007524792": ("VISA", "123", 7001),
}
BROWSER = {
    "browser_accept_header": "text/html",
    "browser_ip": IP,
    "browser_javascript_enabled": True,
    "browser_language": "en-US",
    "browser_screen_height": "900",
    "browser_screen_width": "1440",
    "browser_tz": "300",
    "browser_user_agent": "Mozilla/5.0 (machine)",
}

amounts = st.integers(min_value=1, max_value=20_000)
picks = st.integers(min_value=0, max_value=1_000_000)


def gift_token(http: httpx.Client, merchant: dict[str, str], number: str) -> str:
    answer = http.post(
        "/v1/tokens",
        headers={"apikey": merchant["api_access_key"]},
        json={"gift_card": {"number": number}},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def ach_token(http: httpx.Client, merchant: dict[str, str], account: str) -> str:
    """An ACH token from the OpenAPI document's example, Clover's create-an-ach-token request
    (the `agreement` object), for another bank account."""
    body = {**ACH_EXAMPLE["ach"], "bank_account_number": account}
    answer = http.post(
        "/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={"ach": body}
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


class Unexpected(AssertionError):
    """The sandbox answered a 5xx nobody injected, or broke an invariant."""


class MoneyMachine(RuleBasedStateMachine):
    """The merchant's side; `base_url` (a running sandbox) is set by whoever runs it."""

    base_url = ""
    seed = 2026
    sequences = 0  # counted across runs, for the benchmark's report
    checks = 0

    def __init__(self) -> None:
        super().__init__()
        self.http = httpx.Client(base_url=self.base_url, timeout=30)
        MoneyMachine.sequences += 1

    def teardown(self) -> None:
        self.http.close()

    # -- the wire --------------------------------------------------------------------------

    def headers(self, key: str | None = None) -> dict[str, str]:
        return {
            "authorization": f"Bearer {self.merchant['private_key']}",
            "idempotency-key": key or str(uuid.uuid4()),
            "x-forwarded-for": IP,
            "x-clover-merchant-id": self.merchant["merchant_id"],
        }

    def post(self, path: str, body: dict[str, Any], key: str | None = None) -> httpx.Response:
        """A POST with an idempotency key, remembered for a replay when its outcome is one
        the sandbox keeps (a success or a decline)."""
        key = key or str(uuid.uuid4())
        before = self.counts()
        answer = self.http.post(path, headers=self.headers(key), json=body)
        if answer.status_code >= 500:
            raise Unexpected(f"POST {path} answered {answer.status_code}: {answer.text[:300]}")
        if 400 <= answer.status_code < 500 and answer.status_code != 402:
            # a refused request changes nothing (a decline, 402, keeps its failed charge)
            assert self.counts() == before, (path, answer.text[:300])
        if answer.status_code in (200, 402):
            self.answers.append((path, key, body, answer.status_code, answer.content))
        return answer

    def get(self, path: str, **params: Any) -> Any:
        answer = self.http.get(path, headers=self.headers(), params=params)
        if answer.status_code != 200:
            raise Unexpected(f"GET {path} answered {answer.status_code}: {answer.text[:300]}")
        return answer.json()

    def listed(self, path: str) -> list[dict[str, Any]]:
        """Every object of a list endpoint, page by page."""
        found: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": 100}
        while True:
            page = self.get(path, **params)
            found += page["data"]
            if not page["has_more"]:
                return found
            params["starting_after"] = page["data"][-1]["id"]

    def counts(self) -> tuple[int, int, int]:
        """How many charges, refunds and orders the merchant has."""
        return (
            len(self.listed("/v1/charges")),
            len(self.listed("/v1/refunds")),
            len(self.listed("/v1/orders")),
        )

    def token(self, number: str) -> str:
        answer = self.http.post(
            "/v1/tokens",
            headers={"apikey": self.merchant["api_access_key"]},
            json={"card": {"number": number, **CARD}},
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["id"])

    def gift_token(self, number: str) -> str:
        return gift_token(self.http, self.merchant, number)

    def ach_token(self, account: str) -> str:
        return ach_token(self.http, self.merchant, account)

    def made(self, answer: httpx.Response) -> None:
        """Keep the charge an answer made (a decline's too)."""
        body = answer.json()
        if answer.status_code == 200 and body.get("object") != "order":
            self.charges.append(body["id"])
        elif answer.status_code == 402 and body["error"].get("charge"):
            self.charges.append(body["error"]["charge"])

    def charge_of(self, charge_id: str) -> dict[str, Any]:
        return dict(self.get(f"/v1/charges/{charge_id}"))

    # -- set-up ----------------------------------------------------------------------------

    @initialize()
    def start(self) -> None:
        self.http.post("/_sandbox/reset", json={"seed": self.seed}).raise_for_status()
        self.merchant = self.http.get("/_sandbox/merchants").json()[0]
        self.charges: list[str] = []
        self.orders: list[str] = []
        self.customers: list[str] = []
        self.subscriptions: list[str] = []
        self.plan: str | None = None
        self.gift_tokens = {number: self.gift_token(number) for number in GIFT_CARDS}
        self.reloaded: Counter[str] = Counter()
        self.cashed_out: Counter[str] = Counter()
        self.answers: list[tuple[str, str, dict[str, Any], int, bytes]] = []

    # -- cards -----------------------------------------------------------------------------

    @rule(amount=amounts, capture=st.booleans(), declined=st.booleans())
    def card_charge(self, amount: int, capture: bool, declined: bool) -> None:
        source = self.token(DECLINES if declined else APPROVES)
        body = {"amount": amount, "currency": "usd", "source": source, "capture": capture}
        answer = self.post("/v1/charges", body)
        assert answer.status_code in (200, 402), answer.text
        self.made(answer)

    @rule(
        number=st.sampled_from(sorted(THREEDS_CARDS)),
        on_order=st.booleans(),
        passes=st.booleans(),
        other_card=st.booleans(),
        finish=st.booleans(),
    )
    def threeds_payment(
        self, number: str, on_order: bool, passes: bool, other_card: bool, finish: bool
    ) -> None:
        """A 3-D Secure payment: while it waits, another card on its order must be refused
        (issue 23: 2400 captured on a 1200 order); then finalize, or leave it waiting."""
        brand, cvv, amount = THREEDS_CARDS[number]
        card = {**CARD, "number": number, "brand": brand, "cvv": cvv, "name": "Ada L"}
        made = self.http.post(
            "/v1/tokens", headers={"apikey": self.merchant["api_access_key"]}, json={"card": card}
        )
        assert made.status_code == 200, made.text
        paying = {
            "source": made.json()["id"],
            "threeds": {"source": "CLOVER", "browser_info": BROWSER},
        }
        if on_order:
            item = {"type": "sku", "amount": amount, "currency": "usd", "description": "3DS"}
            order = self.post("/v1/orders", {"currency": "usd", "items": [item]})
            assert order.status_code == 200, order.text
            self.orders.append(order.json()["id"])
            answer = self.post(
                f"/v1/orders/{order.json()['id']}/pay", {**paying, "email": "ada@example.com"}
            )
            self.made_by_pay(answer)
        else:
            body = {"amount": amount, "currency": "usd", "receipt_email": "ada@example.com"}
            answer = self.post("/v1/charges", {**body, **paying})
            self.made(answer)
        assert answer.status_code in (200, 402), answer.text
        if answer.status_code == 402:
            return
        charge_id = answer.json()["charge"] if on_order else answer.json()["id"]
        charge = self.charge_of(charge_id)
        if other_card and charge["status"] == "pending":
            other = self.post(f"/v1/orders/{charge['order']}/pay", {"source": self.token(APPROVES)})
            assert other.status_code == 409, other.text  # the order waits for 3-D Secure
        for _ in range(2):  # a method flow may be followed by a challenge
            if not finish or charge["status"] != "pending":
                return
            status = self.run_threeds_flow(charge["threeds"]["data"], passes)
            done = {"charge_id": charge_id, "threeds": {"source": "CLOVER", "flow_status": status}}
            answer = self.post("/v1/charges/finalize_payment", done)
            assert answer.status_code in (200, 402), answer.text
            charge = self.charge_of(charge_id)

    def run_threeds_flow(self, data: dict[str, Any], passes: bool) -> str:
        """What the 3DS script does in the shopper's browser: the issuer's method URL, or
        its challenge page answered (1234) or cancelled; the executePatch status."""
        if "method_url" in data:
            return "Y"  # the sandbox's issuer decides after a method flow by card
        creq = {
            "threeDSServerTransID": data["threeds_server_transaction_id"],
            "acsTransID": data["acs_transaction_id"],
        }
        encoded = base64.urlsafe_b64encode(json.dumps(creq).encode()).decode().rstrip("=")
        form = {"creq": encoded, **({"code": "1234", "action": "verify"} if passes else {})}
        if not passes:
            form["action"] = "cancel"
        page = self.http.post("/threeds/acs", data=form)
        assert page.status_code == 200, page.text
        return "Y" if passes else "N"

    @precondition(lambda self: self.charges)
    @rule(pick=picks, part=st.one_of(st.none(), amounts))
    def capture(self, pick: int, part: int | None) -> None:
        charge_id = self.charges[pick % len(self.charges)]
        body = {} if part is None else {"amount": part}
        self.post(f"/v1/charges/{charge_id}/capture", body)

    @precondition(lambda self: self.refundable())
    @rule(pick=picks, part=st.one_of(st.none(), amounts))
    def refund(self, pick: int, part: int | None) -> None:
        """A refund of part or all of a charge; of an authorization, a void."""
        choices = self.refundable()
        charge_id = choices[pick % len(choices)]
        body: dict[str, Any] = {"charge": charge_id}
        if part is not None:
            body["amount"] = part
        self.post("/v1/refunds", body)

    @staticmethod
    def ach_account(pick: int) -> str:
        """A bank account that settles, or (one in three) one that comes back R01."""
        return ACH_RETURNS if pick % 3 == 0 else ACH_SETTLES

    def refundable(self) -> list[str]:
        return list(self.charges)

    # -- customers -------------------------------------------------------------------------

    @rule(email=st.booleans())
    def customer(self, email: bool) -> None:
        """A card on file; Clover requires the customer's email
        (https://docs.clover.com/docs/ecommerce-saving-card): without one nothing is saved."""
        body = {"source": self.token(APPROVES)}
        if email:
            body["email"] = "ada@example.com"
        answer = self.post("/v1/customers", body)
        if not email:
            assert answer.status_code == 400, answer.text
            assert answer.json()["error"]["param"] == "email", answer.text
            return
        assert answer.status_code == 200, answer.text
        self.customers.append(answer.json()["id"])

    @precondition(lambda self: self.customers)
    @rule(pick=picks, amount=amounts, capture=st.booleans())
    def card_on_file_charge(self, pick: int, amount: int, capture: bool) -> None:
        customer = self.customers[pick % len(self.customers)]
        body = {"amount": amount, "currency": "usd", "source": customer, "capture": capture}
        answer = self.post("/v1/charges", body)
        assert answer.status_code == 200, answer.text
        self.made(answer)

    # -- orders ----------------------------------------------------------------------------

    @rule(
        prices=st.lists(amounts, min_size=1, max_size=3),
        taxed=st.booleans(),
    )
    def order(self, prices: list[int], taxed: bool) -> None:
        items: list[dict[str, Any]] = [
            {"type": "sku", "amount": p, "currency": "usd", "description": "Book", "quantity": 1}
            for p in prices
        ]
        if taxed:
            items[0]["tax_rates"] = [{"name": "Sales tax", "rate": 825000}]
        answer = self.post("/v1/orders", {"currency": "usd", "items": items})
        assert answer.status_code == 200, answer.text
        self.orders.append(answer.json()["id"])

    @precondition(lambda self: self.orders)
    @rule(
        pick=picks,
        part=st.one_of(st.none(), amounts),
        how=st.sampled_from(["card", "declined", "customer", "gift", "ach"]),
        gift=st.sampled_from(sorted(GIFT_CARDS)),
        tip=st.sampled_from([0, 0, 150]),
    )
    def pay_order(self, pick: int, part: int | None, how: str, gift: str, tip: int) -> None:
        """Pay an order whole or in part with a card, a card on file, a gift card or a bank
        account (ACH, which may come back days later and unpay the order)."""
        order_id = self.orders[pick % len(self.orders)]
        if how == "customer" and not self.customers:
            how = "card"
        body: dict[str, Any] = {
            "card": {"source": self.token(APPROVES)},
            "declined": {"source": self.token(DECLINES)},
            "customer": {"customer": self.customers[pick % len(self.customers)]}
            if self.customers
            else {},
            "gift": {"source": self.gift_tokens[gift]},
        }.get(how) or {"source": ach_token(self.http, self.merchant, self.ach_account(pick))}
        if part is not None:
            body["amount"] = part
        if tip:
            body["tip_amount"] = tip
        answer = self.post(f"/v1/orders/{order_id}/pay", body)
        if answer.status_code == 200:
            self.charges.append(answer.json()["charge"])
        elif answer.status_code == 402 and answer.json()["error"].get("charge"):
            self.charges.append(answer.json()["error"]["charge"])

    @precondition(lambda self: self.orders)
    @rule(pick=picks)
    def return_order(self, pick: int) -> None:
        order_id = self.orders[pick % len(self.orders)]
        self.post(f"/v1/orders/{order_id}/returns", {})

    # -- gift cards ------------------------------------------------------------------------

    @rule(gift=st.sampled_from(sorted(GIFT_CARDS)), amount=amounts)
    def redeem(self, gift: str, amount: int) -> None:
        body = {
            "amount": amount,
            "currency": "usd",
            "source": self.gift_token(gift),
            "partial_redemption": True,
        }
        answer = self.post("/v1/charges", body)
        assert answer.status_code in (200, 402), answer.text
        self.made(answer)

    @rule(
        gift=st.sampled_from(sorted(GIFT_CARDS)),
        amount=st.one_of(amounts, st.just(MAX_BALANCE)),
    )
    def reload(self, gift: str, amount: int) -> None:
        body = {"amount": amount, "currency": "usd", "source": self.gift_tokens[gift]}
        answer = self.post("/v1/reload", body)
        if answer.status_code == 200:
            self.reloaded[gift] += answer.json()["amount"]

    @rule(gift=st.sampled_from(sorted(GIFT_CARDS)))
    def cashout(self, gift: str) -> None:
        empty = self.balance(gift) == 0
        answer = self.post("/v1/cashout", {"source": self.gift_tokens[gift]})
        if empty:  # nothing to cash out is refused, not a 200 of 0 (issue 23)
            assert answer.status_code in (400, 402), answer.text
            return
        assert answer.status_code == 200, answer.text
        self.cashed_out[gift] += answer.json()["amount"]

    def balance(self, gift: str) -> int:
        answer = self.http.post(
            "/v1/balance_inquiry",
            headers=self.headers(),
            json={"source": self.gift_tokens[gift]},
        )
        assert answer.status_code == 200, answer.text
        return int(answer.json()["gift_card"]["new_balance"])

    # -- ACH -------------------------------------------------------------------------------

    @rule(amount=amounts, returns=st.booleans())
    def ach_charge(self, amount: int, returns: bool) -> None:
        source = self.ach_token(ACH_RETURNS if returns else ACH_SETTLES)
        answer = self.post("/v1/charges", {"amount": amount, "currency": "usd", "source": source})
        assert answer.status_code == 200, answer.text
        self.made(answer)

    # -- subscriptions and the clock -------------------------------------------------------

    @precondition(lambda self: self.customers)
    @rule(pick=picks, amount=amounts)
    def subscribe(self, pick: int, amount: int) -> None:
        """A monthly subscription of a customer (the request names it `customerId`, the
        answer `customerUuid`: docs.clover.com/docs/recurring-apis-subscriptions)."""
        if self.plan is None:
            plan = {"name": "Coffee club", "amount": 1500, "interval": "Month", "intervalCount": 1}
            answer = self.post("/recurring/v1/plans", plan)
            assert answer.status_code == 200, answer.text
            self.plan = answer.json()["id"]
        body = {
            "customerId": self.customers[pick % len(self.customers)],
            "collectionMethod": "CHARGE_AUTOMATICALLY",
            "amount": amount,
        }
        answer = self.post(f"/recurring/v1/plans/{self.plan}/subscriptions", body)
        assert answer.status_code == 200, answer.text
        self.subscriptions.append(answer.json()["id"])

    @rule(days=st.integers(min_value=1, max_value=40))
    def move_clock(self, days: int) -> None:
        """ACH settles or comes back after three days; renewals fall due. Idempotency
        records last 24 hours of this clock, so the answers to replay are forgotten."""
        answer = self.http.post("/_sandbox/clock", json={"advance": f"P{days}D"})
        assert answer.status_code == 200, answer.text
        self.answers.clear()
        self.charges += [c for c in self.renewal_charges() if c not in self.charges]

    def renewal_charges(self) -> list[str]:
        found = []
        for sub in self.subscriptions:
            invoices = self.get(f"/recurring/v1/subscriptions/{sub}/invoices", limit=100)
            for invoice in invoices["data"]:
                found += invoice.get("charges", [])
        return found

    # -- idempotency and faults ------------------------------------------------------------

    @precondition(lambda self: self.answers)
    @rule(pick=picks)
    def replay(self, pick: int) -> None:
        path, key, body, status, content = self.answers[pick % len(self.answers)]
        again = self.http.post(path, headers=self.headers(key), json=body)
        assert again.status_code == status, (path, again.text)
        assert again.content == content, (path, content[:200], again.content[:200])
        assert again.headers.get("idempotent-replayed") == "true"

    @precondition(lambda self: self.answers)
    @rule(pick=picks, amount=amounts)
    def reuse_key_for_another_body(self, pick: int, amount: int) -> None:
        """The same key with another body is refused, and makes nothing."""
        path, key, body, _, _ = self.answers[pick % len(self.answers)]
        other = {**body, "amount": body.get("amount", 0) + amount}
        before = self.counts()
        again = self.http.post(path, headers=self.headers(key), json=other)
        assert again.status_code == 400, (path, again.text)
        assert again.json()["error"]["type"] == "idempotency_error", again.text
        assert self.counts() == before, path

    @rule(
        kind=st.sampled_from(["status", "drop"]),
        what=st.sampled_from(["charge", "refund", "pay"]),
        amount=amounts,
    )
    def fault_then_retry(self, kind: str, what: str, amount: int) -> None:
        """A fault after the work committed, then the client's retry with the same key:
        the retry answers what was made, and nothing is made twice."""
        if what == "refund" and not self.refundable():
            what = "charge"
        if what == "pay" and not self.orders:
            what = "charge"
        if what == "charge":
            path = "/v1/charges"
            body: dict[str, Any] = {"amount": amount, "currency": "usd"}
            body["source"] = self.token(APPROVES)
        elif what == "refund":
            path = "/v1/refunds"
            body = {"charge": self.refundable()[amount % len(self.refundable())], "amount": 1}
        else:
            path = f"/v1/orders/{self.orders[amount % len(self.orders)]}/pay"
            body = {"source": self.token(APPROVES), "amount": amount}
        fault = {"merchant": self.merchant["merchant_id"], "kind": kind, "path": path}
        fault |= {"method": "POST", "count": 1}
        if kind == "status":
            fault["status"] = 503
        self.http.post("/_sandbox/faults", json=fault).raise_for_status()
        before = len(self.listed("/v1/charges")), len(self.listed("/v1/refunds"))
        key = str(uuid.uuid4())
        try:
            first = self.http.post(path, headers=self.headers(key), json=body)
            assert first.status_code == 503, first.text
        except httpx.TransportError:
            pass  # the dropped connection: the client cannot know what happened
        retry = self.http.post(path, headers=self.headers(key), json=body)
        if retry.status_code >= 500:
            raise Unexpected(f"the retry of {path} answered {retry.status_code}: {retry.text}")
        after = len(self.listed("/v1/charges")), len(self.listed("/v1/refunds"))
        made = (after[0] - before[0], after[1] - before[1])
        if retry.status_code in (200, 402):
            assert retry.headers.get("idempotent-replayed") == "true", retry.text
            assert made in ((1, 0), (0, 1)), (path, made)
            self.answers.append((path, key, body, retry.status_code, retry.content))
            if what != "refund":
                self.made(retry) if what == "charge" else self.made_by_pay(retry)
        else:  # refused: the first try changed nothing either
            assert made == (0, 0), (path, made, retry.text)

    def made_by_pay(self, answer: httpx.Response) -> None:
        if answer.status_code == 200:
            self.charges.append(answer.json()["charge"])

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def money_holds(self) -> None:
        if not hasattr(self, "merchant"):
            return
        MoneyMachine.checks += 1
        charges = {c["id"]: c for c in self.listed("/v1/charges")}
        refunds: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.listed("/v1/refunds"):
            refunds[r["charge"]].append(r)
        for charge in charges.values():
            standing = [r for r in refunds[charge["id"]] if r["status"] == "succeeded"]
            voids = [r for r in standing if r.get("metadata", {}).get("refundType") == "PREAUTH"]
            money = sum(r["amount"] for r in standing if r not in voids)
            where = (charge["id"], charge["status"], charge.get("payment_method_details"))
            assert charge["amount_captured"] <= charge["amount"], where
            assert sum(r["amount"] for r in standing) == charge["amount_refunded"], where
            # money refunded never exceeds money captured; a void (a refund of an
            # authorization, `refundType: PREAUTH`) releases what was never captured
            assert money <= charge["amount_captured"], (where, money)
            if voids:
                assert not charge["captured"] and charge["amount_captured"] == 0, where
            if charge["status"] == "failed":
                assert charge["amount_captured"] == 0 and not standing, where
        self.orders_hold(charges)
        self.gift_cards_hold(charges)
        self.invoices_hold(charges)

    def orders_hold(self, charges: dict[str, dict[str, Any]]) -> None:
        by_order: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for charge in charges.values():
            by_order[charge["order"]].append(charge)
        orders = {o["id"]: o for o in self.listed("/v1/orders")}
        assert set(self.orders) | set(by_order) <= set(orders), "an order is missing"
        for order_id, order in orders.items():
            mine = by_order.get(order_id, [])
            captured = sum(c["amount_captured"] for c in mine)
            assert order["amount_paid"] <= order["amount"], order
            assert order["amount_paid"] == captured, (order_id, order["amount_paid"], captured)
            if order["status"] == "paid":
                assert order["amount_paid"] == order["amount"], order

    def gift_cards_hold(self, charges: dict[str, dict[str, Any]]) -> None:
        for gift, start in GIFT_CARDS.items():
            mine = [
                c
                for c in charges.values()
                if c.get("payment_method_details") == "giftCard"
                and c["source"]["last4"] == gift[-4:]
            ]
            taken = sum(c["amount_captured"] for c in mine)
            back = sum(c["amount_refunded"] for c in mine)
            expected = start + self.reloaded[gift] - self.cashed_out[gift] - taken + back
            balance = self.balance(gift)
            assert 0 <= balance <= MAX_BALANCE, (gift[-4:], balance)
            assert balance == expected, (gift[-4:], balance, expected)

    def invoices_hold(self, charges: dict[str, dict[str, Any]]) -> None:
        for sub in self.subscriptions:
            invoices = self.get(f"/recurring/v1/subscriptions/{sub}/invoices", limit=100)["data"]
            paid = Counter(i["dueDate"] for i in invoices if i["status"] == "PAID")
            assert all(n == 1 for n in paid.values()), (sub, paid)
            for invoice in invoices:
                won = [
                    c
                    for c in invoice.get("charges", [])
                    if charges.get(c, {}).get("status") == "succeeded"
                ]
                assert len(won) == (1 if invoice["status"] == "PAID" else 0), (sub, invoice)
