"""03's exercise check: Harbor installed on the low-trust app passes; a token from the wrong
authorization, or from the high-trust app, fails with a hint (not a traceback)."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import check_harbor_install, oauth_app
from helpers.notebook.checks import CheckFailed


def install(app: Any, merchant_id: str) -> Any:
    asked = app.authorize(merchant_id=merchant_id)
    return app.exchange(app.approve_locally(asked), asked)


@pytest.fixture
def apps(live: Any) -> tuple[Any, Any]:
    environment = live.environment
    high = oauth_app(environment, redirect_uri="https://pinewood-shop.example/oauth/callback")
    spa = oauth_app(environment, redirect_uri="https://pinewood-shop.example/app/cb", pkce=True)
    return high, spa


def test_harbor_installed_on_spa_passes(
    apps: tuple[Any, Any], other_live: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _, spa = apps
    check_harbor_install(spa, install(spa, other_live.merchant_id), other_live.merchant_id)
    assert "✅" in capsys.readouterr().out


def test_pinewoods_token_fails_with_the_authorization_hint(
    apps: tuple[Any, Any], live: Any, other_live: Any
) -> None:
    _, spa = apps
    with pytest.raises(CheckFailed, match=r"Which authorization|approve_locally\(harbor_asked\)"):
        check_harbor_install(spa, install(spa, live.merchant_id), other_live.merchant_id)


def test_harbor_installed_on_the_high_trust_app_fails_with_a_hint(
    apps: tuple[Any, Any], other_live: Any
) -> None:
    high, spa = apps
    with pytest.raises(CheckFailed, match=r"has not approved `spa`|spa\.authorize"):
        check_harbor_install(spa, install(high, other_live.merchant_id), other_live.merchant_id)
