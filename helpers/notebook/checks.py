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
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NoReturn, ParamSpec, TypeGuard

__all__ = [
    "CheckFailed",
    "check",
    "check_authorization",
    "check_book_charge",
    "check_cancel_prediction",
    "check_card_replacement",
    "check_declined_after_gift_card",
    "check_encrypted_token",
    "check_failed_challenge",
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
    "check_wallet_charge",
    "check_webhook_dedupe",
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
def check_harbor_install(spa: Any, harbor_token: Any, harbor: str) -> None:
    """03's exercise: the broken install fixed, on the low-trust app; Harbor's token works for
    Harbor. A token from the high-trust app is Harbor's too, but not the install asked for."""
    if getattr(harbor_token, "merchant_id", None) != harbor:
        _fail(
            [
                "exchange() checks that the callback answers the authorization you pass it "
                "(its state, and its merchant). Which authorization did the callback answer?",
                "Approve and exchange with the same authorization: "
                "spa.exchange(spa.approve_locally(harbor_asked), harbor_asked).",
            ]
        )
    if spa.store.token(harbor) is None:
        _fail(
            [
                "This token is Harbor's, but Harbor has not approved `spa` (the low-trust app, "
                "with PKCE): it came from another app. Install Harbor on spa.",
                "harbor_asked = spa.authorize(merchant_id=HARBOR), then "
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
    tokenized = getattr(amex_token, "card", None)
    if (getattr(tokenized, "brand", None), getattr(tokenized, "last4", None)) != (
        "AMEX",
        expected_last4,
    ):
        _fail(
            [
                "The token should be of the Amex card that approves with an AVS match: the "
                "test-card table of Step 3 lists it.",
                "test_card('approve_avs', brand='AMEX').card(address_zip='94107')",
            ]
        )
    if "encrypted_pan" not in card:
        _fail(
            [
                "The last request sent the number in clear: encrypt it before it leaves.",
                "pinewood.create_token({'card': card_key.encrypted_card(the_card)})",
            ]
        )
    if card.get("address_zip") != "94107":
        _fail(
            [
                "The card went without the shopper's postal code 94107: an AVS match compares "
                "the postal code sent with the card's, so the card must carry it.",
                "A Card's postal code is its address_zip: "
                "test_card('approve_avs', brand='AMEX').card(address_zip='94107')",
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
                f"You predicted {predicted_attempts} attempt(s) and {predicted_charges} charge(s); "
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
def check_card_replacement(clover: Any, bob: Any, old_card: str, second_card_charge: Any) -> None:
    """10's exercise: Bob's new card, first used as FIRST, saved, and the old one revoked."""
    credentials = second_card_charge.get("stored_credentials") or {}
    if second_card_charge.amount != 1200 or second_card_charge.source.brand != "AMEX":
        _fail(["The charge is $12.00 (1200 cents) on the new American Express card."])
    if second_card_charge.get("warning_message") or credentials.get("sequence") != "FIRST":
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

_WHY_LOST = {
    "a": "Does Clover know that two requests are for the same order? What, in a request, "
    "tells Clover that it is the same one as before?",
    "c": "What does Clover do with a key it has not seen? A key holds no money: it only "
    "names a request.",
    "d": "How long is a key remembered? The local sandbox keeps one for 24 hours (lessons 07 "
    "and 08): far longer than three presses of Pay.",
}


@_exercise
def check_lost_answer(
    predicted_charges: object,
    same_key: object,
    why: object,
    attempts: Sequence[Mapping[str, Any]],
    charges: Sequence[Any],
    requests: Sequence[Mapping[str, Any]],
) -> None:
    """19's exercise: predict what three presses of Pay after a lost answer charge, and
    why the shop resends the first request instead of making a new one (a letter).
    ``attempts`` are the shop's attempt rows for the order, ``charges`` Clover's charges for
    it, ``requests`` the sandbox's request log (``controls.request_log("/v1/charges")``): the
    proof that an answer was really lost (three presses with no fault also end in one
    charge under one key)."""
    if not is_whole_number(predicted_charges):
        _fail(["Write your prediction as a number: predicted_charges = ..."])
    if not isinstance(same_key, bool):
        _fail(["same_key is True or False: will the later presses reuse the first key?"])
    if why not in ("a", "b", "c", "d"):
        _fail(['why is one letter: "a", "b", "c" or "d".'])
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
    sent = [
        row
        for row in requests
        if row.get("method") == "POST"
        and row.get("path") == "/v1/charges"
        and str(row.get("idempotency_key")) in keys
    ]
    lost = any(row.get("result") == "connection dropped" for row in sent)
    if not lost or not any(row.get("replayed") for row in sent):
        _fail(
            [
                "The sandbox's log shows no lost answer for this order's charge: was the "
                "`drop` fault on before the first press, and the client's retries off?",
                "controls.fault('drop', path='/v1/charges', method='POST', count=1) and "
                "clover.retries = replace(retries, max_retries=0), then the three presses.",
            ]
        )
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
    if why != "b":
        _fail([_WHY_LOST[str(why)]])
    print(
        f"✅ One charge on Clover after three presses, all under one key: a lost answer is "
        f"resent, never replaced. ({len(attempts)} attempt row(s) in the shop.)"
    )


# -- 20: going live ----------------------------------------------------------------------

_MONDAY_ALERTS = frozenset({"checkout.js", "chat.js"})
"""What ``changes(baseline, monday)`` names in 20's exercise: the shop's own script, other
bytes at its approved URL, and a script added to the page that the CSP does not list."""
_MONDAY_RUNS = frozenset({"sdk.js", "checkout.js"})
"""What a shopper's browser runs of Monday's page: each script whose URL the CSP lists."""

_FIRST_MOVE = {
    "a": "Clover's iframe keeps the card number from your page's scripts, but checkout.js runs "
    "on the page around it: it can draw card fields of its own over Clover's, or send the "
    "shopper elsewhere. That is why SAQ A asks an iframe merchant about the page's scripts.",
    "b": "The browser refuses chat.js today, and nothing says anyone reviewed it: listing its "
    "URL would authorise it. Which alerted script is running in shoppers' browsers right now?",
    "d": "checkout.js is the shop's own file and nobody deployed: what changed it? And what "
    "runs in every shopper's browser during the week you wait?",
}


def _script_names(value: object) -> set[str] | None:
    """Script names as a set, a list or a pandas index of strings, else None."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return None
    names = set(value)
    return names if all(isinstance(name, str) for name in names) else None


@_exercise
def check_going_live(alerted: object, runs: object, first: object) -> None:
    """20's exercise: Monday's weekly check of the payment page (Step 2) alerts on two
    scripts; which does a shopper's browser run, and what comes first? A CSP allows a script
    by its URL, never by its content. Clover's iframe page tells developers to remove
    cdn.polyfill.io (https://docs.clover.com/docs/using-the-clover-hosted-iframe): in 2024
    that URL, unchanged in every page that loaded it, began serving other code."""
    names = _script_names(alerted)
    if names is None:
        _fail(['alerted is a set of script names, as changes() names them: {"...", "..."}.'])
    assert names is not None
    if names != _MONDAY_ALERTS:
        hints = [
            "Run changes(baseline, monday): each line it returns is one alert and starts with "
            "the script's name. Which names are there?",
            "alerted = {line.split(':')[0] for line in changes(baseline, monday)}",
        ]
        if names == {"checkout.js"}:
            hints.insert(
                1,
                "changes() compares every script of either table. A script nobody approved has "
                "no approved hash at all: is that a change?",
            )
        _fail(hints)
    running = _script_names(runs)
    if running is None:
        _fail(['runs is a set of script names, as monday.index names them: {"...", "..."}.'])
    assert running is not None
    if "chat.js" in running:
        _fail(
            [
                "chat.js is on Monday's page, but read its 'in CSP' column. What does a browser "
                "do with a script that the page's script-src does not list?",
                "It refuses it: the CSP lists each script by its full URL, so chat.js never runs. "
                "(It still matters: someone changed the page.) Take chat.js out of runs.",
            ]
        )
    if "checkout.js" not in running:
        _fail(
            [
                "checkout.js changed, but what does the CSP list for it: its content, or its "
                "URL? Is Monday's checkout.js still at the URL the CSP allows?",
                "The CSP pins the URL, not the content: the changed checkout.js runs in every "
                "shopper's browser. Put it in runs.",
            ]
        )
    if "sdk.js" not in running:
        _fail(["sdk.js raised no alert: is it still on the page and in the CSP? Then it runs."])
    if running != _MONDAY_RUNS:
        _fail(["runs names scripts of Monday's page: monday.index lists them."])
    if first not in ("a", "b", "c", "d"):
        _fail(['first is one letter: "a", "b", "c" or "d".'])
    if first != "c":
        _fail([_FIRST_MOVE[str(first)]])
    print(
        "✅ Two alerts, and the one that runs is the one the CSP cannot stop: checkout.js kept "
        "its URL, so the browser ran whatever it served, while chat.js was refused. Put the "
        "reviewed file back, then find out how it changed. (Clover's iframe page tells you to "
        "remove cdn.polyfill.io, a URL that began serving other code in 2024: "
        "https://docs.clover.com/docs/using-the-clover-hosted-iframe)"
    )


# -- 16: 3-D Secure ------------------------------------------------------------------------


_TELL_ADA = {
    "b": "Did anything cancel the order? Read it with clover.get_order after the failed "
    "finalize: its status and amount_paid.",
    "c": "Is anything still waiting once finalize_payment has answered a decline? Read the "
    "charge's status.",
    "d": "Read err.decline_code: was this about money on the card, or about who the shopper "
    "is? Name no reason the bank did not give.",
}


@_exercise
def check_failed_challenge(order: Any, order_open: object, tell_ada: object, clover: Any) -> None:
    """16's exercise: an order paid with the challenge card, the shopper's Cancel, the
    server's finalize (a decline), then the same order paid with another card
    (https://docs.clover.com/docs/3ds-secure-configure-sdk)."""
    order_id = getattr(order, "id", None)
    if getattr(order, "status", None) != "paid" or getattr(order, "amount", None) != 6677:
        _fail(
            [
                "order must be Ada's $66.77 order, paid in the end: read it back with "
                "clover.get_order after the card that works.",
                "pay_order with the challenge card and threeds; shopper_answers(waiting) with no "
                "code (Cancel); finalize_payment (catch the CardError); then pay_order the same "
                "order with Ada's Visa and threeds; order = clover.get_order(order.id)",
            ]
        )
    charges = [c for c in clover.list_charges(limit=100).data if c.get("order") == order_id]
    failed = [
        c
        for c in charges
        if c.status == "failed" and (c.get("threeds") or {}).get("validation_result")
    ]
    if not failed:
        _fail(
            [
                "This order has no payment that failed 3-D Secure: pay it first with the "
                "challenge card 6011 0009 9013 9424 and threeds, let the shopper Cancel, and "
                "finalize from your server.",
            ]
        )
    if not is_truth_value(order_open):
        _fail(["order_open is True or False: could the same order still be paid?"])
    if not order_open:
        _fail(
            [
                "Read the order just after the failed finalize: what are its status and "
                "amount_paid? Did the failed charge pay anything, or close the order?",
                "It stays `created` with amount_paid 0: the same order takes another payment, "
                "as yours did. order_open = True.",
            ]
        )
    if tell_ada not in ("a", "b", "c", "d"):
        _fail(['tell_ada is one letter: "a", "b", "c" or "d".'])
    if tell_ada != "a":
        _fail([_TELL_ADA[str(tell_ada)]])
    print(
        "✅ The bank did not vouch for Ada, so nothing was taken and the order stayed open: "
        "she paid it with another card, and your page told her just that."
    )


# -- 17: gift cards and ACH -----------------------------------------------------------------


_TELL_LEE = {
    "a": "Was nothing charged? Read the order's amount_paid after the decline: the gift card's "
    "payment is still on it.",
    "c": "Did any call give the $15.00 back to the gift card? A declined card undoes nothing "
    "that was paid before it.",
    "d": "Will the declined card be charged later? A decline is final for that charge: nothing "
    "is still coming from that card.",
}


@_exercise
def check_declined_after_gift_card(
    order: Any, still_due: object, tell_lee: object, clover: Any
) -> None:
    """17's exercise: a $40.00 order, a $15.00 gift card paid, then a card declined, then a
    card approved. A failed payment adds nothing to the order's ``amount_paid``, and what was
    paid stays (docs: gift-card-api, https://docs.clover.com/docs/gift-card-api)."""
    order_id = getattr(order, "id", None)
    if getattr(order, "status", None) != "paid" or getattr(order, "amount", None) != 4000:
        _fail(
            [
                "order must be a $40.00 order, paid in full in the end: read it back with "
                "clover.get_order after the card that works.",
                "Pay it with the gift card token, then try the declining card (catch the "
                "CardError), then pay it with test_card(); order = clover.get_order(order.id)",
            ]
        )
    charges = [c for c in clover.list_charges(limit=100).data if c.get("order") == order_id]
    gift = [c for c in charges if c.status == "succeeded" and c.source.brand == "GIFT_CARD"]
    failed = [c for c in charges if c.status == "failed"]
    if [c.amount for c in gift] != [1500] or not failed:
        _fail(
            [
                "This order's charges should be a $15.00 gift card payment, a failed card "
                "payment and an approved one: make a new $15.00 gift card with new_gift_card, "
                "and pay the same order with the declining card before the one that works.",
            ]
        )
    if not is_whole_number(still_due):
        _fail(["Write still_due in cents, a whole number: still_due = ..."])
    if still_due != 4000 - 1500:
        _fail(
            [
                f"You said {still_due} cents were still due after the decline. What did the "
                "order's amount_paid say after the gift card, and did the decline change it?",
                "A failed payment adds nothing, and the gift card's 1500 stays paid: "
                "4000 - 1500 = 2500 still due.",
            ]
        )
    if tell_lee not in ("a", "b", "c", "d"):
        _fail(['tell_lee is one letter: "a", "b", "c" or "d".'])
    if tell_lee != "b":
        _fail([_TELL_LEE[str(tell_lee)]])
    print(
        "✅ The decline added nothing and took nothing back: the order kept the gift card's "
        "$15.00 and waited for $25.00 from another card. Tell Lee exactly that."
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
        if taken == edited["total"]["amount"]:
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
        if taken != due:
            # Not the page's total, so the hint about who wrote it would not fit: the
            # server's own pricing of the cart is what is off (a line's quantity, say).
            _fail(
                [
                    f"For a cart of {cart}, your charge took {taken} cents, not what that "
                    "cart costs. What does each line cost, counting its quantity?",
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


def _webhook_stream() -> list[Any]:
    """Messages as an app's URL receives them: an order made and paid (one message), the
    same order updated twice later, a customer made and changed within one millisecond,
    and a copy of the first message (a retried delivery)."""
    from ..clover.app_webhooks import AppWebhookMessage

    def message(*entries: tuple[str, str, int]) -> Any:
        listed = [{"objectId": o, "type": t, "ts": ts} for o, t, ts in entries]
        return AppWebhookMessage({"appId": "KTAPPDEM0A1B2", "merchants": {"PNWDC0FFEE001": listed}})

    first = message(("O:ORDER0000001", "CREATE", 1000), ("P:PAYMENT00001", "CREATE", 1000))
    return [
        first,
        message(("O:ORDER0000001", "UPDATE", 2000)),
        message(("O:ORDER0000001", "UPDATE", 3000)),
        message(("C:CUSTOMER0001", "CREATE", 4000), ("C:CUSTOMER0001", "UPDATE", 4000)),
        first,
    ]


@_exercise
def check_webhook_dedupe(fresh_updates: Callable[[Any], Any]) -> None:
    """15's exercise: ``fresh_updates(messages)`` keeps each update once, as a retried
    delivery repeats them, and drops no change that is new
    (https://docs.clover.com/docs/webhooks)."""
    if not callable(fresh_updates):
        _fail(["Define fresh_updates(messages) with def, returning the updates to handle."])
    got = list(fresh_updates(_webhook_stream()) or [])
    seen = [(u.object_id, u.type, u.ts) for u in got if hasattr(u, "object_id")]
    wanted = [
        ("O:ORDER0000001", "CREATE", 1000),
        ("P:PAYMENT00001", "CREATE", 1000),
        ("O:ORDER0000001", "UPDATE", 2000),
        ("O:ORDER0000001", "UPDATE", 3000),
        ("C:CUSTOMER0001", "CREATE", 4000),
        ("C:CUSTOMER0001", "UPDATE", 4000),
    ]
    if len(seen) != len(got):
        _fail(["Return the Update objects of message.updates(), not something made from them."])
    if len(seen) > len(wanted):
        _fail(
            [
                f"Your function handed back {len(seen)} updates from 5 messages, one of them a "
                "copy of the first. What tells you that you have handled an update already?",
                "Keep a set of the updates you have handled, and skip one that is in it.",
            ]
        )
    if len(seen) < len(wanted):
        _fail(
            [
                f"Your function handed back {len(seen)} updates: it dropped a change that was "
                "new. Can the same order change twice? What tells two of its updates apart?",
                "One update is its merchant, object_id, type and ts together: key on all four.",
            ]
        )
    if seen != wanted:
        _fail(["Hand the updates back in the order they arrived, oldest first."])
    print(
        "✅ Six changes handled once each: the retried copy added nothing, the order's second "
        "UPDATE was not mistaken for its first, nor the customer's UPDATE for its CREATE."
    )
