"""What every resource shares: HTTP plumbing, store, ids, field checks, lists, errors, and
the Protocol of the state it asks of a running sandbox (state.py)."""
