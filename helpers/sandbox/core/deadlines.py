"""One watchdog for the bodies being read: a sender that stalls is cut off at its deadline.

A timer per request (`asyncio.timeout`) costs every request a timer made, scheduled and
cancelled, though nearly every body has arrived whole with its headers (issue 27: server
CPU per flow). Instead each event loop keeps the tasks that are reading a body with their
deadlines, and one timer set for the earliest of them: a request pays for an entry in a
dictionary; the timer moves only when a deadline comes earlier than the one it is set for.
"""

from __future__ import annotations

import asyncio
import weakref


class Deadlines:
    """The tasks of one event loop that are reading a body, each with its deadline."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.reading: dict[asyncio.Task[object], float] = {}
        self.expired: set[asyncio.Task[object]] = set()
        self.timer: asyncio.TimerHandle | None = None

    def start(self, task: asyncio.Task[object], seconds: float) -> None:
        """Watch `task`: it is cancelled if it is still reading `seconds` from now."""
        deadline = self.loop.time() + seconds
        self.reading[task] = deadline
        if self.timer is None or deadline < self.timer.when():
            self._set_timer(deadline)

    def stop(self, task: asyncio.Task[object]) -> None:
        self.reading.pop(task, None)

    def passed(self, task: asyncio.Task[object]) -> bool:
        """Whether the cancellation `task` got came from its deadline (told once): then
        the caller takes it back (`task.uncancel()`) and answers for the deadline."""
        if task in self.expired:
            self.expired.discard(task)
            return True
        return False

    def _set_timer(self, when: float) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.timer = self.loop.call_at(when, self._check)

    def _check(self) -> None:
        self.timer = None
        now = self.loop.time()
        for task, deadline in list(self.reading.items()):
            if deadline <= now:
                del self.reading[task]
                self.expired.add(task)
                task.cancel()
        if self.reading:
            self._set_timer(min(self.reading.values()))


_WATCHDOGS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Deadlines] = (
    weakref.WeakKeyDictionary()
)


def watchdog() -> Deadlines:
    """The running event loop's watchdog."""
    loop = asyncio.get_running_loop()
    found = _WATCHDOGS.get(loop)
    if found is None:
        found = _WATCHDOGS[loop] = Deadlines(loop)
    return found
