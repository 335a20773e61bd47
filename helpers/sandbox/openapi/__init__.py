"""The sandbox describes itself: an OpenAPI 3.1 document of its routes (document.py), built
from its route table (app.py), its request parsers run on a probe (core/probe.py) and the
errors its handlers can reach (errors.py); the explorer page (explorer.py) shows it."""
