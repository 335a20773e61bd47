from __future__ import annotations

from collections.abc import Iterator

import pytest

from helpers import AppWebhookReceiver


@pytest.fixture
def receiver() -> Iterator[AppWebhookReceiver]:
    with AppWebhookReceiver() as running:
        yield running
