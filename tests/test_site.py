"""The course as a website: it builds offline from the committed notebooks and docs, and
every internal link and anchor in it leads somewhere (tools/build_site.py, `kit.py site`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import site_links  # noqa: E402
from build_site import build  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("site") / "site"
    return out, build(out, repository="example/kit", ref="v1")


def test_the_site_builds_with_no_warning_and_no_broken_link(built):
    _, problems = built
    assert problems == []


def test_each_lesson_is_a_page_with_its_outputs_and_a_binder_link(built):
    out, _ = built
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        page = (out / "notebooks" / notebook.with_suffix(".html").name).read_text()
        binder = f"mybinder.org/v2/gh/example/kit/v1?urlpath=lab/tree/notebooks/{notebook.name}"
        assert binder in page, f"{notebook.name}: no Binder link"
    # a stored output, not only the code: lesson 06's charge table shows dollars
    assert "$42.00" in (out / "notebooks" / "06_capture_and_refunds.html").read_text()


def test_the_home_page_is_the_readme_and_links_out_of_the_site_go_to_github(built):
    out, _ = built
    home = (out / "index.html").read_text()
    assert "Clover Ecommerce payments, in notebooks" in home
    assert 'href="notebooks/01_iframe_and_api_flow.html"' in home
    assert "https://github.com/example/kit/blob/v1/notebooks/exercises/01_" in home


def test_the_link_checker_finds_a_missing_page_and_a_missing_anchor(tmp_path):
    (tmp_path / "a.html").write_text('<h1 id="top">A</h1><a href="b.html#nowhere">b</a>'
                                     '<a href="c.html">c</a><a href="#top">up</a>'
                                     '<a href="https://example.org/x">out</a>')  # fmt: skip
    (tmp_path / "b.html").write_text('<p id="here">B</p>')
    assert site_links.broken_links(tmp_path) == [
        "a.html: b.html#nowhere (no such anchor)",
        "a.html: c.html (no such file)",
    ]
