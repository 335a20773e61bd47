"""One package per Clover resource: `routes.py` speaks HTTP, `model.py` changes the store."""
