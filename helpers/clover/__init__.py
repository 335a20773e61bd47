"""What a merchant's app would ship: the client (sync and async over one base), one module
per Clover resource, OAuth, errors, retries, the journal, webhooks and card rules."""
