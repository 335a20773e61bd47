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
    """The page `template` filled with `context`, as an HTML response.

    Text UTF-8 cannot carry (a lone surrogate, as JavaScript's `slice()` through an emoji
    leaves) shows as `?` rather than failing the page: the API refuses such text, but a
    page must render whatever was stored before, or it could never be opened again.
    """
    html = _env.get_template(template).render(**context)
    return HTMLResponse(html.encode("utf-8", "replace"), status, headers=headers)
