"""One boundary per input: whatever goes wrong with one file, feed, page or story is one
`Problem` naming it, and the briefing is made from the rest.

The stages expect their own errors (a 404, a file that is not text, an engine that
crashed) and word them for the user. `isolated` is the net under those: any other
exception while handling one input, a bug included, becomes one line saying which input
was skipped, and its traceback goes to the log file (INFO, which the log file records
and the terminal does not show). What is wrong with the run rather than with the input
still ends the run: its deadline, a signal, a missing program, bad settings, a full or
read-only disk.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from typing import TypeVar

from briefing.errors import (
    BriefingError,
    DeadlineError,
    LockedError,
    MissingDependencyError,
    OutputError,
    UsageError,
)
from briefing.models import Problem

log = logging.getLogger("briefing")

T = TypeVar("T")

# Faults of the run, not of one input: they end the run however many inputs are left.
RUN_FAULTS: tuple[type[BriefingError], ...] = (
    DeadlineError,
    LockedError,
    MissingDependencyError,
    OutputError,
    UsageError,
)
# A disk that is full or read-only fails every input alike: the run says so once.
_STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


def is_run_fault(exc: BaseException) -> bool:
    """Whether `exc` must end the run instead of skipping one input."""
    if not isinstance(exc, Exception) or isinstance(exc, RUN_FAULTS):
        return True  # KeyboardInterrupt, SystemExit, runtime.Interrupted, ...
    return isinstance(exc, OSError) and exc.errno in _STORAGE_ERRNOS


def isolated(
    where: str, work: Callable[[], T], *, expected: tuple[type[Exception], ...] = ()
) -> T | Problem:
    """`work()`, or a `Problem` naming `where` if it raised anything but a run fault.

    A `BriefingError`, or one of the `expected` errors, keeps its message (it already
    says what to do); any other exception is unexpected: the user gets one line, the
    log file its traceback.
    """
    try:
        return work()
    except Exception as exc:
        if is_run_fault(exc):
            raise
        return problem_of(where, exc, expected)


def problem_of(where: str, exc: Exception, expected: tuple[type[Exception], ...] = ()) -> Problem:
    """The one line for an exception that cost one input, and its traceback in the log."""
    if isinstance(exc, (BriefingError, *expected)):
        log.info("%s: %s", where, exc)
        return Problem(where, str(exc))
    log.info("%s: unexpected %s", where, type(exc).__name__, exc_info=exc)
    detail = " ".join(str(exc).split())[:200]
    kind = type(exc).__name__
    return Problem(
        where,
        f"skipped after an unexpected error ({kind}{': ' + detail if detail else ''}); "
        "the log file has the details, please report it",
    )
