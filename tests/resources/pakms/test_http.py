"""`GET /pakms/apikey`: the merchant's public key for tokenizing (ref: getapikey)."""

from __future__ import annotations

from tests.support import assert_error, bearer


def test_the_private_key_reads_the_merchants_pakms_key(http, merchant):
    response = http.get("/pakms/apikey", headers=bearer(merchant))
    assert response.status_code == 200, response.text
    key = response.json()
    assert key["apiAccessKey"] == merchant["api_access_key"]
    assert key["merchantUuid"] == merchant["merchant_id"]
    assert key["developerAppUuid"] == merchant["app_id"]
    assert key["active"] is True and key["createdTime"] == key["modifiedTime"]


def test_each_merchant_reads_its_own_key(http, merchant, other_merchant):
    mine = http.get("/pakms/apikey", headers=bearer(merchant)).json()
    theirs = http.get("/pakms/apikey", headers=bearer(other_merchant)).json()
    assert mine["apiAccessKey"] != theirs["apiAccessKey"]
    assert theirs["merchantUuid"] == other_merchant["merchant_id"]


def test_the_public_key_itself_cannot_read_it(http, merchant):
    """The PAKMS key only tokenizes: the endpoint wants the server's Bearer."""
    response = http.get("/pakms/apikey", headers={"apikey": merchant["api_access_key"]})
    assert response.status_code == 401
    assert response.json() == {"message": "401 Unauthorized"}


def test_a_merchant_id_header_must_name_the_credentials_merchant(http, merchant, other_merchant):
    headers = bearer(merchant, **{"x-clover-merchant-id": other_merchant["merchant_id"]})
    response = http.get("/pakms/apikey", headers=headers)
    assert_error(response, 401, "merchant_mismatch", "x-clover-merchant-id")
