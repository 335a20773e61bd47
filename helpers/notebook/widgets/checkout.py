"""A notebook checkout: Clover's hosted card fields inside a cell output.

The widget loads the host's ``sdk.js`` in the browser, mounts the card iframes, and
sends back to Python only what a merchant is allowed to hold: the single-use ``clv_``
token and a masked card summary. Card numbers and CVVs stay inside the iframes, so
they never reach the kernel, the notebook file, or its outputs. On a laptop the iframes
come from the sandbox's own address, another origin than JupyterLab's, so the notebook
page cannot read them either; through the Jupyter proxy (Binder, a hub) they share the
page's origin, a limit of serving a stand-in through one server that Clover's do not have.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import anywidget
import traitlets

_HERE = Path(__file__).parent
_MASK = "\u2022\u2022\u2022\u2022"
_CARD_KEYS = ("brand", "last4", "exp_month", "exp_year")
NO_FRONT_END = "KIT_NO_FRONT_END"
"""Set to ``1`` by the runs that have no page to type into (the suite's nbval, and
tools/execute_notebooks.py): only they may stand in for the shopper."""


def mask_token(token: str) -> str:
    """``clv_••••WXYZ``: enough to tell tokens apart, not enough to use one."""
    if not token:
        return ""
    return f"clv_{_MASK}{token[-4:]}"


class TokenId(str):
    """A ``clv_`` token that prints masked, so a stray repr never shows it whole.

    It is still the real token: pass it as ``source`` when creating a charge.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(mask_token(self))

    @property
    def masked(self) -> str:
        return mask_token(self)


class _TokenTrait(traitlets.Unicode):
    """A synced string that Python reads as a :class:`TokenId`."""

    def validate(self, obj: Any, value: Any) -> TokenId:
        return TokenId(super().validate(obj, value))


class CheckoutWidget(anywidget.AnyWidget):
    """Card fields from the Clover host; ``token`` fills in when the shopper clicks.

    ``sdk_url`` is the URL the *browser* uses for ``sdk.js`` (for the local sandbox,
    ``sandbox.url + "/sdk.js"``, or the proxied URL on a JupyterHub). A notebook cell
    cannot wait for the click, so read ``has_token`` and ``token`` in a later cell.
    """

    _esm = _HERE / "checkout.js"
    _css = _HERE / "checkout.css"

    sdk_url = traitlets.Unicode().tag(sync=True)
    api_access_key = traitlets.Unicode().tag(sync=True)
    merchant_id = traitlets.Unicode().tag(sync=True)
    amount = traitlets.Int(None, allow_none=True).tag(sync=True)
    locale = traitlets.Unicode("en").tag(sync=True)

    token = _TokenTrait("").tag(sync=True)
    card = traitlets.Dict().tag(sync=True)
    errors = traitlets.Dict().tag(sync=True)
    status = traitlets.Unicode("new").tag(sync=True)

    def __init__(
        self,
        sdk_url: str,
        api_access_key: str,
        merchant_id: str,
        amount: int | None = None,
        **kwargs: Any,
    ) -> None:
        if not sdk_url:
            raise ValueError("sdk_url is required: the browser-facing URL of sdk.js.")
        if not api_access_key:
            raise ValueError("api_access_key (the merchant's PAKMS key) is required.")
        if amount is not None and (
            isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0
        ):
            raise ValueError("amount is a positive number of cents, or None.")
        super().__init__(
            sdk_url=sdk_url,
            api_access_key=api_access_key,
            merchant_id=merchant_id,
            amount=amount,
            **kwargs,
        )

    @traitlets.validate("card")
    def _keep_card_summary(self, proposal: dict[str, Any]) -> dict[str, str]:
        """Hold only the masked summary, whatever the browser sends."""
        card = proposal["value"] or {}
        return {key: str(card[key]) for key in _CARD_KEYS if card.get(key) is not None}

    @property
    def has_token(self) -> bool:
        """True once the browser has sent back a token."""
        return bool(self.token)

    @property
    def on_screen(self) -> bool:
        """True unless this run has no front end at all (``KIT_NO_FRONT_END=1``: nbval,
        tools/execute_notebooks.py), so only a shopper may make the token.

        The kernel cannot see a page for itself: Run All sends every cell before the page
        draws the widget, so a later cell still reads ``status == "new"`` in a live
        JupyterLab; and a front end's widget manager first speaks to the kernel only after it
        has drawn a widget. So the runs with no page say so, and every other run waits for
        the shopper.
        """
        return self.status != "new" or os.environ.get(NO_FRONT_END) != "1"

    @property
    def card_summary(self) -> str:
        """``VISA ••••4242 12/30``, or an empty string before a token exists."""
        if not self.card:
            return ""
        brand = self.card.get("brand", "")
        last4 = self.card.get("last4", "")
        month = str(self.card.get("exp_month", ""))
        year = str(self.card.get("exp_year", ""))[-2:]
        expiry = f" {month}/{year}" if month and year else ""
        return f"{brand} {_MASK}{last4}{expiry}".strip()

    def clear(self) -> None:
        """Forget the token (tokens are single use), ready for the next card."""
        self.set_trait("token", "")
        self.card = {}
        self.errors = {}
        self.status = "ready"

    def __repr__(self) -> str:
        parts = [f"merchant_id={self.merchant_id!r}", f"status={self.status!r}"]
        if self.amount is not None:
            parts.append(f"amount={self.amount}")
        if self.token:
            parts.append(f"token={self.token!r}")
        if self.card:
            parts.append(f"card={self.card_summary!r}")
        if self.errors:
            parts.append(f"errors={self.errors!r}")
        return f"CheckoutWidget({', '.join(parts)})"
