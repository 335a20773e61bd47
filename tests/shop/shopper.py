"""A shopper driving the shop's pages over HTTP, as a browser would (without the iframe)."""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette suggests httpx2; httpx is what the kit has
    from starlette.testclient import TestClient


def solve(question: str) -> str:
    """The local stand-in CAPTCHA asks "What is a + b?"."""
    match = re.search(r"What is (\d+) \+ (\d+)\?", question)
    assert match, question
    return str(int(match[1]) + int(match[2]))


class Shopper:
    """One browser session on the shop."""

    def __init__(
        self, app: Any = None, client_ip: str = "198.51.100.23", *, http: Any = None
    ) -> None:
        """On ``app`` in-process, or through ``http``: an httpx.Client whose base_url is the
        shop's address (a proxy's prefix included); paths here are then relative to it."""
        self.http = http if http is not None else TestClient(app, client=(client_ip, 50000))
        self._seen: dict[str, tuple[dict[str, Any], dict[str, str]]] = {}

    def csrf(self, path: str = "/") -> str:
        page = self.http.get(path)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match, page.text
        return match[1]

    def add(self, sku: str, quantity: int = 1, **extra: str) -> Any:
        form = {"csrf_token": self.csrf(), "sku": sku, "quantity": str(quantity), **extra}
        return self.http.post("/cart", data=form)

    def checkout(self) -> str:
        answer = self.http.post(
            "/checkout", data={"csrf_token": self.csrf("/cart")}, follow_redirects=False
        )
        assert answer.status_code == 303, answer.text
        return str(answer.headers["location"]).rsplit("/", 1)[1]

    def buy(self, sku: str = "MUG-01", quantity: int = 2) -> str:
        self.add(sku, quantity)
        return self.checkout()

    def payment_page(self, order_id: str) -> tuple[Any, dict[str, Any], dict[str, str]]:
        """The page, its checkout config, and a solved CAPTCHA."""
        page = self.http.get(f"/orders/{order_id}")
        config_text = re.search(r'id="checkout-config">(.*?)</script>', page.text, re.S)
        assert config_text, page.text
        question = re.search(r'id="captcha-question">([^<]+)<', page.text)
        ticket = re.search(r'id="captcha-ticket" value="([^"]+)"', page.text)
        assert question and ticket
        captcha = {"captcha_answer": solve(question[1]), "captcha_ticket": ticket[1]}
        config = json.loads(config_text[1])
        self._seen[order_id] = (config, captcha)
        return page, config, captcha

    def pay(self, order_id: str, token: str, **override: Any) -> Any:
        """POST /pay as the page does; once the order is paid its page is a receipt, so a
        second press replays what the page held (a second tab, a double click)."""
        if order_id in self._seen and 'id="pay"' not in self.http.get(f"/orders/{order_id}").text:
            config, captcha = self._seen[order_id]
        else:
            _, config, captcha = self.payment_page(order_id)
        body = {"order_id": order_id, "token": token, "captcha": captcha}
        headers = {"x-csrf-token": config["csrfToken"]}
        body.update(override.pop("body", {}))
        headers.update(override.pop("headers", {}))
        return self.http.post("/pay", json=body, headers=headers)
