"""Start `python -m helpers.sandbox` as a child process and learn its URL: the one way.

kit.py, the tests and the benchmarks all start the sandbox this way. Standard library
only, so that kit.py can import it under the system Python, before `.venv` has the
sandbox's dependencies (`helpers.sandbox` itself loads nothing until a name is used).
binder/start, a shell script, starts the same command with the same flags.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["SandboxDidNotStart", "start_sandbox_process"]

URL = re.compile(r"http://\S+:\d+")


class SandboxDidNotStart(RuntimeError):
    """The command ended, or printed no URL, instead of serving."""


def start_sandbox_process(
    *,
    python: str | os.PathLike[str] = sys.executable,
    host: str | None = None,
    port: int = 0,
    seed: int | str | None = None,
    db: str | os.PathLike[str] | None = None,
    extra: Sequence[str] = (),
    capture_stderr: bool = False,
    on_banner: Callable[[str], None] | None = None,
) -> tuple[subprocess.Popen[str], str]:
    """The sandbox serving on `port` (0: a free one) and its base URL, read from the first
    line it prints. `on_banner` gets that line (the demo credentials). The caller stops
    the process; on failure it is stopped here and `SandboxDidNotStart` says why."""
    command = [str(python), "-m", "helpers.sandbox", "--port", str(port)]
    if host is not None:
        command += ["--host", host]
    if seed is not None:
        command += ["--seed", str(seed)]
    if db is not None:
        command += ["--db", str(Path(db))]
    command += list(extra)
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if capture_stderr else None,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = URL.search(line)
    if match is None:
        if process.poll() is None:
            process.kill()
        errors = process.stderr.read() if process.stderr is not None else ""
        process.wait(timeout=10)
        raise SandboxDidNotStart(
            f"`{' '.join(command[1:])}` printed no URL: {line.strip() or errors.strip()}"
        )
    if on_banner is not None:
        on_banner(line.strip())
    return process, match.group()
