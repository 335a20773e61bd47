"""The ``check`` that closes each "Your turn" exercise in the notebooks, and the exercises'
own checks.

A hint comes in steps: the first failure gives the idea, the next one the code. An exercise's
check lives here, not in the notebook, so the answer is never in sight; it reads the state of
the sandbox (not counts that grow with every run), so it passes again after a re-run.
"""

from __future__ import annotations

import functools
import inspect
import numbers
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NoReturn, ParamSpec, TypeGuard

__all__ = [
    "CheckFailed",
    "check",
    "check_authorization",
    "check_book_charge",
    "check_cancel_prediction",
    "check_card_replacement",
    "check_encrypted_token",
    "check_going_live",
    "check_harbor_install",
    "check_integration_choices",
    "check_lost_answer",
    "check_net_captured",
    "check_next_step",
    "check_order_prediction",
    "check_recovered_attempt",
    "check_refund_prediction",
    "check_retry_prediction",
    "check_split_tender",
    "check_threeds_confirmation",
    "check_wallet_charge",
    "is_truth_value",
    "is_whole_number",
]

_failures: dict[str, int] = {}


class CheckFailed(AssertionError):
    """An exercise not right yet. A notebook shows only its message (the hint) and the
    learner's own line, never the frames of this module, whose lines hold the later hints."""


