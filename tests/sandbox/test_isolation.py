"""One merchant's credentials never see or change another merchant's objects."""

from __future__ import annotations

from tests.support import bearer, charge


def test_other_merchants_objects_look_exactly_like_missing_ones(http, merchant, other_merchant):
    sale = charge(http, merchant, 2000).json()
    refund = http.post(
        "/v1/refunds", headers=bearer(merchant), json={"charge": sale["id"], "amount": 100}
    ).json()
    theirs = bearer(other_merchant)

    def same_as_missing(path: str, missing_path: str, method: str = "GET", **kw) -> None:
        seen = http.request(method, path, headers=theirs, **kw)
        absent = http.request(method, missing_path, headers=bearer(other_merchant), **kw)
        assert seen.status_code == absent.status_code == 404
        assert seen.json()["error"]["code"] == absent.json()["error"]["code"]

    same_as_missing(f"/v1/charges/{sale['id']}", "/v1/charges/NOSUCHCHARGE1")
    same_as_missing(f"/v1/refunds/{refund['id']}", "/v1/refunds/NOSUCHREFUND1")
    same_as_missing(
        f"/v1/charges/{sale['id']}/capture", "/v1/charges/NOSUCHCHARGE1/capture", "POST", json={}
    )
    attempt = http.post("/v1/refunds", headers=theirs, json={"charge": sale["id"]})
    assert attempt.status_code == 404
    assert http.get("/v1/charges", headers=theirs).json()["data"] == []
    assert (
        http.get("/v1/refunds", headers=theirs, params={"charge": sale["id"]}).json()["data"] == []
    )
    unchanged = http.get(f"/v1/charges/{sale['id']}", headers=bearer(merchant)).json()
    assert unchanged["amount_refunded"] == 100


def test_pakms_answers_the_callers_own_key(http, merchant, other_merchant):
    for m in (merchant, other_merchant):
        key = http.get("/pakms/apikey", headers=bearer(m)).json()
        assert key["apiAccessKey"] == m["api_access_key"]
        assert key["merchantUuid"] == m["merchant_id"]
        assert key["active"] is True
        assert set(key) == {
            "apiAccessKey",
            "merchantUuid",
            "developerAppUuid",
            "active",
            "createdTime",
            "modifiedTime",
        }


def test_pakms_with_a_bad_token_is_a_bare_401(http):
    response = http.get("/pakms/apikey", headers={"authorization": "Bearer nope"})
    assert response.status_code == 401 and response.json() == {"message": "401 Unauthorized"}
