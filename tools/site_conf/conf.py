"""Sphinx settings for the course's website (tools/build_site.py stages the sources and runs it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

ROOT = Path(__file__).resolve().parents[2]

project = "Clover Ecommerce payments, in notebooks"
extensions = ["myst_nb"]
root_doc = "index"
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]
# The committed outputs are the lesson: show them, never run the notebooks again.
nb_execution_mode = "off"
nb_merge_streams = True
# GitHub's heading anchors (#paths, #timings), so a link that works there works here.
myst_heading_anchors = 4
myst_enable_extensions = ["colon_fence"]
# ```mermaid blocks stay readable code: no diagram renderer that would fetch a script.
suppress_warnings = ["misc.highlighting_failure", "myst.header"]
html_theme = "alabaster"
html_theme_options = {"description": "A tutorial kit for Clover's Ecommerce API"}
html_sidebars = {"**": ["about.html", "navigation.html", "searchbox.html"]}
html_show_sourcelink = False


class SourceLinks(SphinxPostTransform):
    """A link to a repository file that the site does not render (a module, a test, a
    workbook) points at that file on GitHub; a link to a file that does not exist is left
    for MyST to report, so the build fails on it."""

    default_priority = 5  # before MyST's own resolver (9), which would call it missing

    def run(self, **kwargs: Any) -> None:
        config = self.app.config
        base = f"https://github.com/{config.kit_repository}"
        for node in list(self.document.findall(addnodes.pending_xref)):
            target = node.get("reftarget", "")
            if node.get("reftype") != "myst" or node.get("refdomain") or "://" in target:
                continue
            folder = (ROOT / node.get("refdoc", self.env.docname)).parent
            path = (folder / target.split("#")[0]).resolve()
            if path == ROOT / "README.md":  # the site's home page
                node["refdomain"], node["reftarget"] = "doc", "index"
                node["reftargetid"] = target.partition("#")[2] or None
                continue
            if not path.exists() or not path.is_relative_to(ROOT) or path == ROOT:
                continue
            kind = "tree" if path.is_dir() else "blob"
            url = f"{base}/{kind}/{config.kit_ref}/{path.relative_to(ROOT).as_posix()}"
            reference = nodes.reference("", "", internal=False, refuri=url)
            reference += node.children
            node.replace_self(reference)


def _binder_link(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Each lesson opens on Binder, on the same notebook, from a link above its title."""
    if not pagename.startswith("notebooks/") or "body" not in context:
        return
    url = (
        f"https://mybinder.org/v2/gh/{app.config.kit_repository}/{app.config.kit_ref}"
        f"?urlpath=lab/tree/{pagename}.ipynb"
    )
    link = (
        f'<p class="binder-link"><a href="{url}">Launch this lesson on Binder</a> '
        "(or run it locally: <code>python3 kit.py lab</code>)</p>"
    )
    context["body"] = link + context["body"]


def setup(app: Any) -> None:
    app.add_config_value("kit_repository", "OWNER/REPO", "html")
    app.add_config_value("kit_ref", "HEAD", "html")
    app.add_post_transform(SourceLinks)
    app.connect("html-page-context", _binder_link)
