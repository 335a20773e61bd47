"""A Clover error in a notebook, shown as the learner's own line and Clover's answer.

Raised from deep inside the client, a :class:`~helpers.clover.errors.CloverError` would
show a screenful of the kit's frames and of httpx's, with the paths of the machine that ran
them; what a learner needs is the line of their cell that failed and ``err.code``. Only
notebooks get this (``connect()`` installs it in IPython); scripts keep Python's traceback.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["HIDDEN_NOTE", "learner_frames", "show_clover_errors_briefly"]

PACKAGE = Path(__file__).resolve().parents[1]  # helpers/
HIDDEN_NOTE = (
    "(the client's own frames are hidden: err.code, err.status and err.body hold Clover's "
    "answer, and err.__traceback__ the whole traceback)"
)


def _in_package(tb: TracebackType) -> bool:
    return Path(tb.tb_frame.f_code.co_filename).resolve().is_relative_to(PACKAGE)


def learner_frames(tb: TracebackType | None) -> TracebackType | None:
    """The frames before the first one inside ``helpers``: the learner's cell and their
    own functions. The traceback the error carries is left whole."""
    kept: list[TracebackType] = []
    while tb is not None and not (kept and _in_package(tb)):
        kept.append(tb)
        tb = tb.tb_next
    if not kept:
        return None
    head: TracebackType | None = None
    for frame in reversed(kept):  # copies, so that err.__traceback__ keeps every frame
        head = TracebackType(head, frame.tb_frame, frame.tb_lasti, frame.tb_lineno)
    return head


def show_clover_errors_briefly() -> None:
    """Make IPython show a CloverError, and an exercise's failed check, with the learner's
    frames only (once per kernel): a check's own lines hold the hints still to come."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_clover_errors_brief", False):
        return
    from ..clover.errors import CloverError
    from .checks import CheckFailed

    def brief(
        shell: Any, etype: type[BaseException], value: BaseException, tb: Any, tb_offset: Any = None
    ) -> list[str]:
        structured: list[str] = shell.InteractiveTB.structured_traceback(
            etype, value, learner_frames(tb), tb_offset=tb_offset
        )
        if isinstance(value, CloverError):
            structured.append(HIDDEN_NOTE)
        # IPython leaves the showing to the handler (it drops what the handler returns)
        shell._showtraceback(etype, value, structured)
        return structured

    shell.set_custom_exc((CloverError, CheckFailed), brief)
    shell._clover_errors_brief = True
