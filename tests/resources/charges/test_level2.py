"""`level2` purchase card data on a charge and on its capture, as Clover documents it
(https://docs.clover.com/docs/capture-a-charge-tutorial lists `level2` among the capture's
body parameters: "Additional data for purchase card transactions (US only)";
https://docs.clover.com/docs/accepting-purchase-cards). The kit refused it as unknown."""

from __future__ import annotations

import pytest

from helpers import Environment
from helpers.clover.operation import Calls
from helpers.clover.resources.charges import Charges
from tests.support import assert_error, bearer, charge

LEVEL2 = {"tax_amount": 124, "customer_reference": "PO-7731", "tax_exempt": False}


def test_a_charge_takes_level2(http, merchant):
    made = charge(http, merchant, 1000, level2=LEVEL2)
    assert made.status_code == 200, made.text
    assert made.json()["status"] == "succeeded"


def test_a_capture_takes_level2(http, merchant):
    auth = charge(http, merchant, 1000, capture=False).json()
    captured = http.post(
        f"/v1/charges/{auth['id']}/capture", headers=bearer(merchant), json={"level2": LEVEL2}
    )
    assert captured.status_code == 200, captured.text
    assert captured.json()["captured"] is True


@pytest.mark.parametrize(
    ("level2", "param"),
    [
        ("PO-7731", "level2"),
        ({"lines": [{"sku": "A"}]}, "level2.lines"),
        ({"customer_reference": "x" * 256}, "level2.customer_reference"),
    ],
)
def test_a_malformed_level2_names_the_field_and_charges_nothing(http, merchant, level2, param):
    refused = charge(http, merchant, 1000, level2=level2)
    assert_error(refused, 400, "invalid_request", param)
    assert http.get("/v1/charges", headers=bearer(merchant)).json()["data"] == []


def test_the_client_sends_a_captures_level2():
    env = Environment.local("http://127.0.0.1:1")
    spec = Charges.capture_charge.spec(Calls(env), "CHARGE", level2=LEVEL2)
    assert spec.json_body == {"level2": LEVEL2}
