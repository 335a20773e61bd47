"""Every HTML page of the sandbox is a Jinja2 template in `templates/`, autoescaped."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.responses import HTMLResponse

from helpers.sandbox.pages import TEMPLATES

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,  # every value a page shows came from a request: escape it
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def money(cents: int) -> str:
    """`$1,234.56`: money is whole cents everywhere, formatted only for display."""
    return f"${cents // 100:,}.{cents % 100:02d}"


_env.filters["money"] = money


def render(
    template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> HTMLResponse:
    """The page `template` filled with `context`, as an HTML response. It always renders:
    a lone surrogate that got past the input checks shows as `\\ud800`, never a 500."""
    page = _env.get_template(template).render(**context)
    return HTMLResponse(page.encode("utf-8", "backslashreplace"), status, headers=headers)


NOT_FRAMED = {"content-security-policy": "frame-ancestors 'none'", "x-frame-options": "DENY"}
"""Headers of a page no other site may frame (clickjacking): the API explorer (it holds the
demo private key, with "try it out"), the home page and the demo shop's checkout (its pay
button charges). The iframe SDK's fields and the 3-D Secure challenge are framed by
merchants' pages on purpose, and do not carry these."""
