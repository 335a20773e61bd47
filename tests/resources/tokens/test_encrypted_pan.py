"""`encrypted_pan` on /v1/tokens and the key published at /assets/keys.json."""

from __future__ import annotations

import base64

import httpx
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.support import VISA, assert_error, bearer

OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
DECLINE = "4005571702222222"


def published_key(http: httpx.Client, name: str = "TA_PUBLIC_KEY_DEV") -> rsa.RSAPublicKey:
    raw = base64.b64decode(http.get("/assets/keys.json").json()[name])
    modulus, exponent = raw[:256], raw[256:]
    numbers = rsa.RSAPublicNumbers(int.from_bytes(exponent, "big"), int.from_bytes(modulus, "big"))
    return numbers.public_key()


def encrypt(key: rsa.RSAPublicKey, text: str, pad: padding.AsymmetricPadding = OAEP) -> str:
    return base64.b64encode(key.encrypt(text.encode(), pad)).decode()


def post_encrypted(
    http: httpx.Client, merchant: dict[str, str], pan: str, **card: object
) -> httpx.Response:
    body = {k: v for k, v in VISA.items() if k != "number"}
    body.update(
        {
            "first6": pan[:6],
            "last4": pan[-4:],
            "encrypted_pan": encrypt(published_key(http), "00000000" + pan),
            **card,
        }
    )
    return http.post(
        "/v1/tokens",
        headers={"apikey": merchant["api_access_key"]},
        json={"card": {k: v for k, v in body.items() if v is not None}},
    )


def test_keys_json_publishes_one_rsa_key_under_clovers_names(http):
    answer = http.get("/assets/keys.json")
    assert answer.status_code == 200
    assert set(answer.json()) == {"TA_PUBLIC_KEY_DEV", "TA_PUBLIC_KEY_PROD"}
    key = published_key(http)
    assert key.key_size == 2048 and key.public_numbers().e == 65537
    assert published_key(http, "TA_PUBLIC_KEY_PROD").public_numbers() == key.public_numbers()
    assert "PRIVATE" not in answer.text


def test_an_encrypted_number_tokenizes_and_charges_like_a_clear_one(http, merchant):
    response = post_encrypted(http, merchant, "4242424242424242", transarmor_key_id="k-1")
    assert response.status_code == 200, response.text
    token = response.json()
    assert token["card"]["first6"] == "424242" and token["card"]["last4"] == "4242"
    assert token["card"]["brand"] == "VISA"
    charge = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={"amount": 1358, "currency": "usd", "source": token["id"]},
    )
    assert charge.status_code == 200 and charge.json()["status"] == "succeeded"


def test_the_test_card_outcome_survives_encryption(http, merchant):
    token = post_encrypted(http, merchant, DECLINE).json()["id"]
    charge = http.post(
        "/v1/charges",
        headers=bearer(merchant),
        json={"amount": 500, "currency": "usd", "source": token},
    )
    assert_error(charge, 402, "card_declined")


@pytest.mark.parametrize(
    ("card", "param"),
    [
        ({"first6": "424243"}, "card.first6"),
        ({"last4": "4241"}, "card.last4"),
    ],
)
def test_first6_and_last4_must_match_the_encrypted_number(http, merchant, card, param):
    response = post_encrypted(http, merchant, "4242424242424242", **card)
    assert_error(response, 400, "invalid_number", param)


def test_first6_and_last4_are_required_with_an_encrypted_number(http, merchant):
    response = post_encrypted(http, merchant, "4242424242424242", last4=None)
    assert_error(response, 400, "invalid_request", "card.last4")


@pytest.mark.parametrize(
    "make",
    [
        lambda key: "not base64!",
        lambda key: base64.b64encode(b"x" * 256).decode(),
        lambda key: encrypt(key, "00000000" + "4242424242424242", padding.PKCS1v15()),
        lambda key: encrypt(
            rsa.generate_private_key(65537, 2048).public_key(), "00000000" + "4242424242424242"
        ),
        lambda key: encrypt(key, "4242424242424242"),
        lambda key: encrypt(key, "00000000" + "4242-4242-4242-4242"),
        lambda key: "",
        lambda key: 4242,
    ],
    ids=[
        "not-base64",
        "not-a-ciphertext",
        "wrong-padding",
        "another-key",
        "no-prefix",
        "not-digits",
        "empty",
        "not-a-string",
    ],
)
def test_a_ciphertext_that_does_not_decrypt_to_a_card_number_is_refused(http, merchant, make):
    """Not a valid encrypted PAN is `invalid_request` on Clover's error-code page ("The value
    provided in card.number is not a valid raw or encrypted PAN", Token;
    https://docs.clover.com/docs/ecommerce-error-codes)."""
    card = {**VISA, "first6": "424242", "last4": "4242", "encrypted_pan": make(published_key(http))}
    card.pop("number")
    response = http.post(
        "/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={"card": card}
    )
    error = assert_error(response, 400, "invalid_request", "card.encrypted_pan")
    assert error["type"] == "card_error"
    assert "4242424242424242" not in error["message"]


def test_an_encrypted_number_that_fails_luhn_is_invalid_number(http, merchant):
    """It decrypts to a PAN, an invalid one: `invalid_number` ("The PAN provided in
    card.number is invalid", https://docs.clover.com/docs/ecommerce-error-codes)."""
    sealed = encrypt(published_key(http), "00000000" + "4242424242424241")
    card = {**VISA, "first6": "424242", "last4": "4241", "encrypted_pan": sealed}
    card.pop("number")
    response = http.post(
        "/v1/tokens", headers={"apikey": merchant["api_access_key"]}, json={"card": card}
    )
    assert_error(response, 400, "invalid_number")


def test_number_and_encrypted_pan_together_are_refused(http, merchant):
    response = post_encrypted(http, merchant, "4242424242424242", number="4242424242424242")
    assert_error(response, 400, "invalid_request", "card.number")


def test_the_database_keeps_no_encrypted_or_clear_number(tmp_path):
    from helpers.sandbox import Sandbox

    db = tmp_path / "sandbox.sqlite3"
    with Sandbox(seed=4, db=db) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        merchant = http.get("/_sandbox/merchants").json()[0]
        assert post_encrypted(http, merchant, "4242424242424242").status_code == 200
    stored = db.read_bytes().decode("latin-1")
    assert "4242424242424242" not in stored and "encrypted" not in stored
