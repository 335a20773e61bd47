"""Moving the sandbox clock in bounded steps, so other requests keep their latency.

Clover has no clock to move: this is the kit's (docs/choices.md, "The sandbox clock and
expirations"). One move may cross years of renewals (issue 23: P50Y with three daily
subscriptions made 54,786 charge attempts in one request and held every other request
for 6.8 s). So a move runs as a series of units, each at most `STEP_ATTEMPTS` charge
attempts, committed on its own; between them the event loop serves other requests. While
it runs, `GET /_sandbox/clock` answers `status: "advancing"` with `advancing_to` (as
Stripe's test clocks report `advancing` until `ready`), and another move is refused
(409 `clock_advancing`). The `POST` still answers once the whole move is done, so the
request forms notebooks use (`advance_ms`, `advance`, `to`) work as they did.

Requests served during a move see the clock where the move has got to: an object they
make is dated then. A reset during a move stops it at the next step. Each step commits
whole or not at all; when the database refuses one after others were written, the answer
is a 503 that says where the clock stopped (the steps before it stand). A step never
runs while another request's unit is open across an await (`store.in_unit`), so it never
joins, commits or undoes that request's work.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from helpers.sandbox.core import times
from helpers.sandbox.core.errors import ApiError, storage_failed
from helpers.sandbox.core.store import StorageError, Store
from helpers.sandbox.resources.recurring import billing

STEP_ATTEMPTS = 8
"""Charge attempts per step: about 2 ms of work, the longest another request waits."""


@dataclass
class Move:
    target_ms: int
    attempts: int = 0
    stopped: bool = False


_moves: dict[int, Move] = {}
"""The move under way, by store (one sandbox, one store, at most one move)."""


def reading(store: Store) -> dict[str, Any]:
    """`now` dates new objects; `moved_ms` is how far the clock was moved in all, which
    expirations (OAuth tokens, checkout sessions) also run ahead of the real clock by;
    `status` is `advancing` while a move runs, else `ready`."""
    now = store.sequence.now_ms()
    answer: dict[str, Any] = {
        "now": now,
        "now_iso": times.iso(now),
        "moved_ms": store.sequence.offset_ms,
        "status": "ready",
    }
    move = _moves.get(id(store))
    if move is not None:
        answer.update(
            status="advancing",
            advancing_to=times.iso(move.target_ms),
            renewal_attempts=move.attempts,
        )
    return answer


def clock_advancing(move: Move) -> ApiError:
    return ApiError(
        409,
        "invalid_request_error",
        "clock_advancing",
        f"The clock is moving to {times.iso(move.target_ms)}; wait for that move to answer "
        "(GET /_sandbox/clock says status ready), then move it again.",
    )


def partial_move(store: Store, move: Move) -> ApiError:
    """A step's write failed after earlier steps were written: say where the clock is."""
    return ApiError(
        503,
        "api_error",
        "processing_error",
        f"The sandbox could not save a step of this clock move to its database; the clock "
        f"stopped at {times.iso(store.sequence.now_ms())} with the {move.attempts} renewal "
        "attempts before it kept. Free disk space or fix the database file's permissions "
        "(the sandbox's console names the file), then move the clock again.",
    )


def check_free(store: Store) -> None:
    move = _moves.get(id(store))
    if move is not None:
        raise clock_advancing(move)


def stop(store: Store) -> None:
    """A reset: the move under way stops at its next step."""
    move = _moves.get(id(store))
    if move is not None:
        move.stopped = True


async def advance(store: Store, target_ms: int) -> int:
    """Run every renewal and retry due up to `target_ms`, in steps; answers how many
    charge attempts were made."""
    check_free(store)
    move = _moves[id(store)] = Move(target_ms)
    try:
        while not move.stopped:
            while store.in_unit:  # another request's unit is open across an await
                await asyncio.sleep(0.001)
            try:
                attempts, done = _step(store, target_ms)
            except ApiError:
                if move.attempts == 0:
                    raise  # nothing was written: the storage error says so
                raise partial_move(store, move) from None
            move.attempts += attempts
            if done:
                break
            await asyncio.sleep(0)
    finally:
        _moves.pop(id(store), None)
    return move.attempts


def _step(store: Store, target_ms: int) -> tuple[int, bool]:
    """One unit: at most `STEP_ATTEMPTS` attempts, written whole or not at all."""
    store.begin()
    try:
        attempts, done = billing.run_some(store, target_ms, limit=STEP_ATTEMPTS)
        store.commit()
    except StorageError:
        raise storage_failed() from None  # the commit rolled memory back
    except BaseException:
        store.rollback()
        raise
    finally:
        store.end()
    return attempts, done
