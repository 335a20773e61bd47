"""The ``check`` that closes each "Your turn" exercise in the notebooks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["check"]


def check(
    condition: bool | Callable[[], Any],
    success_message: str = "Well done!",
    hint: str = "Not yet: read the step above again.",
) -> None:
    """Print a ✅ when the exercise is right; otherwise fail with a hint, not a traceback hunt.

    ``condition`` may be a callable, so a check can inspect things that raise when the
    exercise is unfinished (a name not defined yet, a missing key).
    """
    try:
        passed = condition() if callable(condition) else condition
    except Exception as exc:
        raise AssertionError(f"❌ {hint} ({type(exc).__name__}: {exc})") from exc
    if not passed:
        raise AssertionError(f"❌ {hint}")
    print(f"✅ {success_message}")
