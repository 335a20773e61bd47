"""OAuth v2's paths (www and api hosts), each with its OpenAPI operation; app.py gathers them."""

from __future__ import annotations

from starlette.routing import BaseRoute

from helpers.sandbox.openapi.operation import Operation, route
from helpers.sandbox.resources.oauth import routes as oauth


def routes() -> list[BaseRoute]:
    return [
        route(
            "/oauth/v2/authorize",
            oauth.authorize,
            "GET",
            auth="none",
            doc=Operation(
                "Ask the merchant to install the app (the consent page, or a redirect)",
                "OAuth",
                "oauth",
                "https://docs.clover.com/dev/docs/use-oauth-2-0",
                media="text/html",
                query=("client_id", "redirect_uri", "merchant_id", "state", "code_challenge"),
            ),
        ),
        route(
            "/oauth/v2/authorize",
            oauth.consent,
            "POST",
            auth="none",
            parse_json=False,
            doc=Operation(
                "The consent page's form: Allow or Deny (a browser posts it; redirects)",
                "OAuth",
                "oauth",
                "https://docs.clover.com/dev/docs/use-oauth-2-0",
                media="text/html",
            ),
        ),
        route(
            "/oauth/v2/token",
            oauth.exchange_code,
            "POST",
            auth="none",
            doc=Operation(
                "Exchange an authorization code for an access and refresh token",
                "OAuth",
                "api",
                "https://docs.clover.com/dev/docs/use-oauth-2-0",
                body=oauth.exchange_request,
                example={"client_id": "KTAPPDEM0A1B2", "code": "CODE", "client_secret": "SECRET"},
                response="OAuthTokens",
                query=("no_refresh_token",),  # docs: refresh-access-tokens
            ),
        ),
        route(
            "/oauth/v2/refresh",
            oauth.refresh,
            "POST",
            auth="none",
            doc=Operation(
                "Exchange a refresh token for a new token pair",
                "OAuth",
                "api",
                "https://docs.clover.com/dev/docs/refresh-access-tokens",
                body=oauth.refresh_request,
                example={"client_id": "KTAPPDEM0A1B2", "refresh_token": "REFRESH_TOKEN"},
                response="OAuthTokens",
            ),
        ),
    ]
