"""The shopper's browser on Clover's Hosted Checkout page, for runs where there is none.

A notebook run by a test has no one to click, so :func:`pay_on_checkout_page` does over
HTTP what a browser does: load the page, find its form, fill the card fields the way
autofill does (by their ``autocomplete`` names), press a button, and report where the page
sends the browser next. It reads only the page, as any browser would.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal
from urllib.parse import urljoin

import httpx

from ..clover.cards import Card
from ..clover.wire import tls_context

__all__ = ["PageResult", "pay_on_checkout_page"]


@dataclass(frozen=True)
class PageResult:
    """What the page answered: ``redirect`` is where the browser goes next (your success,
    failure or cancel URL); ``message`` is what the page says when it stays."""

    status: int
    redirect: str | None
    message: str | None


class _Form(HTMLParser):
    """The first POST form of a page: its action, fields, buttons, and any alert text."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: list[dict[str, str]] = []
        self.buttons: list[dict[str, str]] = []
        self.alert: list[str] = []
        self.title: list[str] = []
        self._in_form = self._in_alert = self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and self.action is None and values.get("method", "").lower() == "post":
            self.action, self._in_form = values.get("action", ""), True
        elif self._in_form and tag == "input":
            self.fields.append(values)
        elif self._in_form and tag == "button":
            self.buttons.append(values)
        self._in_alert |= values.get("role") == "alert"
        self._in_title |= tag in ("title", "h1")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        if tag in ("p", "div"):
            self._in_alert = False
        if tag in ("title", "h1"):
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_alert:
            self.alert.append(data)
        if self._in_title and not self.title:
            self.title.append(data.strip())


def _autofill(card: Card) -> dict[str, str]:
    month = str(card.exp_month).zfill(2)
    return {
        "cc-number": card.number,
        "cc-exp": f"{month}/{str(card.exp_year)[-2:]}",
        "cc-csc": card.cvv,
        "postal-code": card.address_zip or "",
        "cc-name": card.name or "",
    }


def pay_on_checkout_page(
    url: str,
    card: Card | None = None,
    *,
    button: Literal["pay", "cancel"] = "pay",
    timeout: float = 30.0,
) -> PageResult:
    """Open the checkout page at ``url``, fill in ``card`` and press Pay (or Cancel)."""
    with httpx.Client(timeout=timeout, follow_redirects=False, verify=tls_context()) as browser:
        page = browser.get(url)
        form = _Form()
        form.feed(page.text)
        if page.status_code != 200 or form.action is None:
            return PageResult(
                page.status_code, page.headers.get("location"), " ".join(form.title) or None
            )
        filled = _autofill(card) if card is not None else {}
        data = {
            f["name"]: filled.get(f.get("autocomplete", ""), f.get("value", ""))
            for f in form.fields
            if f.get("name")
        }
        pressed = next((b for b in form.buttons if b.get("value") == button), None)
        if pressed is None:
            raise ValueError(f"the page has no {button!r} button")
        data[pressed["name"]] = pressed["value"]
        answer = browser.post(urljoin(url, form.action), data=data)
        result = _Form()
        result.feed(answer.text)
        message = "".join(result.alert).strip() or " ".join(result.title) or None
        return PageResult(
            answer.status_code,
            answer.headers.get("location"),
            None if answer.is_redirect else message,
        )
