"""`GET /ach.html`: the iframe's ACH_ELEMENTS form (dev: iframe-customize-ach-elements-with-css,
https://docs.clover.com/dev/docs/iframe-customize-ach-elements-with-css), served with the
card fields' lock-down and Clover's generic sandbox agreement id (docs: create-an-ach-token)."""

from __future__ import annotations

from helpers.sandbox.resources.ach.model import SANDBOX_AGREEMENT


def test_the_form_carries_the_agreement_and_the_consent(http):
    response = http.get("/ach.html?element=ACH_ELEMENTS")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert f'data-agreement="{SANDBOX_AGREEMENT}"' in response.text
    assert 'id="ACH_CONSENT"' in response.text
    assert "docs.clover.com/docs/internet-check-acceptance" in response.text
    assert "I authorize" not in response.text  # no made-up disclaimer: Clover's templates
    assert 'src="static/ach-form.js"' in response.text


def test_its_script_is_served(http):
    response = http.get("/static/ach-form.js")
    assert response.status_code == 200 and "ACH_ROUTING_NUMBER" in response.text
