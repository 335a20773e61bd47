"""One module per Clover resource: its typed objects and the specs of its calls.

Each builder is pure: Python arguments in, a :class:`~helpers.clover.spec.Spec` out, so
the sync and the async client send the very same requests.
"""