def is_whole_number(value: object) -> TypeGuard[int]:
    """An int of any kind (``int``, ``numpy.int64``...), not a float, not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_truth_value(value: object) -> bool:
    """True or False, as Python's ``bool`` or numpy's ``bool_`` (what a DataFrame hands back)."""
    kind = type(value)
    return isinstance(value, bool) or (
        kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")
    )


def check(
    condition: bool | Callable[[], Any],
    success_message: str = "Well done!",
    hint: str | Sequence[str] = "Not yet: read the step above again.",
) -> None:
    """Print a ✅ when the exercise is right; otherwise fail with a hint, not a traceback hunt.

    ``condition`` may be a callable, so a check can inspect things that raise when the
    exercise is unfinished (a name not defined yet, a missing key). ``hint`` may be a list of
    steps: each failure shows the next one (the idea first, then the code), and the last one
    stays.
    """
    hints = [hint] if isinstance(hint, str) else list(hint)
    detail = ""
    try:
        passed = condition() if callable(condition) else condition
    except Exception as exc:
        passed, detail = False, f" ({type(exc).__name__}: {exc})"
    if not passed:
        step = _failures.get(hints[0], 0)
        _failures[hints[0]] = step + 1
        shown = hints[min(step, len(hints) - 1)]
        label = f"Hint {min(step, len(hints) - 1) + 1} of {len(hints)}: " if len(hints) > 1 else ""
        raise CheckFailed(f"❌ {label}{shown}{detail}")
    _failures.pop(hints[0], None)
    print(f"✅ {success_message}")


def _fail(hints: Sequence[str]) -> NoReturn:
    check(False, hint=hints)
    raise CheckFailed(hints[-1])  # not reached: check(False) raises


def _unanswered(value: object) -> bool:
    """Still the exercise twin's placeholder: ``...``, ``"..."``, or a dict or list holding one."""
    if value is Ellipsis or (isinstance(value, str) and value == "..."):
        return True
    if isinstance(value, Mapping):
        return any(_unanswered(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_unanswered(item) for item in value)
    return False


_P = ParamSpec("_P")


def _exercise(check_answer: Callable[_P, None]) -> Callable[_P, None]:
    """An exercise's check that first says which answer is still a ``...`` placeholder, the
    way the exercise twins hand them out, before it judges anything."""
    signature = inspect.signature(check_answer)

    @functools.wraps(check_answer)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> None:
        for name, value in signature.bind_partial(*args, **kwargs).arguments.items():
            if _unanswered(value):
                _fail(
                    [
                        f"`{name}` is still `...`: replace each `...` in the cell above with "
                        "your answer, run that cell, then this one."
                    ]
                )
        check_answer(*args, **kwargs)

    return guarded


# -- 01: the iframe + API flow -------------------------------------------------------------


@_exercise
def check_authorization(hold: Any, capture_at_checkout: object) -> None:
    """01's exercise: choose capture or not for a shop that ships later, then authorize."""
    if capture_at_checkout is not False:
        _fail(
            [
                "The shop takes the money only once it knows it can ship. What should happen "
                "at checkout: take the money, or only reserve it?",
                "Reserve it: capture_at_checkout = False, and create_charge(..., capture=False).",
            ]
        )
    if getattr(hold, "amount", None) != 4200 or hold.status != "succeeded":
        _fail(
            [
                "The charge is $42.00 on a fresh token; money is in cents.",
                "clover.create_charge(4200, clover.create_token(test_card('approve').card()).id, "
                "capture=False)",
            ]
        )
    if hold.captured is not False:
        _fail(["That charge was captured: pass capture=False to only authorize it."])
    print(
        "✅ hold is $42.00 authorized, not captured (capture_at_checkout is False): the money is "
        "held until the parcel ships."
    )


# -- 02: integration types ------------------------------------------------------------------

_INTEGRATIONS = {
    "food truck": (
        "hosted",
        "The food truck has no website at all: whose page can show the card form, then?",
    ),
    "bookshop": (
        "iframe",
        "The bookshop wants its own page design and the low PCI burden: who draws the page, "
        "and who draws the card fields inside it?",
    ),
    "florist": (
        "virtual_terminal",
        "The florist takes orders by phone and has no developer: is there anything to build? "
        "Clover's Virtual Terminal is a page in the merchant's dashboard.",
    ),
    "call centre": (
        "api_only",
        "The call centre's own software takes the card a caller reads out (a MOTO payment): "
        "no shopper's browser can host Clover's fields, so the app tokenizes the card itself.",
    ),
}


_INTEGRATION_NAMES = {
    "hosted_checkout": "hosted",
    "iframe_+_api": "iframe",
    "iframe_and_api": "iframe",
    "api": "api_only",
    "vt": "virtual_terminal",
}


def _word(value: object) -> str:
    """A choice as written any usual way: 'API-only', 'api only' and 'api_only' are one."""
    return "_".join(str(value).strip().strip("().").lower().replace("-", " ").split())


@_exercise
def check_integration_choices(choices: Mapping[str, str]) -> None:
    """02's exercise: one integration for each of the four shops."""
    known = {"hosted", "iframe", "api_only", "virtual_terminal"}
    given = {_word(k): _INTEGRATION_NAMES.get(_word(v), _word(v)) for k, v in dict(choices).items()}
    given = {shop.replace("_", " "): choice for shop, choice in given.items()}
    missing = [shop for shop in _INTEGRATIONS if shop not in given]
    if missing:
        _fail([f"Give an answer for each shop; missing: {', '.join(missing)}."])
    unknown = sorted({v for v in given.values()} - known)
    if unknown:
        _fail([f"Use only {', '.join(sorted(known))}; not {', '.join(unknown)}."])
    for shop, (right, idea) in _INTEGRATIONS.items():
        if given[shop] != right:
            _fail([f"Not the {shop} yet. {idea}", f"The {shop}: {right!r}. {idea}"])
    print(
        "✅ No site -> Hosted Checkout; own design -> iframe + API; phone orders with nothing "
        "to build -> Virtual Terminal; your own software keying cards -> API-only, as MOTO."
    )


# -- 03: OAuth access tokens ------------------------------------------------------------------


@_exercise
def check_harbor_install(spa: Any, token: Any, harbor: str) -> None:
    """03's exercise: the broken install fixed; Harbor's token works for Harbor."""
    if getattr(token, "merchant_id", None) != harbor:
        _fail(
            [
                "exchange() checks that the callback answers the authorization you pass it "
                "(its state, and its merchant). Which authorization did the callback answer?",
                "Approve and exchange with the same authorization: "
                "spa.exchange(spa.approve_locally(harbor_asked), harbor_asked).",
            ]
        )
    if spa.client(harbor).get_pakms_key().merchantUuid != harbor:
        _fail(["The token works, but Clover says it is another merchant's: start again."])
    print("✅ The callback was exchanged with its own authorization; Harbor's token is Harbor's.")


# -- 04: PAKMS key and card tokens ------------------------------------------------------------


@_exercise
def check_encrypted_token(
    amex_token: Any, last_request: Any, expected_last4: str, saq: object
) -> None:
    """04's exercise: an Amex token made from an encrypted number, and the PCI scope after."""
    card = (getattr(last_request, "request_json", None) or {}).get("card") or {}
    if getattr(getattr(amex_token, "card", None), "brand", None) != "AMEX":
        _fail(
            [
                "The token should be of the Amex card that approves with an AVS match.",
                "test_card('approve_avs', brand='AMEX').card(address_zip='94107')",
            ]
        )
    if amex_token.card.last4 != expected_last4 or "encrypted_pan" not in card:
        _fail(
            [
                "The last request sent the number in clear: encrypt it before it leaves.",
                "pinewood.create_token({'card': card_key.encrypted_card(the_card)})",
            ]
        )
    if str(saq).replace(" ", "").upper() != "SAQD":
        _fail(
            [
                "Your server encrypted the number, so what did it hold just before? PCI scope "
                "follows every system that receives card data in clear.",
                "Encrypting in your server protects the number on its way out; your server "
                "still handled it, so the questionnaire stays 'SAQ D'.",
            ]
        )
    print("✅ An Amex token from an encrypted number; your server still handled it: SAQ D.")


# -- 05: charging the token, API-only ------------------------------------------------------


@_exercise
def check_book_charge(harbor: Any, book_charge: Any, reused_token_code: object) -> None:
    """05's exercise: Harbor's Discover charge, and what a second charge of its token gets."""
    if getattr(getattr(book_charge, "source", None), "brand", None) != "DISCOVER":
        _fail(
            [
                "The book is paid with the Discover test card that approves, picked in a "
                "CardForm made for Harbor's client.",
                "form = CardForm(harbor); form.picker.value = test_card('approve', "
                "brand='DISCOVER'); then harbor.create_charge(1890, form.tokenize()).",
            ]
        )
    if book_charge.amount != 1890 or book_charge.status != "succeeded":
        _fail(["The book costs $18.90: 1890 cents, and the charge must succeed."])
    try:
        harbor.get_charge(book_charge.id)
    except Exception:
        _fail(
            [
                "Harbor cannot read this charge back: whose client made it? Each merchant's "
                "money goes through that merchant's client.",
                "Charge with harbor.create_charge(...), not pinewood.",
            ]
        )
    if str(reused_token_code).strip() != "token_already_used":
        _fail(
            [
                "If Harbor's server sent the same token again for a second book, what would "
                "Clover answer? This notebook made it happen once.",
                "A clv_ token is single use: 'token_already_used'.",
            ]
        )
    print("✅ Harbor Books took $18.90 on a Discover card; its token cannot pay twice.")


# -- 06: capture and refunds ----------------------------------------------------------------


@_exercise
def check_refund_prediction(
    clover: Any, order: Any, predicted: Mapping[str, object], predicted_error: object
) -> None:
    """06's exercise: predict a charge's amounts after capture and refund, then the error of
    one refund too many; the charge is read back from Clover."""
    charge = clover.get_charge(order.id)
    actual = {
        "amount": charge.amount,
        "amount_captured": charge.get("amount_captured"),
        "amount_refunded": charge.amount_refunded,
        "refunded": charge.refunded,
    }
    if actual != {
        "amount": 8000,
        "amount_captured": 6000,
        "amount_refunded": 1500,
        "refunded": False,
    }:
        _fail(
            [
                "First make it happen: authorize $80.00 (capture=False), capture $60.00 of it, "
                "then refund $15.00; money is in cents.",
                "order = clover.create_charge(8000, fresh_token(), capture=False); "
                "clover.capture_charge(order.id, 6000); clover.create_refund(order.id, 1500)",
            ]
        )
    for field, value in actual.items():
        guess = dict(predicted).get(field)
        kind_ok = is_truth_value(guess) if field == "refunded" else is_whole_number(guess)
        if not kind_ok or guess != value:
            _fail(
                [
                    f"Your prediction of {field} is not what Clover says. Think it through: "
                    "`amount` is what was authorized and never changes; the part not captured "
                    "is released, not refunded; `refunded` turns true only when all of the "
                    "captured money is back.",
                    f"Clover says {field} = {value!r}; you predicted {guess!r}. Why? Read the "
                    "table of the first step again.",
                ]
            )
    try:
        clover.create_refund(order.id, 5000)
    except Exception as err:  # the refund asked for more than is left
        code = getattr(err, "code", None)
    else:
        _fail(["A refund of $50.00 went through: that should not have been possible."])
    if str(predicted_error).strip() != code:
        _fail(
            [
                "A further $50.00 refund: how much captured money is left to refund? Which row "
                "of the table of wrong moves is that?",
                f"Clover answered {code!r}: more than is left to refund.",
            ]
        )
    print(
        "✅ $80.00 held, $60.00 captured ($20.00 released), $15.00 back: $45.00 kept; "
        f"$50.00 more is more than is left ({code})."
    )


# -- 07: declines and errors ---------------------------------------------------------------


@_exercise
def check_next_step(next_step: Callable[[Any], object], clover: Any) -> None:
    """07's exercise: ``next_step(err)`` fed real errors from the sandbox and made ones."""
    from ..clover.cards import test_card
    from ..clover.errors import APIError, CloverError, RateLimitError

    def caught(action: Callable[[], object]) -> Any:
        try:
            action()
        except CloverError as err:
            return err
        return None

    declined = caught(
        lambda: clover.create_charge(700, clover.create_token(test_card("decline").card()).id)
    )
    cases = [
        ("a decline (402 card_declined)", declined, "ask for another card"),
        (
            "a 503 (ambiguous)",
            APIError("503 Service Unavailable", status=503),
            "retry with the same key",
        ),
        (
            "a 429",
            RateLimitError("429 Too Many Requests", status=429, retry_after=1),
            "retry with the same key",
        ),
        (
            "a 404 resource_missing",
            caught(lambda: clover.get_charge("NOSUCHCHARGE1")),
            "fix the request",
        ),
    ]
    for what, err, wanted in cases:
        answer = next_step(err)
        if answer != wanted:
            first = (
                f"For {what}, next_step answered {answer!r}. A 429 means Clover did nothing "
                "yet: nothing to fix, only to wait (Retry-After) and send the same request again."
                if "429" in what
                else f"For {what}, next_step answered {answer!r}. Ask: could the shopper fix it, "
                "might the charge exist already, or is it your request that is wrong?"
            )
            _fail(
                [
                    first,
                    "Test the classes in order: CardError first, then APIError, "
                    "APIConnectionError and RateLimitError, and anything else last.",
                ]
            )
    print(
        "✅ Declines ask the shopper; ambiguous failures retry with the key; "
        "the rest is yours to fix."
    )


# -- 08: safe retries -----------------------------------------------------------------------


@_exercise
def check_retry_prediction(
    local: Any, mine: Any, key: str, predicted_attempts: object, predicted_charges: object
) -> None:
    """08's exercise: predict what a dropped connection does to one charge, then read the
    sandbox's request log for the learner's own key (unique to the run)."""
    seen = local.requests(path="/v1/charges", limit=5000)
    with_key = seen[seen["idempotency_key"] == key]
    if len(with_key) == 0 or getattr(mine, "amount", None) != 2500:
        _fail(
            [
                "First make it happen: a drop fault on POST /v1/charges (once), then a $25.00 "
                "charge with your own key, letting the client retry.",
                'local.fault("drop", path="/v1/charges", method="POST", count=1), then '
                "clover.create_charge(2500, fresh_token(), idempotency_key=KEY).",
            ]
        )
    attempts, charged = len(with_key), int((~with_key["replayed"].astype(bool)).sum())
    if attempts < 2:
        _fail(["Only one attempt carried your key: was the drop fault switched on first?"])
    if not (is_whole_number(predicted_attempts) and is_whole_number(predicted_charges)):
        _fail(["Write both predictions as numbers: predicted_attempts, predicted_charges."])
    if (predicted_attempts, predicted_charges) != (attempts, charged):
        _fail(
            [
                f"You predicted {predicted_attempts} attempts and {predicted_charges} charges; "
                "the log disagrees. The first attempt reached Clover and its answer was lost: "
                "what does the retry with the same key get?",
                f"The log shows {attempts} attempts and {charged} charge: the retry was "
                "answered from the stored first answer (replayed), not charged again.",
            ]
        )
    print(
        f"✅ {attempts} attempts with your key, {charged} charge: the retry was a replay, "
        "as you predicted."
    )


# -- 09: reporting ---------------------------------------------------------------------------


@_exercise
def check_net_captured(amex_cents: object, book: Any, deposit_reason: object) -> None:
    """09's exercise: AMEX's net captured amount in cents, and why the deposit differs."""
    amex = book[book["brand"] == "AMEX"]
    expected = int(amex["amount_captured"].sum()) - int(amex["amount_refunded"].sum())
    if not is_whole_number(amex_cents):
        _fail(
            [
                "Money is a whole number of cents: a float (or a string) is not an answer "
                f"here; you gave {type(amex_cents).__name__}.",
                "Use the ledger's cents columns (amount_captured, amount_refunded), not "
                "dollars, and make the sum an int: int(book.loc[..., ...].sum()).",
            ]
        )
    if amex_cents != expected:
        _fail(
            [
                "What the merchant keeps of a charge is what was captured of it minus what was "
                "refunded of it; declines and holds keep nothing. Only AMEX rows count.",
                "Filter the rows with book['brand'] == 'AMEX', then add up the column that "
                "already holds captured minus refunded, in cents.",
            ]
        )
    if _word(deposit_reason) != "c":
        _fail(
            [
                "Your number is right; now the deposit. What happens between a capture and "
                "money in the merchant's bank? Read 'Where the numbers come from', at the "
                "top, again.",
                "Settlement and funding are a batch step, later, and the processor keeps its "
                "fees: which letter says that?",
            ]
        )
    print(
        f"✅ ${amex_cents / 100:,.2f} net captured on AMEX; the deposit comes later, in a "
        "batch, net of fees."
    )


# -- 10: card on file ------------------------------------------------------------------------


@_exercise
def check_card_replacement(clover: Any, bob: Any, old_card: str, charge: Any) -> None:
    """10's exercise: Bob's new card, first used as FIRST, saved, and the old one revoked."""
    credentials = charge.get("stored_credentials") or {}
    if charge.amount != 1200 or charge.source.brand != "AMEX":
        _fail(["The charge is $12.00 (1200 cents) on the new American Express card."])
    if charge.get("warning_message") or credentials.get("sequence") != "FIRST":
        _fail(
            [
                "The new card has never been used as a stored card: what is its first charge "
                "in the sequence? (Clover answered with a warning_message.)",
                "Charge the AMEX token first, with intent='save_credential_on_file' and "
                "stored_credentials('FIRST', 'CARDHOLDER'), then save it to Bob.",
            ]
        )
    cards = list(clover.get_customer(bob).sources.data)
    if old_card in cards:
        _fail(
            [
                "Bob asked you to replace his card, not to keep both: a card he gave up must "
                "not stay chargeable.",
                "clover.revoke_card(bob, old_card) once the new card is saved.",
            ]
        )
    if len(cards) != 1:
        _fail(
            [
                "Bob should end with exactly one card on file: the new one.",
                "clover.update_customer(bob, source=the_amex_token) after the FIRST charge.",
            ]
        )
    print("✅ The new card began with FIRST (no warning), is saved, and the old one is revoked.")


# -- 11: orders ------------------------------------------------------------------------------


@_exercise
def check_order_prediction(croissants: Any, predicted_total: object) -> None:
    """11's exercise: the croissant order, and the total predicted before it was made."""
    if getattr(croissants, "tax_amount", None) != 93 or getattr(croissants, "amount", None) != 1718:
        _fail(
            [
                "Three croissants at $3.75 carry the sales tax; shipping carries none. Money "
                "is in cents, tax rates in ten-millionths.",
                "clover.create_order([sku('Croissant', 375, 3, tax_rates=[sales_tax]), "
                "shipping('Shipping', 500)])",
            ]
        )
    if isinstance(predicted_total, Decimal) and predicted_total == predicted_total.to_integral():
        predicted_total = int(predicted_total)  # the notebook works it out with Decimal
    if not is_whole_number(predicted_total):
        _fail(["Write your prediction in cents, as a whole number: predicted_total = ..."])
    if predicted_total != croissants.amount:
        _fail(
            [
                f"You predicted {predicted_total} cents, and Clover's total differs. Tax is "
                "on the croissants only, and rounds to the nearest cent.",
                "8.25% of 1125 is 92.8125 cents, so 93; then 1125 + 93 + 500.",
            ]
        )
    print(
        "✅ $11.25 of croissants, $0.93 of tax (8.25% of 11.25, rounded), $5.00 shipping: "
        "$17.18, as you predicted."
    )


# -- 12: Hosted Checkout ---------------------------------------------------------------------


@_exercise
def check_cancel_prediction(
    predicted_events: object, canceled: Any, bagels: Any, receiver: Any
) -> None:
    """12's exercise: predict the webhooks of a canceled session, then cancel one."""
    if (
        isinstance(predicted_events, numbers.Real)
        and not isinstance(predicted_events, bool)
        and float(predicted_events).is_integer()
    ):
        predicted_events = int(float(predicted_events))  # 0.0 is a fine way to write none
    if not is_whole_number(predicted_events):
        _fail(["Write your prediction as a number: predicted_events = ..."])
    if getattr(canceled, "redirect", None) != "https://pinewood.example/cart":
        _fail(
            [
                "Where does Clover's page send a shopper who presses Cancel? Your session "
                "must say so.",
                "create_checkout_session([...], customer=shopper, "
                "cancel_url='https://pinewood.example/cart'), "
                "then pay_on_checkout_page(session.href, button='cancel').",
            ]
        )
    mine = [event for event in receiver.events if event.data == bagels.checkoutSessionId]
    if mine:
        _fail(["A webhook came for this session: was a card charged? Make a new session."])
    if predicted_events != 0:
        _fail(
            [
                f"You predicted {predicted_events}, and none came. A webhook reports a "
                "payment's result: did a payment happen here?",
                "Nothing was paid, so nothing is reported: predicted_events = 0.",
            ]
        )
    print("✅ Canceled: back to the cart, no payment, so no webhook, as you predicted.")


# -- 13: what the helpers hide -----------------------------------------------------------------


@_exercise
def check_recovered_attempt(
    local: Any, clover: Any, db: Any, order_id: str, key_choice: object, predicted_charges: object
) -> None:
    """13's exercise: reason about the key a crash recovery sends, predict the charges, then
    recover. Reads the learner's ``payment_attempts`` table, the sandbox's request log for
    the saved key, and the order's charges."""
    if key_choice not in ("saved", "new"):
        _fail(['Choose the key recovery sends: key_choice = "saved" or key_choice = "new".'])
    if not is_whole_number(predicted_charges):
        _fail(["Write your prediction as a number: predicted_charges = ..."])
    if key_choice != "saved":
        _fail(
            [
                "The first attempt may have charged the card. With a new key, how would Clover "
                "know the recovery is the same payment?",
                "Only the saved key (and the saved request) lets Clover answer the first "
                'outcome instead of charging again: key_choice = "saved".',
            ]
        )
    row = db.execute(
        "SELECT idempotency_key, status, charge_id FROM payment_attempts WHERE order_id = ?",
        (order_id,),
    ).fetchone()
    if row is None:
        _fail(["The crashed attempt is not in payment_attempts: run the cell before yours."])
    key, status, charge_id = row
    if status == "failed":
        _fail(
            [
                "Clover refused the recovery: was it sent with a new key, or a new body? To "
                "Clover that is another payment, and the card token was already spent by the "
                "first attempt (token_already_used).",
                "Send what the database holds: pay(order_id) reads the saved key and request.",
            ]
        )
    if status != "paid" or not charge_id:
        _fail(
            [
                f"The attempt is still {status!r}: recover() must send again every attempt "
                "whose status is 'sending', then save what Clover answered.",
                "Select the order_id of each row WHERE status = 'sending' and call "
                "pay(order_id): start_attempt gives back its saved key and request.",
            ]
        )
    seen = local.requests(path="/v1/charges", limit=5000)
    mine = seen[seen["idempotency_key"] == key]
    charged = int((~mine["replayed"].astype(bool)).sum())
    charges = sum(c.get("description") == order_id for c in clover.iter_charges())
    if len(mine) < 2 or charges != 1 or charged != 1:
        _fail(
            [
                f"The log shows {len(mine)} requests with the saved key and {charges} charges "
                "for the order: recovery must send the saved request with the saved key.",
            ]
        )
    if predicted_charges != charges:
        _fail(
            [
                f"You predicted {predicted_charges} charges. The crashed attempt reached Clover "
                "and charged the card; what does the same key get the second time?",
                "The recovery was answered from the stored first answer (replayed): one "
                "charge, predicted_charges = 1.",
            ]
        )
    print(
        f"✅ {len(mine)} requests with the saved key, one charge, the second a replay: the "
        "saved key made the recovery safe, as you reasoned."
    )


# -- 19: build the shop ------------------------------------------------------------------

_WHY_WORDS = ("twice", "two", "second", "again", "already", "exist", "double", "duplicate")


@_exercise
def check_lost_answer(
    predicted_charges: object,
    same_key: object,
    why: object,
    attempts: Sequence[Mapping[str, Any]],
    charges: Sequence[Any],
) -> None:
    """18's exercise: predict what three presses of Pay after a lost answer charge, and
    why the shop resends the first request instead of making a new one. ``attempts`` are
    the shop's attempt rows for the order, ``charges`` Clover's charges for it."""
    if not is_whole_number(predicted_charges):
        _fail(["Write your prediction as a number: predicted_charges = ..."])
    if not isinstance(same_key, bool):
        _fail(["same_key is True or False: will the later presses reuse the first key?"])
    if not isinstance(why, str) or len(why.split()) < 6:
        _fail(["Say why in a sentence of your own: why = '...' (six words or more)."])
    if not attempts or not charges:
        _fail(
            [
                "The shop holds no paid attempt for lost_order yet: buy, switch the fault on, "
                "and press Pay three times.",
                "lost_order = buy(new_browser()); controls.fault('drop', path='/v1/charges', "
                "method='POST', count=1); then pay(...) three times with retries off.",
            ]
        )
    keys = {str(attempt.get("idempotency_key")) for attempt in attempts}
    if predicted_charges != len(charges):
        _fail(
            [
                f"You predicted {predicted_charges} charge(s); Clover holds {len(charges)}. "
                "What does Clover do with a request whose idempotency key it has seen?",
                "It answers with the first charge and makes no new one: predicted_charges = 1.",
            ]
        )
    if same_key is not (len(keys) == 1):
        _fail(
            [
                f"The shop sent {len(keys)} different key(s) for this order. Look at Step 4: "
                "what does an `unknown` attempt keep for the next press?",
                "Its key and its token, so the next press is the same request: same_key = True.",
            ]
        )
    if not any(word in why.lower() for word in _WHY_WORDS):
        _fail(
            [
                "Your reason does not say what a new key would risk. After a lost answer, "
                "does the shop know whether the card was charged?",
                "It does not: the charge may exist already, and a new key is a new charge, "
                "so the card could be charged twice.",
            ]
        )
    print(
        f"✅ One charge on Clover after three presses, all under one key: a lost answer is "
        f"resent, never replaced. ({len(attempts)} attempt row(s) in the shop.)"
    )


# -- 20: going live ----------------------------------------------------------------------


@_exercise
def check_going_live(answers: object, why: object) -> None:
    """19's exercise: three launch situations reasoned out, and what a wrong first one shows."""
    if not isinstance(answers, Mapping) or set(answers) != {
        "permissions",
        "key_in_page",
        "webhook_url",
    }:
        _fail(["answers is a dict with the keys 'permissions', 'key_in_page' and 'webhook_url'."])
    assert isinstance(answers, Mapping)
    if answers["permissions"] is not False:
        _fail(
            [
                "permissions: when does a merchant approve what your app asks for? At install.",
                "A changed permission takes effect only after the merchant uninstalls and "
                "reinstalls the app: 'permissions': False.",
            ]
        )
    if answers["key_in_page"] != "api_access_key":
        _fail(
            [
                "key_in_page: anything in the page's HTML is public. Which key was made to be?",
                "The public apiAccessKey (PAKMS key) only tokenizes cards: 'api_access_key'.",
            ]
        )
    if answers["webhook_url"] != "tunnel":
        _fail(
            [
                "webhook_url: Clover's servers send the webhook. What is localhost to them?",
                "Their own machine: use a public HTTPS tunnel in development: 'tunnel'.",
            ]
        )
    words = str(why).lower()
    if not isinstance(why, str) or len(why.split()) < 6:
        _fail(["Say what the shop would see, in a sentence of your own (six words or more)."])
    if not any(w in words for w in ("reinstall", "refus", "denied", "401", "403", "fail", "error")):
        _fail(
            [
                "What happens to a call that needs a permission the install does not have?",
                "Clover refuses it (an error, 401 or 403) until the merchant reinstalls the app.",
            ]
        )
    print(
        "✅ Permissions come with the install, only the public key is public, and Clover "
        "delivers only to a URL it can reach."
    )


# -- 16: 3-D Secure ------------------------------------------------------------------------


@_exercise
def check_threeds_confirmation(confirmed: Any, trust_browser: object) -> None:
    """16's exercise: run a challenge, finalize it from the server, and say whose word counts
    (https://docs.clover.com/docs/3ds-secure-configure-sdk)."""
    threeds = getattr(confirmed, "threeds", None)
    result = getattr(threeds, "authentication_result", None) if threeds is not None else None
    if getattr(confirmed, "status", None) == "pending":
        _fail(
            [
                "This charge still waits for 3-D Secure: answer the challenge, then finalize.",
                "confirmed = clover.finalize_payment(waiting.id, status)",
            ]
        )
    source = getattr(confirmed, "source", None)
    if (
        result is None
        or getattr(result, "transaction_id", None) is None
        or (getattr(source, "last4", None) != "9424")
    ):
        _fail(
            [
                "confirmed must be the answer of finalize_payment for a charge of Clover's "
                "challenge test card 6011 0009 9013 9424 at 66.77.",
                "waiting = clover.create_charge(6677, token, threeds=...); "
                "status = shopper_answers(waiting, '1234'); "
                "confirmed = clover.finalize_payment(waiting.id, status)",
            ]
        )
    protection = getattr(threeds, "liability_protection_status", None)
    if confirmed.status != "succeeded" or protection != "PROTECTED":
        _fail(
            [
                "The shopper did not pass: with the right code the charge succeeds and is "
                "protected.",
                "The local issuer's challenge page takes the code 1234.",
            ]
        )
    if trust_browser is not False:
        _fail(
            [
                "Who sent the executePatch event? Anyone can run JavaScript in their own browser.",
                "trust_browser = False: ship only on what finalize_payment answers your server.",
            ]
        )
    print(
        "✅ Authenticated and paid, as finalize_payment told your server: the browser's "
        "event only said when to ask."
    )


# -- 17: gift cards and ACH -----------------------------------------------------------------


@_exercise
def check_split_tender(order: Any, gift_paid: object, card_paid: object) -> None:
    """17's exercise: a $40.00 order, a $15.00 gift card first, a card for the rest."""
    if getattr(order, "status", None) != "paid" or getattr(order, "amount", None) != 4000:
        _fail(
            [
                "order must be a $40.00 order, paid in full: read it back after both payments.",
                "order = clover.create_order([sku('Atlas', 4000)]); pay it with the gift card "
                "token, then with a card token; order = clover.get_order(order.id)",
            ]
        )
    if not (is_whole_number(gift_paid) and is_whole_number(card_paid)):
        _fail(["Write what each source paid in cents: gift_paid = ..., card_paid = ..."])
    if (gift_paid, card_paid) != (1500, 2500):
        _fail(
            [
                f"You say the gift card paid {gift_paid} and the card {card_paid}. What was "
                "left on the gift card?",
                "The gift card held $15.00: Clover takes all it holds, not declining for the "
                "rest (docs.clover.com/docs/gift-card-api): it paid 1500, the card 2500.",
            ]
        )
    print(
        "✅ $15.00 from the gift card (all it held: Clover redeems the balance, it does not "
        "decline), $25.00 from the card: $40.00, paid."
    )


# -- 18: wallets ----------------------------------------------------------------------------

_WALLET_CARTS = (
    [("Mug", 1250, 2), ("Teapot", 3100, 1)],
    [("Kettle", 4599, 1), ("Loose tea", 899, 3)],
)


@_exercise
def check_wallet_charge(charge_wallet: Callable[[Any, Any], Any], clover: Any) -> None:
    """18's exercise: ``charge_wallet(token, cart)`` handed a wallet token whose page showed
    $1.00, for two carts; it must charge what each cart costs (the server's price, not the
    page's: https://docs.clover.com/reference/createcharge)."""
    if not callable(charge_wallet):
        _fail(["Define charge_wallet(token, cart) with def, returning the charge it made."])
    for cart in _WALLET_CARTS:
        edited = {"total": {"label": "Pinewood order", "amount": 100}}
        token = clover.create_sandbox_wallet_token(edited)
        charge = charge_wallet(token, cart)
        due = sum(cents * quantity for _name, cents, quantity in cart)
        taken = getattr(charge, "amount", None)
        if getattr(charge, "status", None) != "succeeded":
            _fail(
                [
                    "charge_wallet must return the charge: what does clover.create_charge answer?",
                    "return clover.create_charge(total, token)",
                ]
            )
        if taken != due:
            _fail(
                [
                    f"For a cart of {cart}, your charge took {taken} cents. Who wrote the "
                    "$1.00 the wallet showed, and where did that code run?",
                    "The page and its paymentReqData are in the shopper's hands: your server "
                    "prices the cart itself, unit cents times quantity for each line.",
                    f"total = sum(cents * quantity for _name, cents, quantity in cart) "
                    f"({due} here), then clover.create_charge(total, token).",
                ]
            )
    print(
        "✅ Each wallet token charged for the cart's price as your server computes it: the "
        "$1.00 the edited page showed the wallet never reached Clover."
    )


# -- 14: subscriptions -------------------------------------------------------------------------


@_exercise
def check_dunning_prediction(
    invoices: Any, subscription: Any, predicted_attempts: object, predicted_active: object
) -> None:
    """14's exercise: Carol's fortnightly plan, her card declining after two payments, and
    the charge attempts and the subscription's state predicted before the clock moved."""
    attempts = sum(int(i["attempts"]) for i in invoices)
    if predicted_attempts != attempts:
        _fail(
            [
                "Count the invoices first: in 8 weeks from her start date, how many fortnightly "
                "periods begin (the start date counts)? Which of them are paid at once?",
                "Two are paid with one attempt each. The third declines: how many attempts does "
                "Clover make at one invoice before giving up, and do later periods still bill?",
                f"2 paid invoices + 5 attempts at the declined one = {attempts}; a deactivated "
                "subscription makes no more invoices.",
            ]
        )
    if predicted_active is not False or subscription["active"] is not False:
        _fail(
            [
                "After the fifth failed attempt at one invoice, what does Clover do with the "
                "subscription?",
                "It deactivates it: predicted_active = False.",
            ]
        )
    print(f"✅ {attempts} attempts, and the subscription was deactivated after the fifth failure.")


# -- 15: app webhooks --------------------------------------------------------------------------


@_exercise
def check_renewal_updates(updates: Any) -> None:
    """15's exercise: the updates a new monthly subscription sends over two months. Clover's
    webhook page (https://docs.clover.com/docs/webhooks) has no key for a subscription, so
    none is expected: a renewal is heard of as the payment it makes."""
    seen = sorted((u.kind, u.type) for u in updates)
    if any(kind not in ("payment", "order", "customer") for kind, _ in seen):
        _fail(
            [
                "Which keys does Clover's webhook page list? Is there one for a subscription?",
                "Only P: payments, O: orders and C: customers come from this; keep only the "
                "updates your receiver handled after you subscribed.",
            ]
        )
    payments = [kind for kind, kind_type in seen if (kind, kind_type) == ("payment", "CREATE")]
    if len(payments) != 2:
        _fail(
            [
                "Two months from now: how many periods of a monthly plan start (tomorrow counts)?",
                "Each renewal is a payment Clover makes: two P:<id> CREATE updates.",
            ]
        )
    print(
        "✅ One payment CREATE per renewal (each with its order), and nothing for the "
        "subscription itself: Clover has no key for it. Fetch each payment to see it."
    )
