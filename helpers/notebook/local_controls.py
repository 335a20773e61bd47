"""The local sandbox's own controls, from a notebook: faults, rate limits, its request log,
its clock, the Hosted Checkout session lifetime, a reset to the seeded start. Clover has
nothing like them; they exist so that a notebook can show failures and time passing that
Clover's real sandbox cannot.
The webhook URL and its signing secret are set here too, where Clover has its dashboard.

The requests themselves are the client wing's :class:`~helpers.clover.local_sandbox.LocalSandbox`
(the one owner of the ``/_sandbox/`` protocol); this one adds what a learner reads: tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..clover import local_sandbox

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["LocalSandbox"]

WEBHOOK_COLUMNS = ["event", "event_status", "attempt", "response_status", "delivered", "error"]
REQUEST_COLUMNS = [
    "seq",
    "method",
    "path",
    "idempotency_key",
    "status",
    "replayed",
    "faults",
    "result",
]


class LocalSandbox(local_sandbox.LocalSandbox):
    """The controls of the local sandbox that ``client`` talks to, for its merchant: those
    of the client wing, with what the sandbox saw and delivered as tables."""

    def requests(self, path: str | None = None, limit: int = 100) -> pd.DataFrame:
        """What the sandbox saw for this merchant, oldest first, masked, as a table."""
        import pandas as pd

        frame = pd.DataFrame(self.request_log(path, limit), columns=REQUEST_COLUMNS)
        frame["faults"] = frame["faults"].map(lambda fired: ", ".join(fired))
        frame["status"] = frame["status"].astype("Int64")
        return frame

    def set_webhook(
        self, url: str | None, *, max_attempts: int | None = None, retry_base_ms: int | None = None
    ) -> str:
        """Send this merchant's webhooks to ``url`` (None: nowhere), as Clover's dashboard
        does; returns the new signing secret. A failed delivery is retried after
        ``retry_base_ms`` (1000), then twice as long each time, ``max_attempts`` (6) in all."""
        settings = self.point_webhooks(url, max_attempts=max_attempts, retry_base_ms=retry_base_ms)
        return str(settings["secret"])

    def webhook_deliveries(self) -> pd.DataFrame:
        """Every attempt to deliver this merchant's webhooks, oldest first, as a table."""
        import pandas as pd

        frame = pd.DataFrame(self.webhook_attempts(), columns=WEBHOOK_COLUMNS)
        frame["response_status"] = frame["response_status"].astype("Int64")
        return frame

    def app_webhook_deliveries(self, app_id: str | None = None) -> pd.DataFrame:
        """Every delivery attempt of the app's webhook messages, oldest first."""
        import pandas as pd

        columns = ["attempt", "response_status", "delivered", "updates", "error"]
        return pd.DataFrame(self.app_webhook_attempts(app_id), columns=columns)
