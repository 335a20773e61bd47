"""Apple Pay's domain-verification file, as the local sandbox serves it (local choice).

Apple asks every web domain that shows an Apple Pay button to serve a verification file at
`/.well-known/apple-developer-merchantid-domain-association` (Apple: "Preparing merchant
domains for verification", https://developer.apple.com/documentation/applepaywebmerchantregistrationapi/preparing-merchant-domains-for-verification);
Clover's Apple Pay page
(dev: clover-iframe-features-apple-pay,
https://docs.clover.com/dev/docs/clover-iframe-features-apple-pay) lets only merchants with a
validated ecommerce website domain and subdomain use the button. The local sandbox serves a
placeholder at that path, so a page can check the path is reachable; it proves nothing to
Apple. A real shop hosts, on its own HTTPS domain, the file its Clover onboarding gives it.
"""

from __future__ import annotations

from starlette.responses import Response

from helpers.sandbox.core.http import Call

PLACEHOLDER = (
    "Local sandbox placeholder for Apple Pay domain verification.\n"
    "A real shop serves the file Clover gives it, unchanged, at this path on its own HTTPS "
    "domain (and on every subdomain that shows the button).\n"
)


def domain_association(call: Call) -> Response:
    """`GET /.well-known/apple-developer-merchantid-domain-association`: the placeholder."""
    return Response(
        PLACEHOLDER, 200, media_type="text/plain", headers={"cache-control": "no-cache"}
    )
