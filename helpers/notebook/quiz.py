"""A short quiz at the end of each lesson: questions that ask why, checked here.

The answers and their explanations live in this module, never in a notebook, so a lesson
shows only the questions (also on GitHub, in its stored output). A learner answers with the
buttons of the form (in Jupyter) or in code, which also runs headless::

    quiz("06")                                 # the questions, and a form to answer them
    quiz("06").answer(q1="b", q2="a", q3="c")  # checks each letter and says why

A right answer shows why it is right, and where that comes from: the Clover page that says
so, or the kit's own choice (docs/choices.md); a wrong one gets the idea to think about, not
the letter, so the learner can try again. The sources are data, in ``quiz_sources.toml``
beside this module, one per question; tests/test_sources.py checks every one.
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

__all__ = ["QUIZZES", "Question", "Quiz", "quiz"]


@dataclass(frozen=True)
class Question:
    """One multiple-choice question; ``answer`` is a letter of ``choices``."""

    text: str
    choices: tuple[str, ...]
    answer: str
    why: str
    nudge: str
    source: str = ""
    """A Clover page's URL, ``choices.md#heading`` (the kit's choice) or a standard's URL."""

    def cited(self) -> str:
        """The reason with where it comes from, as a learner reads it after a right answer."""
        if not self.source:
            return self.why
        if self.source.startswith("choices.md"):
            return f"{self.why} (The kit's choice: docs/{self.source}.)"
        return f"{self.why} (Source: {self.source})"

    def letters(self) -> list[str]:
        return [chr(ord("a") + n) for n in range(len(self.choices))]


_ANSWERED: dict[str, dict[str, object]] = {}
"""Each lesson's letters answered so far in this kernel."""


@dataclass(frozen=True)
class Quiz:
    """A lesson's questions; shown without their answers, checked by :meth:`answer`."""

    lesson: str
    title: str
    questions: tuple[Question, ...]

    def names(self) -> list[str]:
        return [f"q{n}" for n in range(1, len(self.questions) + 1)]

    def _call_example(self) -> str:
        letters = ", ".join(f'{name}="…"' for name in self.names())
        return f'quiz("{self.lesson}").answer({letters})'

    def _repr_markdown_(self) -> str:
        lines = [f"**Quiz {self.lesson}: {self.title}** ({len(self.questions)} questions)", ""]
        for name, question in zip(self.names(), self.questions, strict=True):
            lines.append(f"**{name}.** {question.text}")
            lines.append("")
            lines += [
                f"- ({letter}) {choice}"
                for letter, choice in zip(question.letters(), question.choices, strict=True)
            ]
            lines.append("")
        lines.append(f"Answer with the form below, or in code: `{self._call_example()}`")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        def inline(text: str) -> str:
            return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))

        parts = [
            f"<p><b>Quiz {self.lesson}: {inline(self.title)}</b> "
            f"({len(self.questions)} questions)</p>"
        ]
        for name, question in zip(self.names(), self.questions, strict=True):
            choices = "".join(
                f"<li>({letter}) {inline(choice)}</li>"
                for letter, choice in zip(question.letters(), question.choices, strict=True)
            )
            parts.append(f"<p><b>{name}.</b> {inline(question.text)}</p><ul>{choices}</ul>")
        example = html.escape(self._call_example())
        parts.append(f"<p>Answer with the form below, or in code: <code>{example}</code></p>")
        return "\n".join(parts)

    def __repr__(self) -> str:
        lines = [f"Quiz {self.lesson}: {self.title} ({len(self.questions)} questions)", ""]
        for name, question in zip(self.names(), self.questions, strict=True):
            lines.append(f"{name}. {question.text}")
            lines += [
                f"   ({letter}) {choice}"
                for letter, choice in zip(question.letters(), question.choices, strict=True)
            ]
            lines.append("")
        lines.append(f"Answer with the form, or in code: {self._call_example()}")
        return "\n".join(lines)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        shown = {
            "text/html": self._repr_html_(),
            "text/markdown": self._repr_markdown_(),
            "text/plain": repr(self),
        }
        display(shown, raw=True)
        display(quiz_form(self))

    def grade(self, given: Mapping[str, object]) -> list[str]:
        """One line per question: ✅ and why, ❌ and what to think about, or not answered."""
        unknown = sorted(set(given) - set(self.names()))
        if unknown:
            raise ValueError(
                f"Quiz {self.lesson} has {', '.join(self.names())}; not {', '.join(unknown)}."
            )
        lines = []
        for name, question in zip(self.names(), self.questions, strict=True):
            raw = given.get(name)
            letter = "" if raw is None else str(raw).strip().strip("()").lower()
            if not letter:
                lines.append(f"… {name}: not answered yet.")
            elif letter not in question.letters():
                lines.append(f"❌ {name}: {raw!r} is not one of {', '.join(question.letters())}.")
            elif letter == question.answer:
                lines.append(f"✅ {name} ({letter}): {question.cited()}")
            else:
                lines.append(f"❌ {name} ({letter}): not this one. {question.nudge}")
        return lines

    def report(self, letters: Mapping[str, object]) -> str:
        """What :meth:`answer` prints for these letters."""
        if not any(value not in (None, "") for value in letters.values()):
            return f"Nothing answered yet: {self._call_example()}\n"
        lines = self.grade(letters)
        right = sum(line.startswith("✅") for line in lines)
        return "\n".join([*lines, f"{right} of {len(self.questions)} right."]) + "\n"

    def answer(self, **letters: object) -> None:
        """Check the letters given (``q1="b"``...) and print, for each, why or a nudge.

        Letters given before in this kernel are kept, so a second try may name only the
        questions it changes (a new user re-answering one question read "1 of 4 right")."""
        self.grade(letters)  # an unknown question is refused before anything is kept
        kept = _ANSWERED.setdefault(self.lesson, {})
        kept.update({name: value for name, value in letters.items() if value not in (None, "")})
        print(self.report(kept), end="")


def quiz_form(quiz: Quiz) -> Any:
    """Buttons for each question's letters and a Check button; the questions are above it.

    Widget state is not stored in the committed notebooks, so its text form says how to use
    it when the notebook is read without a kernel.
    """
    import ipywidgets as widgets

    class _Form(widgets.VBox):
        def __repr__(self) -> str:
            return (
                f"(Quiz {quiz.lesson}'s buttons show when this cell runs in Jupyter; without "
                f"them, answer in code: {quiz._call_example()})"
            )

    rows = {
        name: widgets.ToggleButtons(
            options=question.letters(),
            value=None,
            description=name,
            style={"button_width": "3em"},
        )
        for name, question in zip(quiz.names(), quiz.questions, strict=True)
    }
    button = widgets.Button(description="Check my answers", button_style="primary")
    out = widgets.Output()

    def on_click(_: object) -> None:
        out.outputs = ()
        out.append_stdout(quiz.report({name: row.value for name, row in rows.items()}))

    button.on_click(on_click)
    return _Form([*rows.values(), button, out])


def quiz(lesson: str | int) -> Quiz:
    """The quiz of a lesson: ``quiz("06")`` or ``quiz(6)``."""
    key = f"{int(lesson):02d}" if str(lesson).strip().isdigit() else str(lesson)
    if key not in QUIZZES:
        raise KeyError(f"No quiz for lesson {lesson!r}: there are {', '.join(QUIZZES)}.")
    return QUIZZES[key]


def _q(text: str, choices: list[str], answer: str, why: str, nudge: str) -> Question:
    return Question(text, tuple(choices), answer, why, nudge)


SOURCES_FILE = Path(__file__).with_name("quiz_sources.toml")


def _with_sources(quizzes: dict[str, Quiz]) -> dict[str, Quiz]:
    """Each question with its source from ``quiz_sources.toml`` (``["06"] q1 = "https://..."``)."""
    sources = tomllib.loads(SOURCES_FILE.read_text())
    return {
        lesson: replace(
            quiz,
            questions=tuple(
                replace(question, source=sources.get(lesson, {}).get(name, ""))
                for name, question in zip(quiz.names(), quiz.questions, strict=True)
            ),
        )
        for lesson, quiz in quizzes.items()
    }


