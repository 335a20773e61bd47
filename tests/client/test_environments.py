from __future__ import annotations

import dataclasses

import pytest

from helpers import ENVIRONMENTS, Environment


def test_sandbox_hosts_match_clover_reference() -> None:
    env = ENVIRONMENTS["sandbox"]
    assert env.oauth_authorize_url == "https://sandbox.dev.clover.com"
    assert env.oauth_token_url == "https://apisandbox.dev.clover.com"
    assert env.ecommerce_url == "https://scl-sandbox.dev.clover.com"
    assert env.tokenizer_url == "https://token-sandbox.dev.clover.com"
    assert env.checkout_url == "https://checkout.sandbox.dev.clover.com"
    assert env.hosted_checkout_url == "https://apisandbox.dev.clover.com"
    assert env.pakms_url == env.ecommerce_url
    assert env.browser_url == env.checkout_url
    assert env.sdk_url == "https://checkout.sandbox.dev.clover.com/sdk.js"


def test_production_hosts_match_clover_reference() -> None:
    env = ENVIRONMENTS["production"]
    assert env.oauth_authorize_url == "https://www.clover.com"
    assert env.oauth_token_url == "https://api.clover.com"
    assert env.ecommerce_url == "https://scl.clover.com"
    assert env.tokenizer_url == "https://token.clover.com"
    assert env.checkout_url == "https://checkout.clover.com"
    assert env.hosted_checkout_url == "https://api.clover.com"
    assert env.pakms_url == "https://scl.clover.com"
    assert not env.is_local


def test_local_serves_every_host_from_one_origin() -> None:
    env = Environment.local("http://127.0.0.1:8765/")
    hosts = {getattr(env, f.name) for f in dataclasses.fields(env) if f.name.endswith("_url")}
    assert hosts == {"http://127.0.0.1:8765"}
    assert env.is_local
    assert env.name == "local"


def test_local_browser_url_can_differ_from_the_kernel_url() -> None:
    env = Environment.local("http://127.0.0.1:8765", browser_url="https://hub.example/proxy/8765/")
    assert env.ecommerce_url == "http://127.0.0.1:8765"
    assert env.browser_url == "https://hub.example/proxy/8765"
    assert env.sdk_url == "https://hub.example/proxy/8765/sdk.js"
    moved = ENVIRONMENTS["sandbox"].with_browser_url("https://proxy.example")
    assert moved.browser_url == "https://proxy.example"
    assert moved.checkout_url == "https://checkout.sandbox.dev.clover.com"


def test_environment_is_frozen() -> None:
    env = Environment.local("http://x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        env.ecommerce_url = "http://y"  # type: ignore[misc]
