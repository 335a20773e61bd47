"""The shop's web layer on a fake Clover: prices, CSRF, the CAPTCHA step, the CSP of the
payment page, the admin password, and answers fit to show a shopper."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from helpers import CloverClient
from shop import Settings, create_app
from shop.db import opened

from .conftest import ADMIN
from .fakes import DECLINE_TOKEN, FakeClover
from .shopper import Shopper

TOKEN = "clv_1TSTapprove0000000000000"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database=str(tmp_path / "shop.sqlite3"),
        secret_key="test-secret-key",
        admin_password=ADMIN[1],
    )


@pytest.fixture
def app(settings: Settings, fake_client: CloverClient) -> Any:
    return create_app(settings, client=fake_client)


@pytest.fixture
def shopper(app: Any) -> Shopper:
    return Shopper(app)


def test_the_cart_is_priced_on_the_server(shopper: Shopper) -> None:
    shopper.add("MUG-01", 2, price="1", amount="1")  # a tampered form: extra fields ignored
    cart = shopper.http.get("/cart").text
    assert re.search(r'id="cart-total">\$24\.00<', cart)


def test_unknown_products_and_quantities_are_refused(shopper: Shopper) -> None:
    assert shopper.add("NOPE-01").status_code == 400
    assert shopper.add("MUG-01", 0).status_code == 400
    assert "between 1 and 20" in shopper.add("MUG-01", 500).text
    words = shopper.http.post(
        "/cart", data={"csrf_token": shopper.csrf(), "sku": "MUG-01", "quantity": "two"}
    )
    assert words.status_code == 400 and "whole number" in words.text


def test_an_approval_over_http(shopper: Shopper, fake: FakeClover) -> None:
    order_id = shopper.buy()
    answer = shopper.pay(order_id, TOKEN)
    assert answer.status_code == 200
    assert answer.json()["outcome"] == "paid"
    assert fake.charge_requests()[0].headers["x-forwarded-for"] == "198.51.100.23"
    receipt = shopper.http.get(f"/orders/{order_id}").text
    assert 'data-status="paid"' in receipt and 'id="pay"' not in receipt


def test_a_decline_over_http(shopper: Shopper) -> None:
    answer = shopper.pay(shopper.buy(), DECLINE_TOKEN)
    assert answer.status_code == 402
    assert answer.json()["message"].startswith("Your card was declined.")


def test_the_body_never_sets_the_amount(shopper: Shopper, fake: FakeClover) -> None:
    order_id = shopper.buy()
    shopper.pay(order_id, TOKEN, body={"amount": 1})
    assert b'"amount":2400' in fake.charge_requests()[0].content


@pytest.mark.parametrize(
    ("method", "path", "form"),
    [
        ("post", "/cart", {"sku": "MUG-01"}),
        ("post", "/checkout", {}),
    ],
)
def test_forms_without_the_csrf_token_are_refused(
    shopper: Shopper, method: str, path: str, form: dict[str, str]
) -> None:
    shopper.csrf()
    answer = getattr(shopper.http, method)(path, data={**form, "csrf_token": "forged"})
    assert answer.status_code == 403
    assert "expired" in answer.text


def test_pay_without_the_csrf_header_is_refused(shopper: Shopper, fake: FakeClover) -> None:
    order_id = shopper.buy()
    answer = shopper.pay(order_id, TOKEN, headers={"x-csrf-token": "forged"})
    assert answer.status_code == 403
    assert fake.requests == []


def test_another_session_cannot_pay_or_see_an_order(app: Any, shopper: Shopper) -> None:
    order_id = shopper.buy()
    stranger = Shopper(app)
    assert stranger.http.get(f"/orders/{order_id}").status_code == 404
    csrf = stranger.csrf()
    answer = stranger.http.post(
        "/pay", json={"order_id": order_id, "token": TOKEN}, headers={"x-csrf-token": csrf}
    )
    assert answer.status_code == 404


def test_a_wrong_captcha_answer_stops_the_charge(shopper: Shopper, fake: FakeClover) -> None:
    order_id = shopper.buy()
    _, _, captcha = shopper.payment_page(order_id)
    wrong = str(int(captcha["captcha_answer"]) + 1)
    answer = shopper.pay(order_id, TOKEN, body={"captcha": {**captcha, "captcha_answer": wrong}})
    assert answer.status_code == 403
    assert answer.json()["outcome"] == "captcha_failed"
    assert "question" in answer.json()["captcha"]
    missing = shopper.pay(order_id, TOKEN, body={"captcha": {}})
    assert missing.status_code == 403
    assert fake.requests == []


def test_a_captcha_ticket_is_bound_to_its_order(shopper: Shopper, fake: FakeClover) -> None:
    first = shopper.buy()
    _, _, captcha = shopper.payment_page(first)
    second = shopper.buy()
    answer = shopper.pay(second, TOKEN, body={"captcha": captcha})
    assert answer.status_code == 403
    assert fake.requests == []


def test_the_payment_page_lists_exactly_its_scripts(shopper: Shopper) -> None:
    page, config, _ = shopper.payment_page(shopper.buy())
    policy = dict(
        part.partition(" ")[::2] for part in page.headers["content-security-policy"].split("; ")
    )
    assert policy["script-src"].split() == [
        "http://testserver/static/checkout.js",
        "http://clover.test/sdk.js",
    ]
    assert policy["frame-src"] == "http://clover.test/"
    assert policy["default-src"] == "'none'"
    assert policy["connect-src"] == "'self'"
    scripts = re.findall(r"<script\b[^>]*>", page.text)
    sources = [re.search(r'src="([^"]+)"', tag) for tag in scripts]
    assert sorted(s[1] for s in sources if s) == sorted(policy["script-src"].split())
    # the only script without a src is the JSON data block, which never runs
    assert [tag for tag in scripts if "src=" not in tag] == [
        '<script type="application/json" id="checkout-config">'
    ]
    assert config["apiAccessKey"] == "fake-public-key"
    assert "fake-private-key" not in page.text


def test_other_pages_run_no_script(shopper: Shopper) -> None:
    policy = shopper.http.get("/").headers["content-security-policy"]
    assert "script-src" not in policy and "default-src 'none'" in policy


def test_the_session_cookie_is_httponly_and_samesite(app: Any) -> None:
    cookie = Shopper(app).http.get("/").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")


def test_admin_needs_the_password(shopper: Shopper) -> None:
    assert shopper.http.get("/admin").status_code == 401
    assert shopper.http.get("/admin", auth=("admin", "wrong")).status_code == 401
    assert shopper.http.get("/admin", auth=ADMIN).status_code == 200


def test_admin_is_off_without_a_password(tmp_path: Path, fake_client: CloverClient) -> None:
    app = create_app(Settings(database=str(tmp_path / "s.db")), client=fake_client)
    answer = Shopper(app).http.get("/admin", auth=("admin", ""))
    assert answer.status_code == 503
    assert "SHOP_ADMIN_PASSWORD" in answer.text


def _refund_form(shopper: Shopper, order_id: str) -> dict[str, str]:
    page = shopper.http.get("/admin", auth=ADMIN).text
    row = page[page.index(f'data-order="{order_id}"') :]
    key = re.search(r'name="request_key" value="([^"]+)"', row)
    assert key
    return {"csrf_token": shopper.csrf(), "request_key": key[1], "confirm": "yes"}


def test_admin_refunds_part_then_the_rest(shopper: Shopper, fake: FakeClover) -> None:
    order_id = shopper.buy()
    shopper.pay(order_id, TOKEN)
    form = _refund_form(shopper, order_id)
    page = shopper.http.post(
        f"/admin/orders/{order_id}/refund", data={**form, "amount": "4.00"}, auth=ADMIN
    )
    assert page.status_code == 200
    assert "Refund $4.00: succeeded" in page.text
    # the same form posted again (a reload) refunds nothing more
    shopper.http.post(
        f"/admin/orders/{order_id}/refund", data={**form, "amount": "4.00"}, auth=ADMIN
    )
    assert len(fake.refunds) == 1
    page = shopper.http.post(
        f"/admin/orders/{order_id}/refund", data=_refund_form(shopper, order_id), auth=ADMIN
    )
    assert f'data-order="{order_id}" data-status="refunded"' in page.text
    assert [r["amount"] for r in fake.refunds] == [400, 2000]


def test_a_refund_asks_for_confirmation_first(shopper: Shopper, fake: FakeClover) -> None:
    order_id = shopper.buy()
    shopper.pay(order_id, TOKEN)
    form = {k: v for k, v in _refund_form(shopper, order_id).items() if k != "confirm"}
    asked = shopper.http.post(
        f"/admin/orders/{order_id}/refund", data={**form, "amount": "4.00"}, auth=ADMIN
    )
    assert asked.status_code == 200 and fake.refunds == []
    assert "Refund $4.00?" in asked.text and "cannot be undone" in asked.text
    yes = re.search(r'<form method="post" action="([^"]+)" class="confirm-refund">', asked.text)
    assert yes and 'class="danger" id="confirm-refund"' in asked.text
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', asked.text))
    assert hidden == {**form, "amount": "4.00", "confirm": "yes"}
    done = shopper.http.post(yes[1], data=hidden, auth=ADMIN)
    assert "Refund $4.00: succeeded" in done.text
    assert [r["amount"] for r in fake.refunds] == [400]


def test_the_admin_page_tells_each_orders_story(shopper: Shopper, fake: FakeClover) -> None:
    """Date, items, how payment was tried and its declines; refund styled as destructive,
    reconcile offered on Hosted Checkout orders only; a footer link on every page."""
    declined = shopper.buy("TEE-01", 2)
    shopper.pay(declined, DECLINE_TOKEN)
    paid = shopper.buy()
    shopper.pay(paid, TOKEN)
    assert 'id="admin-link"' in shopper.http.get("/").text
    page = shopper.http.get("/admin", auth=ADMIN).text
    row = page[page.index(f'data-order="{declined}"') :].split("</tr>")[0]
    assert "2 \u00d7 Sandbox T-shirt" in row
    assert "card fields" in row
    assert 'data-declines="1"' in row and "1 declined (last: card_declined)" in row
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", row)
    assert "Reconcile with Clover" not in page  # no Hosted Checkout order here
    paid_row = page[page.index(f'data-order="{paid}"') :].split("</tr>")[0]
    assert 'class="danger">Refund' in paid_row
    assert 'class="table-scroll"' in page


def test_admin_refund_needs_csrf_and_a_sane_amount(shopper: Shopper, fake: FakeClover) -> None:
    order_id = shopper.buy()
    shopper.pay(order_id, TOKEN)
    form = _refund_form(shopper, order_id)
    forged = shopper.http.post(
        f"/admin/orders/{order_id}/refund", data={**form, "csrf_token": "x"}, auth=ADMIN
    )
    assert forged.status_code == 403
    bad = shopper.http.post(
        f"/admin/orders/{order_id}/refund", data={**form, "amount": "1.005"}, auth=ADMIN
    )
    assert bad.status_code == 400 and "two decimals" in bad.text
    assert fake.refunds == []


def test_admin_fulfils_a_paid_order_once(shopper: Shopper, settings: Settings) -> None:
    order_id = shopper.buy()
    shopper.pay(order_id, TOKEN)
    form = {"csrf_token": shopper.csrf()}
    url = f"/admin/orders/{order_id}/fulfil"
    assert shopper.http.post(url, data=form, auth=ADMIN).status_code == 200
    again = shopper.http.post(url, data=form, auth=ADMIN)
    assert again.status_code == 409 and "cannot become fulfilled" in again.text
    with opened(settings.database) as connection:
        (status,) = connection.execute("SELECT status FROM orders").fetchone()
    assert status == "fulfilled"


def test_with_recaptcha_the_csp_lists_googles_scripts(
    tmp_path: Path, fake_client: CloverClient, fake: FakeClover
) -> None:
    settings = Settings(
        database=str(tmp_path / "s.db"),
        secret_key="k",
        captcha="recaptcha",
        recaptcha_site_key="site-key-public",
        recaptcha_secret_key="site-key-secret",
    )
    shopper = Shopper(create_app(settings, client=fake_client))
    order_id = shopper.buy()
    page = shopper.http.get(f"/orders/{order_id}")
    assert 'data-sitekey="site-key-public"' in page.text
    assert "site-key-secret" not in page.text
    policy = page.headers["content-security-policy"]
    assert "https://www.google.com/recaptcha/api.js https://www.gstatic.com/recaptcha/" in policy
    assert "frame-src http://clover.test/ https://www.google.com/recaptcha/" in policy
    csrf = shopper.csrf()
    answer = shopper.http.post(
        "/pay",
        json={"order_id": order_id, "token": TOKEN, "captcha": {}},
        headers={"x-csrf-token": csrf},
    )
    assert answer.status_code == 403  # no reCAPTCHA answer: refused without asking Google
    assert fake.requests == []


def test_the_shoppers_ip_comes_from_a_trusted_proxy_only(
    tmp_path: Path, fake_client: CloverClient, fake: FakeClover
) -> None:
    for trust, expected in ((False, "198.51.100.23"), (True, "192.0.2.44")):
        settings = Settings(database=str(tmp_path / f"{trust}.db"), trust_proxy=trust)
        shopper = Shopper(create_app(settings, client=fake_client))
        order_id = shopper.buy()
        shopper.pay(order_id, TOKEN, headers={"x-forwarded-for": "192.0.2.44, 10.0.0.1"})
        assert fake.charge_requests()[-1].headers["x-forwarded-for"] == expected


def test_every_page_has_a_favicon_and_an_admin_link(shopper: Shopper) -> None:
    icon = shopper.http.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    linked = shopper.http.get("/static/favicon.svg")
    assert linked.status_code == 200 and linked.content == icon.content
    for path in ("/", "/cart"):
        text = shopper.http.get(path).text
        assert 'rel="icon"' in text and 'id="admin-link"' in text


def test_the_payment_page_lists_the_test_cards_and_remove_is_secondary(
    shopper: Shopper,
) -> None:
    shopper.add("MUG-01")
    cart = shopper.http.get("/cart").text
    assert 'value="remove" class="secondary">Remove' in cart
    order_id = shopper.checkout()
    page = shopper.http.get(f"/orders/{order_id}").text
    cards = page[page.index('id="test-cards"') :].split("</div>")[0]
    assert "<code>4242 4242 4242 4242</code> approved" in cards
    assert "<code>4005 5717 0222 2222</code> declined" in cards
    # a local sandbox: the development setting's card too (SHOP_LOCAL_TEST_CARDS' default)
    assert "<code>4000 0099 0000 0517</code> declined for insufficient funds" in cards
    assert 'id="captcha-answer" class="text-field"' in page


def test_local_test_cards_are_a_development_setting_not_the_kits_code() -> None:
    """Issue 27: the shop took the local decline card from the kit's modules; it is now
    configuration (SHOP_LOCAL_TEST_CARDS), checked when read."""
    assert Settings.from_env({}).local_test_cards == (
        ("4000009900000517", "declined for insufficient funds (local sandbox only)"),
    )
    chosen = Settings.from_env({"SHOP_LOCAL_TEST_CARDS": "4000 0099 0000 0541=expired; "})
    assert chosen.local_test_cards == (("4000009900000541", "expired"),)
    assert Settings.from_env({"SHOP_LOCAL_TEST_CARDS": ""}).local_test_cards == ()
    with pytest.raises(ValueError, match="NUMBER=what it does"):
        Settings.from_env({"SHOP_LOCAL_TEST_CARDS": "4000009900000541"})
