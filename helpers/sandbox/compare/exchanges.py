"""Send a list of exchanges (the format of tests/contract/pages/README.md) to one host, Clover
or a local sandbox, filling each request with what earlier answers said.

An exchange names its request (`method`, `path`, `auth`, `headers`, `body`) with
placeholders: `{{answer:N.path}}` (a value of exchange N's answer), `{{card:NUMBER}}` (a
test card, spelled so the secret scan's allow-list finds it), `{{location:N.param}}` (a query
parameter of exchange N's redirect), `{{merchant:key}}` (the target's own credentials:
`app_id`, `app_secret`, `merchant_id`) and `{{encrypted_pan:N.NUMBER}}` (the number sealed
with the key exchange N published, by an `encrypt` function the caller gives: the sandbox
side of the kit does not import the client's encryption).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from helpers.sandbox.compare.engine import MISSING, headers_that_matter, lookup

RATE_LIMIT_RETRIES = 3
MAX_WAIT_S = 10.0
PLACEHOLDER = re.compile(r"\{\{(answer|card|encrypted_pan|location|merchant):([^}]+)\}\}")
Encrypt = Callable[[str, str], str]  # (published key, card number) -> encrypted_pan


class Unfilled(LookupError):
    """A placeholder names something no earlier answer holds (that step failed, say)."""


def fill(
    value: Any,
    answers: list[Any],
    locations: Sequence[str | None] = (),
    merchant: dict[str, str] | None = None,
    encrypt: Encrypt | None = None,
) -> Any:
    """A request with its placeholders replaced; a whole-string placeholder keeps its type."""
    if isinstance(value, dict):
        return {k: fill(v, answers, locations, merchant, encrypt) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(item, answers, locations, merchant, encrypt) for item in value]
    if not isinstance(value, str):
        return value

    def one(kind: str, reference: str) -> Any:
        if kind == "answer":
            return resolve(reference, answers)
        if kind == "location":
            return from_location(reference, locations)
        if kind == "merchant":
            if reference not in (merchant or {}):
                raise Unfilled(f"no {reference!r} configured for this host")
            return (merchant or {})[reference]
        if kind == "encrypted_pan":
            index, _, number = reference.partition(".")
            if encrypt is None:
                raise Unfilled("encrypted_pan needs an encrypt function")
            return encrypt(answers[int(index)]["TA_PUBLIC_KEY_DEV"], number)
        return reference

    whole = PLACEHOLDER.fullmatch(value)
    if whole:
        return one(whole.group(1), whole.group(2))
    return PLACEHOLDER.sub(lambda m: str(one(m.group(1), m.group(2))), value)


def resolve(reference: str, answers: list[Any]) -> Any:
    """`N.path`: the value at `path` of exchange N's answer."""
    index, _, path = reference.partition(".")
    value = lookup(answers[int(index)], path)
    if value is MISSING:
        raise Unfilled(f"exchange {index}'s answer has no {path!r}")
    return value


def from_location(reference: str, locations: Sequence[str | None]) -> str:
    """`N.param`: a query parameter of exchange N's redirect (its Location header)."""
    index, _, name = reference.partition(".")
    location = locations[int(index)]
    if not location:
        raise Unfilled(f"exchange {index} answered no redirect to read {name!r} from")
    values = parse_qs(urlsplit(location).query).get(name)
    if not values:
        raise Unfilled(f"exchange {index}'s redirect has no {name!r}")
    return values[0]


def request_headers(request: dict[str, Any], merchant: dict[str, str]) -> dict[str, str]:
    """The credentials an exchange's `auth` names, plus what a merchant's server sends with
    a POST (a fresh idempotency key, `x-forwarded-for`); `headers` adds or overrides."""
    sent = {}
    auth = request.get("auth", "private_key")
    if auth == "private_key":
        sent["authorization"] = f"Bearer {merchant['private_key']}"
    elif auth == "apikey":
        sent["apikey"] = merchant["api_access_key"]
    if request["method"] != "GET":
        sent["idempotency-key"] = str(uuid.uuid4())
        sent["x-forwarded-for"] = "203.0.113.7"
    return {**sent, **request.get("headers", {})}


@dataclass
class Host:
    """Where exchanges go: `route(path)` is the base URL serving that path (Clover splits its
    API over several hosts; a local sandbox serves every path); `merchant` the credentials."""

    name: str
    route: Callable[[str], str]
    merchant: dict[str, str]
    http: httpx.Client


class Run:
    """One host's answers to a list of exchanges, in order, each filled from the ones before."""

    def __init__(self, host: Host, encrypt: Encrypt | None = None) -> None:
        self.host, self.encrypt = host, encrypt
        self.answers: list[Any] = []
        self.locations: list[str | None] = []

    def send(self, exchange: dict[str, Any]) -> dict[str, Any]:
        """Clover's answer shape: `{"status", "body", "headers"}` (headers: those that
        matter). Raises Unfilled (nothing sent) when a placeholder cannot be filled."""
        request, merchant = exchange["request"], self.host.merchant
        try:
            path = self._fill(request["path"])
            headers = self._fill(request_headers(request, merchant))
            body = self._fill(request["body"]) if request.get("body") is not None else None
        except Unfilled:
            self.answers.append(None)
            self.locations.append(None)
            raise
        url = self.host.route(path) + path
        response = self.host.http.request(request["method"], url, headers=headers, json=body)
        for _ in range(RATE_LIMIT_RETRIES):  # a limit is not a difference: wait, as it says
            wait = _retry_after(response)
            if wait is None:
                break
            time.sleep(wait)
            response = self.host.http.request(request["method"], url, headers=headers, json=body)
        answer = _json(response)
        self.answers.append(answer)
        self.locations.append(response.headers.get("location"))
        return {
            "status": response.status_code,
            "body": answer,
            "headers": headers_that_matter(response.headers),
        }

    def _fill(self, value: Any) -> Any:
        return fill(value, self.answers, self.locations, self.host.merchant, self.encrypt)


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds a 429 asks to wait (`Retry-After`), if short enough to wait in a tour."""
    if response.status_code != 429:
        return None
    try:
        wait = float(response.headers.get("retry-after", ""))
    except ValueError:
        return None
    return wait if 0 <= wait <= MAX_WAIT_S else None


def _json(response: httpx.Response) -> Any:
    if "json" not in response.headers.get("content-type", ""):
        return None
    try:
        return response.json()
    except ValueError:
        return None
