"""The whole-run deadline: no run may hold the output directory's lock past it.

At the deadline the main thread gets a `DeadlineError` (through SIGALRM), so the run
unwinds as for any error: the lock is released, temporary files are removed and nothing
half-made is published (files are renamed into place only when complete). If unwinding
itself is stuck (a thread blocked in a call that ignores signals), a watchdog thread
ends the process GRACE_S later: the kernel releases the lock, the next run removes what
was left, and the log says why. Work that waits on the network in other threads asks
`time_left()` and gives up by itself at the deadline (sources/fetch.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType

from briefing.errors import DeadlineError, ExitCode

log = logging.getLogger("briefing")

GRACE_S = 20.0
# When each deadline in force ends (time.monotonic()), the innermost last.
_ENDS: list[float] = []


def time_left() -> float | None:
    """Seconds until the nearest deadline in force (at most 0 once it has passed), or
    None when the run has none."""
    return min(_ENDS) - time.monotonic() if _ENDS else None


def _message(seconds: float) -> str:
    minutes = f"{seconds / 60:g} minute{'' if seconds == 60 else 's'}"
    return (
        f"the run took longer than its deadline of {minutes} and was stopped; "
        "see the log for the step it was in, or raise [run] deadline"
    )


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Bound the enclosed block to `seconds` (None or 0: no bound)."""
    if not seconds:
        yield
        return
    in_main = threading.current_thread() is threading.main_thread()
    previous = None
    if in_main:

        def expire(signum: int, frame: FrameType | None) -> None:
            raise DeadlineError(_message(seconds))

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    watchdog = threading.Timer(seconds + (GRACE_S if in_main else 0), _give_up, (seconds,))
    watchdog.daemon = True
    watchdog.start()
    _ENDS.append(time.monotonic() + seconds)
    try:
        yield
    finally:
        _ENDS.pop()
        watchdog.cancel()
        if in_main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _give_up(seconds: float) -> None:
    """The last resort: end the process, children first (their process group)."""
    message = _message(seconds) + " (it did not stop when asked, so it was ended)"
    log.error("%s", message)
    for handler in logging.getLogger("briefing").handlers:
        with contextlib.suppress(Exception):
            handler.flush()
    with contextlib.suppress(OSError):
        sys.stderr.write(f"error: {message}\n")
        sys.stderr.flush()
    os._exit(int(ExitCode.ERROR))
