"""What every resource shares: HTTP plumbing, store, ids, field checks, lists, errors, state."""