QUIZZES: dict[str, Quiz] = {
    quiz.lesson: quiz
    for quiz in [
        Quiz(
            "01",
            "the iframe + API flow",
            (
                _q(
                    "A bug in your checkout page's JavaScript sends everything the page can "
                    "read to your analytics. The card was typed into Clover's fields. What "
                    "can the analytics hold?",
                    [
                        "The full card number: the fields are drawn inside your page, so "
                        "your scripts can read what is typed into them.",
                        "The token and the masked card summary, but never the number.",
                        "Nothing at all: the iframe hides the token and the card summary "
                        "from your page, and sends them to your server itself.",
                    ],
                    "b",
                    "Clover's fields are iframes from Clover's origin: your page's scripts "
                    "cannot read inside them. Only what createToken() hands back (the token "
                    "and a masked summary) reaches your page.",
                    "Which origin do the card fields come from, and what does a browser let "
                    "a page read of another origin's iframe? What does createToken() give "
                    "back?",
                ),
                _q(
                    "A decline test card tokenizes with a 200. Why does the tokenizer not "
                    "refuse it?",
                    [
                        "The local sandbox is lenient about decline cards; Clover's real "
                        "tokenizer would refuse them at once with card_declined.",
                        "Decline cards are refused at the token step only when the CVV is "
                        "wrong; with a good CVV the decline waits for the charge.",
                        "The tokenizer checks the card data's form; only the issuer, asked "
                        "at the charge, decides whether the account pays.",
                    ],
                    "c",
                    "Luhn, brand, expiry and CVV length are all fine on a decline card; "
                    "whether the account pays is the issuer's answer, and it is asked only "
                    "when a token is charged.",
                    "Who knows whether the card's account will pay: the tokenizer, or the "
                    "bank asked during the charge?",
                ),
                _q(
                    "A hotel checks a card at booking and takes the money at check-out, days "
                    "later. What does its server do at booking?",
                    [
                        "An authorization (capture=False), captured at check-out.",
                        "A sale at booking, because a capture days later needs the card "
                        "again; if the guest cancels, a refund gives the money back.",
                        "Only tokenize at booking and keep the clv_ token; charging it at "
                        "check-out takes exactly what the stay cost.",
                    ],
                    "a",
                    "An authorization holds the money without taking it, and the capture "
                    "takes what is due. A sale then a refund moves money twice; a clv_ token "
                    "is for one charge right away, not for keeping a card.",
                    "Which call holds money without taking it? A clv_ token is single use "
                    "and short-lived, and a refund moves money back after it was taken.",
                ),
                _q(
                    "Why does your server, and not the shopper's browser, send POST /v1/charges?",
                    [
                        "Browsers cannot reach Clover's Ecommerce API at all: cross-origin "
                        "rules stop them, so a server must relay the charge.",
                        "The charge needs the merchant's private key, which must never be in "
                        "a page; and the amount must come from your server, not the browser.",
                        "A clv_ token can only be charged from the IP address that created "
                        "it, and that is the server's, not the browser's.",
                    ],
                    "b",
                    "The Bearer of /v1/charges is the merchant's private key (or access "
                    "token): in a page anyone could read it and move money. Your server also "
                    "decides the amount; a browser could be made to send any amount.",
                    "Which credential does /v1/charges need, and who could read it if it "
                    "were in the page? Who should decide the amount?",
                ),
            ),
        ),
        Quiz(
            "02",
            "integration types",
            (
                _q(
                    "A shop moves from iframe + API to Hosted Checkout. What changes for its "
                    "server?",
                    [
                        "It must now tokenize the cards itself, because Hosted Checkout "
                        "gives it the card data instead of Clover's iframes.",
                        "Nothing changes on the server: both integrations end with your "
                        "server charging a clv_ token with POST /v1/charges.",
                        "It no longer charges tokens: it creates checkout sessions and "
                        "learns each result from a verified webhook.",
                    ],
                    "c",
                    "With Hosted Checkout the payment happens on Clover's page; your server "
                    "makes the session and must hear the outcome from the signed webhook.",
                    "On Hosted Checkout, who sends the charge? Then how does your server "
                    "learn that the shopper paid?",
                ),
                _q(
                    "A bookshop uses Clover's iframe fields (SAQ A). Why must the page that "
                    "embeds them still be protected from injected scripts?",
                    [
                        "An injected script could replace Clover's fields with a look-alike "
                        "form and collect card numbers.",
                        "When Pay is pressed, the iframe hands the card number to the page's "
                        "own script, which is why the page itself must be safe.",
                        "It need not be protected at all: the iframe fields make everything "
                        "on that page safe, since the card stays inside them.",
                    ],
                    "a",
                    "The iframe keeps the number from your page, but your page decides what "
                    "the shopper sees: a malicious script could show a fake form instead.",
                    "The fields are safe inside their iframe; what could a script on your "
                    "page do to what the shopper sees?",
                ),
                _q(
                    "Staff at a call centre key cards that callers read out, in the "
                    'company\'s own software. Why is each charge marked `ecomind: "moto"`?',
                    [
                        "Clover refuses `ecom` charges that come from a call centre's "
                        "network, so the software has to claim MOTO to get through.",
                        "The cardholder did not type the card: a merchant's staff keyed it, "
                        "so there is no 3-D Secure and no liability shift.",
                        "It lowers the processing fees, and a call centre takes many "
                        "payments, so marking each as MOTO is simply the cheaper choice.",
                    ],
                    "b",
                    "`ecom` says the shopper entered their own card; a mail or telephone "
                    "order is keyed by the merchant, and the networks treat it differently.",
                    "Who typed the card here: the cardholder, or the merchant's staff? What "
                    "does `ecomind` tell the networks?",
                ),
                _q(
                    "A native phone app wants its own card screen, with no web page. Which "
                    "type fits, and what comes with it?",
                    [
                        "iframe + API with SAQ A: the app can load sdk.js inside a web view, "
                        "so the card fields stay Clover's and the burden stays low.",
                        "The Virtual Terminal with nothing to build: the app sends its staff "
                        "to the merchant's dashboard to key each card.",
                        "API-only: no browser page can host Clover's fields, so the app "
                        "handles card data: SAQ D and PCI DSS certification.",
                    ],
                    "c",
                    "Clover's fields need a page in a browser; an app that draws its own "
                    "card screen holds the card data, and that is the API-only burden.",
                    "Where would Clover's iframes live in a native app? Who then holds the "
                    "card number?",
                ),
            ),
        ),
        Quiz(
            "03",
            "OAuth access tokens",
            (
                _q(
                    "Why must your server refuse a callback whose `state` is not the one it sent?",
                    [
                        "The state carries the merchant id, and without it your server could "
                        "not tell which merchant approved the app.",
                        "It proves the callback answers a request your app started, not a "
                        "link someone else's page made the merchant's browser follow.",
                        "Clover refuses to exchange a code that arrives without the state it "
                        "issued, so checking it yourself only saves a request.",
                    ],
                    "b",
                    "A random state stored by your server ties the callback to your own "
                    "authorize request; a forged callback cannot know it.",
                    "Who can make a browser land on your callback URL? What does only your "
                    "server know?",
                ),
                _q(
                    "Your app's token store is restored from yesterday's backup, and the app "
                    "refreshes a merchant's token. What happens?",
                    [
                        "It is refused: that refresh token was already used (each works "
                        "once), so the merchant must approve the app again.",
                        "It works: a refresh token lives much longer than a day, so a copy "
                        "from yesterday is still valid and returns a fresh pair.",
                        "Clover answers with the same pair it sent yesterday, since the same "
                        "refresh token always maps to the same grant.",
                    ],
                    "a",
                    "Each refresh returns a new pair and kills the old refresh token; the "
                    "backup holds a dead one.",
                    "How many times does one refresh token work? Which one does the backup hold?",
                ),
                _q(
                    "A single-page web app keeps the App Secret in its JavaScript. What is "
                    "wrong, and what is the fix?",
                    [
                        "Nothing is wrong: the page is served over HTTPS, so the secret is "
                        "encrypted on its way to every browser that loads it.",
                        "Obfuscate the JavaScript so that the secret cannot be spotted in "
                        "the code, and rotate it every month to limit the damage.",
                        "Anyone can read the secret out of the page; use PKCE, where only a "
                        "hash goes in the URL and the verifier stays with the app.",
                    ],
                    "c",
                    "A secret shipped to browsers is not a secret. PKCE replaces it with a "
                    "verifier made for each authorization, of which only the SHA-256 is "
                    "shown.",
                    "Who can read code that runs in a browser? What does PKCE send instead "
                    "of a secret?",
                ),
                _q(
                    "Why does the client refresh an access token shortly before it expires, "
                    "rather than after a 401?",
                    [
                        "Clover blocks a token for good after one refused request, so the "
                        "client must never let a request fail with 401.",
                        "A 401 in the middle of a payment would fail a shopper's request; "
                        "refreshing first means no request is sent with a dead token.",
                        "Refreshing is only allowed while the access token is still valid; "
                        "after it expires the merchant must approve the app again.",
                    ],
                    "b",
                    "The expiration is known in advance, so the client can act before it; "
                    "waiting for a 401 means a failed request, perhaps a charge, to redo.",
                    "What would the shopper's checkout meet if the token ran out between two "
                    "requests?",
                ),
            ),
        ),
        Quiz(
            "04",
            "the PAKMS key and card tokens",
            (
                _q(
                    "The `apiAccessKey` appears in the page's HTML for anyone to read. Why "
                    "is that not a leak?",
                    [
                        "It only makes tokens for that merchant; charging a token needs the "
                        "private key or access token, which stays on your server.",
                        "It expires after 15 minutes, like a checkout session, so whoever "
                        "copies it from the page cannot use it for long.",
                        "It is encrypted in the page with the merchant's RSA key, and only "
                        "Clover's tokenizer holds the key to decrypt it.",
                    ],
                    "a",
                    "The PAKMS key is public by design: it lets a page tokenize, nothing "
                    "more. Moving money needs the Bearer of /v1/charges.",
                    "What can someone do with the apikey alone? Which request moves money, "
                    "and what does it need?",
                ),
                _q(
                    "Your server encrypts the number (`encrypted_pan`) before calling "
                    "/v1/tokens. Which of your systems stay in PCI scope?",
                    [
                        "None of them: the number leaves your server only as ciphertext, so "
                        "your systems never transmit card data in clear.",
                        "Only the tokenizer's, since it is the only system that decrypts the "
                        "number; your server holds nothing it can read.",
                        "Every system that received the number in clear before it was "
                        "encrypted: your form's endpoint, your server, their logs.",
                    ],
                    "c",
                    "Encryption protects the number from the point of encryption on; your "
                    "server received it in clear first, so it handled card data (SAQ D).",
                    "Where was the number before your code encrypted it? Scope follows every "
                    "system that stores, processes or transmits it in clear.",
                ),
                _q(
                    "A number passes Luhn, its brand is known and its expiry is in the "
                    "future. Can its charge still be declined?",
                    [
                        "No: the issuer checks exactly those things, so a number that passes "
                        "them all will be approved when it is charged.",
                        "Yes: the checks catch typos; whether the account pays is the "
                        "issuer's answer at the charge.",
                        "Only if the CVV is wrong: the CVV is the one field the form checks "
                        "cannot verify, so it is the only way left to decline.",
                    ],
                    "b",
                    "The decline test cards pass every form check; the issuer declines them "
                    "when they are charged.",
                    "What does the Luhn check know about the account behind the number?",
                ),
                _q(
                    "Why does the journal mask card data when it records a request, rather "
                    "than only when it prints it?",
                    [
                        "Masking when recording is faster, because each entry is masked once "
                        "instead of every time the journal is printed.",
                        "Clover rejects requests from clients whose logs hold card numbers, "
                        "so the journal masks first to stay allowed.",
                        "A record, once kept, gets copied and exported; masked at the "
                        "source, the clear number never exists in any copy.",
                    ],
                    "c",
                    "Logs are where card data leaks most often; what is never written cannot "
                    "leak from a copy.",
                    "Where do logs go after they are written, and who reads them there?",
                ),
            ),
        ),
        Quiz(
            "05",
            "charging the token, API-only",
            (
                _q(
                    "In the API-only flow, which request of your server is the reason for SAQ D?",
                    [
                        "POST /v1/tokens, which carries the card data your app collected.",
                        "POST /v1/charges, because it moves the money, and moving money is "
                        "what the PCI standard is about.",
                        "GET /pakms/apikey, because the key it returns lets anyone who holds "
                        "it turn card numbers into tokens.",
                    ],
                    "a",
                    "The charge carries only the token; the tokenizer request carries the "
                    "card, so your server handled card data.",
                    "Which request body holds the card number: the token request or the charge?",
                ),
                _q(
                    "Why check the `merchantUuid` that GET /pakms/apikey answers before "
                    "filing a new access token under a merchant?",
                    [
                        "The PAKMS key changes with each new access token, so the app must "
                        "fetch it again and store it under the merchant anyway.",
                        "The callback's merchant_id came through the browser and could have "
                        "been changed; Clover's answer says whose token it really is.",
                        "OAuth requires the app to call GET /pakms/apikey before the first "
                        "charge, and the merchantUuid comes along with it.",
                    ],
                    "b",
                    "A token filed under the wrong merchant would send one merchant's "
                    "shoppers' money to another; Clover knows the token's merchant.",
                    "Which party could have changed the callback URL on its way? Who knows "
                    "the token's merchant for sure?",
                ),
                _q(
                    "Your own single shop (not an app for many merchants) wants its own card "
                    "form in a native app. Which credentials and which questionnaire?",
                    [
                        "OAuth access tokens, since the app is installed on the merchant's "
                        "account; SAQ A, since the form is native, not a web page.",
                        "The private and public keys from the merchant's dashboard; SAQ D, "
                        "because the card passes through your app.",
                        "OAuth access tokens, because the private key is only for the "
                        "tokenizer; and SAQ D, because the card passes through the app.",
                    ],
                    "b",
                    "One merchant or many decides the credentials; who shows the card form "
                    "decides the PCI burden. The two questions are apart.",
                    "Ask the two questions apart: one merchant or many? who shows the form?",
                ),
                _q(
                    "A bug sends the same clv_ token in two charges for two different books. "
                    "What protects the shopper?",
                    [
                        "A token is single use: the second charge is refused with "
                        "token_already_used.",
                        "The idempotency key: the client sends the same key with both "
                        "charges, so Clover answers the first charge again.",
                        "Nothing: the two books are two orders, so Clover charges the token "
                        "twice and the shopper must ask for a refund.",
                    ],
                    "a",
                    "Each charge gets its own key from the client, so no replay happens; the "
                    "token itself can pay once.",
                    "Are the two charges one request sent twice (same key), or two requests? "
                    "Then what does the token allow?",
                ),
            ),
        ),
        Quiz(
            "06",
            "capture and refunds",
            (
                _q(
                    "$50.00 was authorized and $42.00 captured. The shopper asks about the "
                    "other $8.00. What happened to it?",
                    [
                        "It was taken with the capture and paid back at once, so it shows "
                        "in amount_refunded on the charge.",
                        "It was released: never taken, so there is nothing to refund; "
                        "`amount` still says 5000, what was authorized.",
                        "It stays held on the card and is taken at settlement, unless the "
                        "shop voids the rest of the authorization.",
                    ],
                    "b",
                    "A capture takes part of a hold and releases the rest; a refund gives "
                    "back money that was taken. (Clover's pre-authorization page says a held "
                    'amount can be captured or "refunded": what goes back was never taken.)',
                    "Was the $8.00 ever taken? Which field says what was taken?",
                ),
                _q(
                    "A sale was captured on Monday and settled in Monday night's batch. On "
                    "Wednesday the order is cancelled. Void or refund?",
                    [
                        "Void: the order was cancelled, and a void is what cancels an order; "
                        "a refund is only for goods that came back.",
                        "Capture it again for 0: a new capture replaces the old one, and the "
                        "settled amount drops to nothing.",
                        "Refund: the payment is settled, so money goes back as a repayment.",
                    ],
                    "c",
                    "Clover tells them apart by settlement: a void cancels before settlement "
                    "(no money moves), a refund gives money back after it.",
                    "What decides between a void and a refund: the reason, or whether the "
                    "payment was settled?",
                ),
                _q(
                    "Why does a partial release of a hold happen by capturing less, and not "
                    "by a partial void?",
                    [
                        "A void is all or nothing: it releases the whole hold; capturing "
                        "less takes what is due and releases the rest in one step.",
                        "A partial void costs the merchant a fee for each release, so shops "
                        "capture less to avoid paying it.",
                        "Voids only work on sales, never on authorizations, so a hold can "
                        "only be reduced by capturing less.",
                    ],
                    "a",
                    "The capture's `amount` already says how much of the hold to take; the "
                    "rest is released with it.",
                    "What does a void release? What does a capture of less than the hold do "
                    "with the rest?",
                ),
            ),
        ),
        Quiz(
            "07",
            "declines and errors",
            (
                _q(
                    "Your checkout code catches a RateLimitError (a 429). What does it tell "
                    "the shopper?",
                    [
                        '"You may have been charged; do not pay again": a 429 is a server '
                        "error, so the charge may exist like after a 503.",
                        '"Your card was declined": Clover refuses a card that is used too '
                        "often, and the shopper should try another one.",
                        '"Nothing was charged; please try again shortly."',
                    ],
                    "c",
                    "A 429 refuses before anything is done, and by the time your code sees "
                    "it the client has already waited Retry-After and tried again.",
                    "Did Clover do anything when it answered 429? What has the client "
                    "already done before raising?",
                ),
                _q(
                    'A 503 answers POST /v1/charges. Why not tell the shopper "you were not '
                    'charged"?',
                    [
                        "The charge may exist: a 5xx can come after the charge was made. "
                        "Retry with the same key to learn the outcome.",
                        "A 503 is how Clover reports a decline when the issuer is "
                        "unavailable, so the card was not charged.",
                        "Clover always makes the charge before it can answer 503, so the "
                        "shopper should be told they paid.",
                    ],
                    "a",
                    "A 5xx or a lost connection is ambiguous; only a retry with the same "
                    "idempotency key, or reading back, tells you.",
                    "Could the server have charged the card before the 503 was sent?",
                ),
                _q(
                    "After a decline the shopper tries another card for the same order. "
                    "Should the new charge reuse the first attempt's idempotency key?",
                    [
                        "Yes: the key belongs to the order, and using the same one links the "
                        "new card's charge to the declined one.",
                        "No: a new token is a different request; the key belongs to one "
                        "attempt, and reusing it for another body is refused.",
                        "Yes, so that Clover replaces the declined charge with the new one "
                        "instead of keeping a failed charge on record.",
                    ],
                    "b",
                    'A key says "the same request again"; another card is another request. '
                    "Log the order id to link the attempts.",
                    "Is the second attempt the same request as the first, byte for byte?",
                ),
                _q(
                    'Your decline log line includes the token "so support can find the '
                    'payment". What should it log instead, and why?',
                    [
                        "The charge id and codes: they find the payment and cannot move "
                        "money; a token can be charged, so it is a secret.",
                        "The card's last four digits only: they identify the card without "
                        "being card data, and support can search by them.",
                        "Clover's full error message, which names the charge and the card "
                        "and is written for support teams to read.",
                    ],
                    "a",
                    "Log ids and codes, never card data, tokens or keys: logs travel further "
                    "than you think.",
                    "Which of these could someone use to take money if the log leaked?",
                ),
                _q(
                    'Why tell the shopper "check the security code" for a CVV mismatch, but only '
                    '"declined" for suspected fraud?',
                    [
                        "A genuine shopper can fix a typo; telling a fraudster which check caught"
                        " them helps them try again.",
                        "Clover forbids showing fraud declines, so the shop must hide that any "
                        "decline happened at all.",
                        "A fraud decline is final, while Clover retries a CVV mismatch itself "
                        "after the shopper has left the page.",
                    ],
                    "a",
                    "Say what helps an honest shopper act; say nothing that teaches an attacker "
                    "which card or field to change.",
                    "Who is helped by knowing exactly why a card was refused?",
                ),
            ),
        ),
        Quiz(
            "08",
            "safe retries",
            (
                _q(
                    "Why may the client retry a 503 on a POST only when it carries an "
                    "idempotency key?",
                    [
                        "Retrying a POST takes longer than a GET, so the client saves time "
                        "by retrying only requests that carry a key.",
                        "Without a key the server cannot recognise the retry as the same "
                        "request, and might charge twice.",
                        "Clover answers every POST without a key with a 503, so a retry "
                        "without one could never succeed anyway.",
                    ],
                    "b",
                    "The key is what lets the server answer the first outcome instead of "
                    "acting again.",
                    "What would the server do with a second, unrecognisable copy of a charge?",
                ),
                _q(
                    "Why does the retry wait include a random part (jitter)?",
                    [
                        "So that many clients that failed together do not all retry at the "
                        "same instant and overload the server again.",
                        "To make retries hard for an attacker to predict, so that nobody can "
                        "time a forged request between two of them.",
                        "Clover requires a random wait between retries and refuses a retry "
                        "that comes exactly one second after the first.",
                    ],
                    "a",
                    "Without jitter, failures that happened together come back together.",
                    "Picture a thousand clients that met the same outage at the same moment.",
                ),
                _q(
                    "A refund answers 503. Why does the client read the charge's refunds "
                    "before sending it again?",
                    [
                        "To check that the charge still exists: a 503 can mean that Clover "
                        "deleted the charge, and a refund of it would fail.",
                        "Refunds cannot carry an idempotency key, so reading back is the "
                        "only way a refund can be retried at all.",
                        "The refund may have gone through; a refund with the same "
                        "`external_reference_id` says so, and sending again could refund "
                        "twice.",
                    ],
                    "c",
                    "Reading back turns an ambiguous answer into a known one before anything "
                    "is sent again.",
                    "After a 503, do you know whether the refund exists? How could you find "
                    "out without risking a second one?",
                ),
                _q(
                    "The client's limiter keeps one process under 16 requests a second per "
                    "token. Can your shop then skip handling 429s?",
                    [
                        "Yes: the limiter spaces every request of the process, so Clover "
                        "never sees more than 16 a second from the shop.",
                        "No: other processes and the app-wide limit share Clover's budget, "
                        "so 429s can still come; keep handling them.",
                        "Yes: Clover only answers 429 in its sandbox, to help developers "
                        "test; production scales to what the shop sends.",
                    ],
                    "b",
                    "A limiter only knows its own process; Clover's limits count every "
                    "request of the token and of the app.",
                    "Who else sends requests with the same token or the same app?",
                ),
            ),
        ),
        Quiz(
            "09",
            "reporting",
            (
                _q(
                    "A charge: $80.00 authorized, $60.00 captured, $15.00 refunded. What is "
                    "its net captured amount, in cents?",
                    [
                        "6500",
                        "4500",
                        "8000",
                        "6000",
                    ],
                    "b",
                    "Net captured is captured minus refunded: 6000 - 1500; the uncaptured "
                    "$20.00 was released, never taken.",
                    "Start from what was taken, not what was authorized; then take off what "
                    "went back.",
                ),
                _q(
                    "Why does the report keep only the charges this run made (`mine`)?",
                    [
                        "The sandbox, like a real merchant's account, holds other charges: "
                        "other notebooks' and earlier runs'; this week's report must not "
                        "count them.",
                        "Listing every charge of the sandbox would take too long, so the "
                        "report keeps to a smaller set to stay fast.",
                        "Clover lists only the charges of the last seven days, so a week of "
                        "`mine` is all that GET /v1/charges can return.",
                    ],
                    "a",
                    "Report on what you mean to report on: a shared account always holds more.",
                    "What else is in a sandbox that other notebooks and runs have used?",
                ),
                _q(
                    "Why keep money in int cents until the summary, and not in dollars as floats?",
                    [
                        "pandas cannot sum float columns exactly, so money has to be turned "
                        "into ints before any groupby.",
                        "Clover sends amounts in dollars as floats, and int cents are only "
                        "needed once the report is printed.",
                        "Most cent values have no exact float, so sums drift by fractions of "
                        "a cent; ints are exact.",
                    ],
                    "c",
                    "0.1 + 0.2 is not 0.3 in floating point; cents as ints add up exactly.",
                    "Try 0.1 + 0.2 == 0.3 in a cell.",
                ),
                _q(
                    "Reconciling from GET /v1/refunds, why leave out refunds with "
                    "`refundType: PREAUTH`?",
                    [
                        "They failed: a PREAUTH refund is one Clover could not complete, so "
                        "no money went back to the shopper.",
                        "They are voids: released holds, so no captured money went back.",
                        "They belong to another merchant's charges, and GET /v1/refunds "
                        "lists them only because the sandbox is shared.",
                    ],
                    "b",
                    "A PREAUTH refund releases an uncaptured authorization; nothing was "
                    "captured, so nothing comes off net captured.",
                    "Was any money captured on a charge whose hold was released?",
                ),
            ),
        ),
        Quiz(
            "10",
            "card on file",
            (
                _q(
                    "Why is the first charge of a card you will save sent with "
                    "`stored_credentials` FIRST and `intent: save_credential_on_file`?",
                    [
                        "Clover needs a FIRST charge before it can create a customer, and "
                        "the intent tells it which customer to create.",
                        "It makes the charge cheaper: the networks charge lower fees on a "
                        "first stored-card payment than on a plain one.",
                        "The networks link later stored-card charges to this first, "
                        "consented, cardholder-present use; and the token must stay usable "
                        "after it.",
                    ],
                    "c",
                    "Without a FIRST, a SUBSEQUENT charge is flagged (the warning_message); "
                    "the intent keeps the token alive to be saved.",
                    "What do the networks need to see before a card is charged again without "
                    "the cardholder? What happens to a plain token after one charge?",
                ),
                _q(
                    "Your scheduler charges a subscription at 3 a.m. Which `initiator` and "
                    "`is_scheduled`?",
                    [
                        "CARDHOLDER, false.",
                        "MERCHANT, true.",
                        "MERCHANT, false.",
                        "CARDHOLDER, true.",
                    ],
                    "b",
                    "Nobody is present: the merchant starts it, on an agreed schedule.",
                    "Who is at the keyboard at 3 a.m.? Is the charge on an agreed schedule?",
                ),
                _q(
                    "A customer asks you to forget their card. Why revoke it at Clover "
                    "rather than only delete it from your database?",
                    [
                        "The customer id and the multi-pay token would still charge the card "
                        "at Clover; revoking stops both.",
                        "Deleting it from your own database is not allowed under card rules, "
                        "so revoking at Clover is the only way.",
                        "Clover deletes every saved card after 30 days without a charge, so "
                        "deleting your copy is all that is needed.",
                    ],
                    "a",
                    "The card lives at Clover; your database only holds references to it.",
                    "Where is the card actually kept, and what can still charge it?",
                ),
                _q(
                    "A multi-pay token is not a card number. Why treat it as a secret?",
                    [
                        "It holds the card number, encrypted with Clover's key, and anyone "
                        "with that key could read the number back.",
                        "It can be charged again and again: with your key, it moves money.",
                        "It expires as soon as it is printed or logged, and then the "
                        "subscription can no longer be charged.",
                    ],
                    "b",
                    "Anything that can be charged is worth stealing; keep it like a key.",
                    "What can be done with the token, unlike with a charge id?",
                ),
            ),
        ),
        Quiz(
            "11",
            "orders",
            (
                _q(
                    "Why should your code charge the `amount` Clover computed for the order, "
                    "not its own sum?",
                    [
                        "Rounding rules (per line or per rate) can differ by a cent; the "
                        "order's amount is what the payment must match.",
                        "Clover's sum is faster to get than your own, since the order answer "
                        "already holds it and saves a computation.",
                        "Your own sum would leave out shipping, which only Clover knows how "
                        "to add to the order's total.",
                    ],
                    "a",
                    "One source of truth for the total: the order.",
                    "Could two correct methods of computing 8.25% tax differ by a cent?",
                ),
                _q(
                    "Your page sends two pay requests for a paid order, each with its own "
                    "idempotency key. What protects the shopper?",
                    [
                        "The idempotency keys: Clover sees two pay requests for one order "
                        "and replays the first answer to the second.",
                        "The order: it knows it is paid and answers 409 order_already_paid.",
                        "Nothing: each request has its own key, so Clover charges both and "
                        "the shopper has to ask for a refund.",
                    ],
                    "b",
                    "Two keys make two requests; the order's state refuses the second.",
                    "With two different keys, are the requests the same request? What else "
                    "knows the order was paid?",
                ),
                _q(
                    "Returning one $12.50 mug from a taxed order refunds $13.53. Where do "
                    "the other $1.03 come from?",
                    [
                        "A return fee that Clover adds to every return, charged to the "
                        "merchant and passed back to the shopper.",
                        "Part of the shipping, refunded in proportion to the share of the "
                        "order that the mug was.",
                        "The mug's share of the sales tax, which goes back with it.",
                    ],
                    "c",
                    "The refund is what the item added to the total: its price and its tax.",
                    "What did the mug add to the total besides its price?",
                ),
                _q(
                    "If the 8.25% tax rate were also put on the $5.99 shipping line, how "
                    "would the total change?",
                    [
                        "Not at all: Clover never taxes a shipping line, whatever tax rate "
                        "it is given.",
                        "It grows by 8.25% of $5.99 (49.4 cents), rounded together with the "
                        "other lines of that rate: here the tax goes from 280 to 330 cents.",
                        "Tax would be computed twice on everything, because the rate would "
                        "now appear on two kinds of line.",
                    ],
                    "b",
                    "Tax follows the lines that carry the rate: 8.25% of 3998 cents is "
                    "329.8, so 330, where 3399 cents gave 280.",
                    "Which lines does a tax rate apply to?",
                ),
            ),
        ),
        Quiz(
            "12",
            "Hosted Checkout",
            (
                _q(
                    "The shopper's browser lands on your success URL. Ship the order now?",
                    [
                        "Yes: Clover only sends a shopper to the success URL after a "
                        "payment, so the redirect itself proves it.",
                        "No: anyone can type that URL; fulfil on the verified webhook.",
                        "Yes, if the request's Referer header is Clover's page, which shows "
                        "the browser really came from the checkout.",
                    ],
                    "b",
                    "The redirect is the browser's news; the signed webhook is Clover's.",
                    "Who controls what the browser asks for? Who signs the webhook?",
                ),
                _q(
                    "Why verify the signature over the raw body, before parsing the JSON?",
                    [
                        "JSON written again with other spacing or order has another HMAC; "
                        "and nothing should be trusted before it is verified.",
                        "Parsing first is slower, and the HMAC check is cheap, so checking "
                        "the bytes first saves time on forged requests.",
                        "Clover signs only the headers, so the body must be verified "
                        "separately after it is parsed.",
                    ],
                    "a",
                    "The HMAC is over the exact bytes sent: `t`, a dot, and the body.",
                    "Would json.dumps(json.loads(body)) give back the same bytes?",
                ),
                _q(
                    "Your endpoint recorded a payment, then crashed before answering 200. "
                    "What must your code be ready for?",
                    [
                        "Nothing: a webhook is delivered exactly once, so the payment "
                        "recorded before the crash is all there will be.",
                        "The shopper is charged again, because Clover retries the payment "
                        "itself until your endpoint answers 200.",
                        "Design as if it may come again, or never: handle each event id "
                        "once, and reconcile from Clover's charges when none comes.",
                    ],
                    "c",
                    "Clover's webhook pages document no retries, and its app webhook page "
                    "says delivery is not guaranteed "
                    "(https://docs.clover.com/docs/ecomm-hosted-checkout-webhook, "
                    "https://docs.clover.com/docs/webhooks); the local sandbox's retries "
                    "are the kit's choice (docs/choices.md).",
                    "What do Clover's pages promise about delivery? What would a second "
                    "delivery, or none, do to your order?",
                ),
                _q(
                    "A correctly signed webhook arrives with `t` an hour old. Why refuse it?",
                    [
                        "It is a genuine request captured and sent again: the time limit "
                        "closes that window, and remembered signatures close the rest.",
                        "Clover's clock may be wrong by an hour, so an old timestamp is more "
                        "likely a clock problem than an attack.",
                        "Old webhooks are always declines that Clover sends late, and a shop "
                        "should not act on a decline anyway.",
                    ],
                    "a",
                    "A signature proves who made the request, not that it is fresh; `t` does.",
                    "What does a valid signature prove, and what does it not?",
                ),
            ),
        ),
        Quiz(
            "13",
            "what the helpers hide",
            (
                _q(
                    "Why is the payment attempt, with its idempotency key and request, "
                    "committed to the database before the charge is sent?",
                    [
                        "Clover checks each idempotency key against your database, so a key "
                        "that is not saved there yet is refused with a 400.",
                        "A crash or a lost answer can be finished later with the same key "
                        "and body: a replay of the charge, not a second one.",
                        "Writing after the charge would hold the database lock while Clover "
                        "answers, and the checkout would be slower for everyone.",
                    ],
                    "b",
                    "A key that dies with the process is worth nothing: saved first, it "
                    "survives the crash, and the same request with it lets Clover recognise "
                    "the retry instead of charging again.",
                    "What is left of a key kept only in memory when the server dies between "
                    "sending and the answer?",
                ),
                _q(
                    "The loop gets a 402 decline. Why does it save `failed` and never send "
                    "that request again?",
                    [
                        "A decline is an answer, not a lost one: the same request can only "
                        "be refused again; another try needs the shopper.",
                        "Retrying a decline is safe but slow, so the loop skips it only to "
                        "keep the shopper's checkout quick.",
                        "Clover blocks a card for a whole day after a decline is retried, so "
                        "one attempt is all that the loop may safely risk.",
                    ],
                    "a",
                    "Retries are for not knowing; after a decline you know. The same key "
                    "would replay the decline, and a new key would ask the card again "
                    "without the shopper choosing to.",
                    "After a 402, do you know what happened? What could the same request "
                    "sent again change?",
                ),
                _q(
                    "Why does the loop wait out a 429's `Retry-After`, but send a 503 again "
                    "only with the saved key?",
                    [
                        "Both may have charged the card, but only the 429 says when Clover "
                        "will be ready, so it alone is worth waiting for.",
                        "A 503 means Clover is down for a while, so it is retried with a new "
                        "key, and a 429 with the old one, after its wait.",
                        "A 429 did nothing and says when to come back; after a 503 the "
                        "charge may exist, and only the same key is safe.",
                    ],
                    "c",
                    "A 429 refuses before any work, so only the timing matters; a 5xx can "
                    "come after the charge, so the retry must be recognisable as a replay.",
                    "Which of the two answers can come after the card was charged?",
                ),
                _q(
                    "A `POST /oauth/v2/refresh` gets no answer: the connection drops. Why "
                    "not simply send it again?",
                    [
                        "A refresh takes an idempotency key like a charge, and the lost "
                        "request's key is gone, so no retry can match it.",
                        "The first may have spent the refresh token (it works once); read "
                        "back what you saved, or ask the merchant again.",
                        "Sending it again is fine: a refresh token keeps working until the "
                        "access token it came with has expired.",
                    ],
                    "b",
                    "Each refresh returns a new pair and kills the old refresh token; if "
                    "the lost answer held the new pair, a second try is refused.",
                    "How many times does one refresh token work, and where did the pair of "
                    "the lost answer go?",
                ),
            ),
        ),
        Quiz(
            "14",
            "subscriptions",
            (
                _q(
                    "Why is each renewal charged as `SUBSEQUENT`, scheduled, started by the "
                    "`MERCHANT`?",
                    [
                        "It lowers the fees: the card networks charge less for a scheduled charge"
                        " than for one the shopper starts at checkout.",
                        "Clover's recurring API takes no other values, because only Clover's own "
                        "servers may charge a subscription's card.",
                        "Nobody is at the keyboard: the merchant charges on an agreed schedule, "
                        "after the cardholder's first consented use.",
                    ],
                    "c",
                    "The networks want to know who started a charge and why no cardholder is "
                    "present: a scheduled, merchant-initiated use of a card saved with consent.",
                    "Who is present when a renewal is charged at night? What did the cardholder "
                    "agree to, and when?",
                ),
                _q(
                    "A renewal is declined. Why is the subscription deactivated only after five "
                    "failed attempts, not at once?",
                    [
                        "A decline is often passing (a limit reached, a card being replaced); the"
                        " retries give the customer time to pay.",
                        "Clover tries each card the customer ever saved in turn, and five is how "
                        "many cards most customers keep on file.",
                        "Each retry sends a new idempotency key, and Clover needs five of them to"
                        " be sure the first decline was not lost.",
                    ],
                    "a",
                    "Dunning exists because many declines clear up within days; stopping at the "
                    "first would lose customers who meant to pay.",
                    "Is a decline today always a decline next week? What would stopping at once "
                    "cost the merchant?",
                ),
                _q(
                    "Ada's saved card is revoked and she has no other on file. What does her "
                    "next renewal do, by Clover's subscription page?",
                    [
                        "The subscription is deactivated at the first attempt: with no card on "
                        "file there is nothing to retry.",
                        "The invoice fails, and that failure counts as one of the five attempts; "
                        "a card she saves before the last attempt can still pay it.",
                        "Clover charges the revoked card anyway: a card on file stays usable for "
                        "scheduled charges until it expires.",
                    ],
                    "b",
                    "https://docs.clover.com/docs/recurring-apis-subscriptions: a subscription "
                    'is deactivated after five failed attempts, and failures "can occur due '
                    'to invalid or missing customer information or card data". How far apart '
                    "the attempts are is the kit's choice (a day), not Clover's; so is charging "
                    "the newest card on file at a retry (the page's advice for a new payment "
                    "method: revoke the card on file and add the new one).",
                    "Read the page's sentence on deactivation: after how many attempts, and "
                    "which causes of failure does it count?",
                ),
                _q(
                    "Why should your server learn of renewals from Clover, rather than work them "
                    "out from its own copy of the schedule?",
                    [
                        "Clover charges at midnight UTC on each anniversary, so a server's own "
                        "schedule drifts by its time zone.",
                        "Clover sends no notice of renewals at all, so a server has to keep its "
                        "own schedule and ask Clover each day.",
                        "Clover charges on its clock and retries declines itself; only Clover's "
                        "invoices and charges say what was paid.",
                    ],
                    "c",
                    "The schedule is Clover's, and so are the retries and the deactivation: read "
                    "the outcome where it happens (invoices, charges, app webhooks).",
                    "Who runs the renewals and the retries? Where is the result of each attempt "
                    "kept?",
                ),
            ),
        ),
        Quiz(
            "15",
            "app webhooks",
            (
                _q(
                    "Why does Clover POST a `verificationCode` to your webhook URL before it "
                    "sends any event?",
                    [
                        "To prove that whoever typed the URL controls it, so merchants' updates "
                        "do not go to someone else's server.",
                        "To measure the URL's speed: Clover only sends events to endpoints that "
                        "answer within one second.",
                        "The code is the key that signs every later message, as Hosted Checkout's"
                        " secret does with its HMAC.",
                    ],
                    "a",
                    "Only the owner of the endpoint sees the code and can paste it back; then "
                    "Clover knows the URL is yours.",
                    "Who can read what Clover POSTs to the URL? What does pasting it back prove?",
                ),
                _q(
                    "Why compare `X-Clover-Auth` with `hmac.compare_digest` rather than `==`?",
                    [
                        "HTTP lowercases header values, and `==` is case-sensitive where "
                        "`compare_digest` is not.",
                        "`==` can stop at the first differing character, so its timing leaks how "
                        "much of a guess was right.",
                        "`compare_digest` decrypts the header with the App Secret before it "
                        "compares it with the code.",
                    ],
                    "b",
                    "A constant-time comparison takes as long for a near miss as for a wild "
                    "guess, so an attacker learns nothing from timing.",
                    "Does `==` take the same time whether the first character or the last one "
                    "differs?",
                ),
                _q(
                    "A message names `P:ABC123`. Why fetch the payment from Clover rather than "
                    "act on the message alone?",
                    [
                        "Messages are encrypted, and fetching the object is how the app gets the "
                        "key that reads them.",
                        "Clover deletes an object a minute after its message is sent, unless the "
                        "app has fetched it by then.",
                        "The message says only what changed and when; the amount and status come "
                        "from Clover itself.",
                    ],
                    "c",
                    "An update is a pointer: its objectId, type and time. What the payment is, "
                    "you read from Clover with the merchant's token.",
                    "What does an update hold besides an id, a type and a time?",
                ),
                _q(
                    "Why drop an update you have already handled (same object, type and time) "
                    "instead of acting on it again?",
                    [
                        "Clover sends every update twice on purpose: once to check the URL, once "
                        "to deliver it.",
                        "A message may come again (design as if it may: Clover does not "
                        "guarantee delivery); acting twice could ship or email twice.",
                        "A repeated update is always forged, since Clover never sends one again; "
                        "refuse it with 401.",
                    ],
                    "b",
                    "A delivery can come again (the local sandbox retries a failed one, the "
                    "kit's choice; Clover's page promises no single delivery), so handling is "
                    "made idempotent by remembering what was handled.",
                    "What does a sender do when it is not sure its message arrived?",
                ),
            ),
        ),
        Quiz(
            "16",
            "3-D Secure",
            (
                _q(
                    "`POST /v1/charges` answers `CHALLENGE_FLOW_REQUIRED`. Why must your server "
                    "call `POST /v1/charges/finalize_payment` after the browser's `executePatch` "
                    "event?",
                    [
                        "The event itself moves the money; finalize only sends the shopper a "
                        "receipt by email.",
                        "Clover's page ends every method flow and challenge with that call: its "
                        "answer (success, decline, or after a method flow a challenge) is the "
                        "outcome.",
                        "Finalize is optional: a challenged charge is captured on its own at the "
                        "end of the business day.",
                    ],
                    "b",
                    "Clover's 3DS page (https://docs.clover.com/docs/3ds-secure-configure-sdk) "
                    "finalizes the transaction in the executePatch handler and lists the "
                    "answers: after a method flow success, decline or a challenge; after a "
                    "challenge success or decline. The browser's event only says when to ask.",
                    "What does Clover's page list as the possible answers of the finalize call?",
                ),
                _q(
                    "Beyond stopping fraud at checkout, why does a 3DS-authenticated payment "
                    "matter to the merchant?",
                    [
                        "If the cardholder later disputes it as fraud, the liability moves to the"
                        " issuer, which vouched for the shopper.",
                        "The merchant pays no processing fee on an authenticated payment, since "
                        "the issuer did all the work of checking.",
                        "An authenticated payment cannot be refunded, so a fraudster cannot ask "
                        "for the money back later on.",
                    ],
                    "a",
                    "That is the liability shift that `liability_protection_status` reports: the "
                    "issuer authenticated the shopper, so a fraud dispute is its loss.",
                    "Who carries the loss of a fraud chargeback, with and without authentication?",
                ),
                _q(
                    "Why does your server, not the 3DS script in the browser, add the shopper's "
                    "IP to `browser_info`?",
                    [
                        "Browsers forbid scripts to send IP addresses to other sites, so the "
                        "script leaves it out of what it reports.",
                        "Clover needs the server's own IP address, not the shopper's, to know "
                        "which merchant sent the charge.",
                        "A page cannot reliably see its public IP, and what a browser reports can "
                        "be changed; the server sees it.",
                    ],
                    "c",
                    "The server sees the address the request came from; anything the page reports"
                    " about itself could be made up.",
                    "Who can change what a page reports? What does your server see of the "
                    "shopper's connection?",
                ),
                _q(
                    "Clover's Visa 3DS test card ending 0026, at 250.01, answers "
                    "`THREEDS_METHOD_FLOW_REQUIRED`. What does your page do next?",
                    [
                        "Show the shopper a one-time code field at once, since every 3DS answer "
                        "is a challenge.",
                        "Nothing: the method flow is the issuer's concern, and the charge "
                        "succeeds on its own.",
                        "Run `perform3DSFingerPrinting` with `data`'s method URL in a hidden frame,"
                        " then on `executePatch` have the server call `finalize_payment`.",
                    ],
                    "c",
                    "Clover's page (https://docs.clover.com/docs/3ds-secure-configure-sdk) runs "
                    "the issuer's method URL through the 3DS script, then finalizes; the "
                    "finalize answer may still be a challenge. (That this card runs a method "
                    "flow then a challenge is the kit's choice: docs/choices.md, 3-D Secure.)",
                    "Which of the script's calls takes a method URL and a notification URL?",
                ),
            ),
        ),
        Quiz(
            "17",
            "gift cards and ACH",
            (
                _q(
                    "A gift card charge for $45.00 answers `succeeded` with `amount` 3800. Why "
                    "must your shop compare `amount` with what is due?",
                    [
                        "A gift card's amount is in its own currency, so the shop must convert it"
                        " before it compares.",
                        "Clover reports a gift card's amount before any tax, so the shop must add "
                        "the order's tax to check it.",
                        "A gift card gives what it holds: $38.00 was taken, and $7.00 must still "
                        "be paid by another source.",
                    ],
                    "c",
                    "`status` says the charge went through; `amount` says how much. Clover gives "
                    "no decline for insufficient funds: it takes the balance to 0 "
                    "(https://docs.clover.com/docs/gift-card-api), so only `amount` shows what "
                    "is still due.",
                    "What does `succeeded` say about how much was taken?",
                ),
                _q(
                    "Why is an ACH charge `pending` when it is made, and when should the shop "
                    "ship?",
                    [
                        "The shopper must still confirm it by email; ship when they follow the "
                        "link Clover sends them.",
                        "The bank settles or returns it days later; ship on settlement, or accept"
                        " the risk of a return.",
                        "Pending means the agreement was missing; ship once the charge is made "
                        "again with the agreement.",
                    ],
                    "b",
                    "A bank payment is not final when it is made: it can come back days later "
                    "(https://docs.clover.com/docs/internet-check-acceptance). The three days and"
                    " the R01 test account are the kit's choice (docs/choices.md, ACH).",
                    "When does a bank decide whether the money really moves?",
                ),
                _q(
                    "Why does an ACH page show a disclaimer from Clover's templates, and send "
                    "`agreement` with the token?",
                    [
                        "Clover prints the disclaimer on the shopper's bank statement, so the "
                        "page may word it as it likes.",
                        "The agreement works as the ACH token's password, and it is needed again "
                        "to refund the payment.",
                        "Debiting a bank account needs the holder's authorization in wording "
                        "Clover requires; `agreement` names what was accepted.",
                    ],
                    "c",
                    "Clover requires the consent disclaimer to follow its templates "
                    "(https://docs.clover.com/docs/internet-check-acceptance), and the token "
                    "carries the `agreement` (https://docs.clover.com/docs/create-an-ach-token).",
                    "What would the shop show if the account holder said they never allowed the "
                    "debit?",
                ),
                _q(
                    "Why pay one order with the gift card and then a card, rather than make two "
                    "separate charges?",
                    [
                        "The order holds the total and `amount_paid`, so it is paid only when the"
                        " parts add up, as one purchase.",
                        "Clover refuses a second charge for a shopper on the same day, so the two"
                        " parts must share one order.",
                        "Only orders accept gift cards: a charge on its own takes cards, never a "
                        "gift card token as its source.",
                    ],
                    "a",
                    "The order is the one record of the purchase: each payment adds to "
                    "`amount_paid`, and it is paid when they reach `amount`; Clover's gift card "
                    "page names this split tender (https://docs.clover.com/docs/gift-card-api).",
                    "Which record knows the total and how much of it is still unpaid?",
                ),
            ),
        ),
        Quiz(
            "18",
            "wallets",
            (
                _q(
                    "The page's `paymentReqData` says `amount: 1099`. What should your server "
                    "charge the wallet's token?",
                    [
                        "The amount in the token's `wallet.total`: Clover signs it, so the "
                        "shopper cannot have changed it on the way.",
                        "The total your server computes from the cart: the page, and what it "
                        "told the wallet, are in the shopper's hands.",
                        "Nothing: a wallet token is charged by the wallet itself, and your "
                        "server only reads the charge back afterwards.",
                    ],
                    "b",
                    "Your server charges the token with `POST /v1/charges` and an `amount` it "
                    "chooses (https://docs.clover.com/reference/createcharge); a price that "
                    "came from the browser can be edited there.",
                    "Who wrote `paymentReqData`, and on whose computer did it run?",
                ),
                _q(
                    "Why does `total.amount` 10.99 fail where 1099 works?",
                    [
                        "The button accepts only even amounts of cents, so that a total splits "
                        "between two wallets evenly.",
                        "Wallet totals are capped at $10.00 in a sandbox, and 10.99 is read as "
                        "dollars over that cap.",
                        "The amount is in cents, a whole number, as everywhere in Clover's "
                        "Ecommerce API: 10.99 is not a number of cents.",
                    ],
                    "c",
                    "Clover's wallet pages give `total.amount` in cents "
                    "(https://docs.clover.com/dev/docs/clover-iframe-features-apple-pay), like "
                    "a charge's `amount`.",
                    "In what unit does every amount in Clover's Ecommerce API travel?",
                ),
                _q(
                    "An app runs its own Apple Pay button. What does it send to Clover's "
                    "tokenizer to get a `clv_` token?",
                    [
                        "The wallet's payment data as Apple hands it over, in "
                        "`encryptedWallet.applePayPaymentData`, unchanged.",
                        "The card number Apple Pay shows the shopper, decrypted by the app's "
                        "server, in the usual `card` object.",
                        "The Apple Pay merchant id alone: Clover fetches the payment data from "
                        "Apple with it, after the shopper approves.",
                    ],
                    "a",
                    "Clover's page takes `data`, `header`, `signature` and `version` as Apple "
                    "gives them (https://docs.clover.com/dev/docs/create-applepaywallet-token);"
                    " the app never sees the card number.",
                    "Which side can read what is inside Apple's payment data, and which "
                    "should never need to?",
                ),
            ),
        ),
        Quiz(
            "19",
            "building the shop",
            (
                _q(
                    "Why does the cart form send only SKUs and quantities, and `POST /pay` "
                    "no amount at all?",
                    [
                        "Clover ignores any amount that a browser sends, and charges the "
                        "price stored with the merchant's inventory items instead.",
                        "An amount in a form would bring the page into PCI scope, because "
                        "amounts count as cardholder data.",
                        "The browser is the shopper's tool and anything it sends can be "
                        "changed; the server prices the order from its catalog.",
                    ],
                    "c",
                    "What the browser sends is the shopper's to change, so the amount is "
                    "read from the order row the server priced.",
                    "Who controls what a browser sends? Where else does the shop know the price?",
                ),
                _q(
                    "Two presses of Pay for one order arrive at the same moment. Why does "
                    "Clover see only one charge?",
                    [
                        "The order moves by compare-and-set: one request claims it; the other "
                        "waits or finds it paid, and never reaches Clover.",
                        "Both presses send the order id as their idempotency key, so Clover "
                        "replays the first answer to the second one.",
                        "The page disables Pay after the first click, so the second press "
                        "never leaves the shopper's browser at all.",
                    ],
                    "a",
                    "`UPDATE … WHERE status = <expected>` lets exactly one request win; "
                    "the loser is answered by the shop without calling Clover.",
                    "Can the shop count on the browser? What in the database decides which "
                    "request goes on?",
                ),
                _q(
                    "Why does the shop fail an order after three declines, rather than let "
                    "it be paid with card after card?",
                    [
                        "Clover closes the merchant's account for a day after a fourth "
                        "decline on the same order.",
                        "It slows a bot testing stolen card numbers on the payment page, "
                        "one order after another.",
                        "The card networks charge the shopper a fee for each decline, and "
                        "three is the limit they set.",
                    ],
                    "b",
                    "Card testing (many numbers tried on one checkout) is a real attack on "
                    "shops; a limit per order, with the CAPTCHA, makes it slow and visible.",
                    "Who tries many cards on one order, and what do they learn from each answer?",
                ),
                _q(
                    "With Hosted Checkout, why is the order paid only by the verified "
                    "webhook, and each event id applied once?",
                    [
                        "The redirect comes back only after a decline, so it cannot mark an "
                        "order paid; and Clover sends each webhook exactly once.",
                        "The webhook arrives before the redirect, and applying an event once "
                        "keeps the webhook table small.",
                        "Anyone can open the return URL, but only Clover can sign the "
                        "webhook; and an event may arrive more than once.",
                    ],
                    "c",
                    "The browser's return is the shopper's news; the signed webhook is "
                    "Clover's. Clover's page promises no single delivery (the local sandbox "
                    "retries, the kit's choice), so a copy must change nothing.",
                    "Who can make a browser open the return URL? Can the same webhook come twice?",
                ),
                _q(
                    "Why does the admin's refund form carry a key made when the page was "
                    "drawn, sent as the refund's idempotency key?",
                    [
                        "A reload or a second press posts the same form again; with the same "
                        "key, the refund is done once.",
                        "It proves the admin is signed in, as a CSRF token would, so no "
                        "other site can post a refund.",
                        "The key tells Clover which charge to refund, so the form has to "
                        "carry it from the page.",
                    ],
                    "a",
                    "The key belongs to one refund the admin meant; a repeat of that form "
                    "is the same request and is answered, not done again.",
                    "What happens when a form is posted twice? What makes the server treat "
                    "two requests as one?",
                ),
            ),
        ),
        Quiz(
            "20",
            "going live",
            (
                _q(
                    "Why does an app for many merchants use OAuth tokens, not each "
                    "merchant's Ecommerce private key?",
                    [
                        "Private keys work only on Clover's sandbox; in production the "
                        "Ecommerce API accepts OAuth access tokens alone.",
                        "Each merchant approves the app and can remove it; the app never "
                        "needs or holds a merchant's own private key.",
                        "OAuth tokens never expire, so an app that serves many merchants "
                        "cannot lose access to one of them by accident.",
                    ],
                    "b",
                    "OAuth gives the app a grant the merchant made and can take back; a "
                    "merchant's private key is for that merchant's own site.",
                    "Who decides that an app may act for a merchant, and who can undo it?",
                ),
                _q(
                    "The card fields are Clover's iframes. Why must the shop still show, for "
                    "SAQ A, that its payment page is not open to script attacks?",
                    [
                        "Scripts served from the same CDN as Clover's fields can read inside "
                        "the iframes, so each one must be listed.",
                        "The script check sets the questionnaire: a page that passes it "
                        "may use SAQ A even for API-only.",
                        "A changed or injected script can draw a fake form or skim the page; "
                        "the iframe guards only what is inside it.",
                    ],
                    "c",
                    "The iframe keeps the number from your page, but your page decides what "
                    "the shopper sees. A script inventory and a watch on changes (PCI DSS "
                    "6.4.3 and 11.6.1) are one way to show it; the processor's word for its "
                    "iframe is the other.",
                    "What can a script on your page do to what the shopper sees, even if it "
                    "cannot read inside Clover's iframe?",
                ),
                _q(
                    "Why run the pre-launch checks on Clover's sandbox, not on a production "
                    "test merchant?",
                    [
                        "Clover says production test merchants do not give results as "
                        "accurate as the sandbox's gateway: a pass there proves little.",
                        "Production test merchants pay real processing fees for each call, "
                        "and a check run costs the developer money.",
                        "Clover's sandbox has no rate limits, so a full check run finishes "
                        "there in seconds instead of minutes.",
                    ],
                    "a",
                    "Clover's limitations by environment: production demo merchants do not "
                    "give results as accurate as the sandbox's RapidConnect gateway for test "
                    "payments, so the sandbox is where a check means something.",
                    "Where does Clover say test payments give accurate answers?",
                ),
                _q(
                    "Why reconcile pending orders against Clover's charges every day, when "
                    "webhooks already report each payment?",
                    [
                        "Clover deletes charges a day after they are made unless the shop "
                        "reads them back first with GET /v1/charges.",
                        "Reconciling is what releases the money: charges nobody reconciled "
                        "are never settled into the merchant's deposits.",
                        "A webhook can be lost (Clover's page promises no retries) and an "
                        "attempt left unknown; Clover's charges say what was paid.",
                    ],
                    "c",
                    "Webhooks and answers can both go missing; the charges at Clover are "
                    "the record to check your orders against.",
                    "What happens to an order whose webhook never came, or whose answer was "
                    "lost? Where is the truth kept?",
                ),
            ),
        ),
    ]
}
QUIZZES = _with_sources(QUIZZES)
