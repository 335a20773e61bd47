"""The sandbox's HTML pages (Jinja2 templates) and static files (sdk.js, card fields).

Stdlib only, so that the Jupyter server can find the launcher icon without loading the app.
"""

from pathlib import Path

STATIC = Path(__file__).with_name("static")
TEMPLATES = Path(__file__).with_name("templates")
