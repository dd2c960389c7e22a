"""What an unattended `briefing run` tells its user: timestamped output for cron.log, and
the `[notify]` command, run after a failed (or, if asked, any) run.

The notify command is the user's own shell line (ntfy, mail, a script...). What happened
reaches it only through environment variables, never pasted into the line, because the
log's last lines and the error message may quote article headlines and feed URLs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from briefing.errors import BriefingError, ExitCode
from briefing.layout import Layout
from briefing.settings import NotifySettings, Settings

if TYPE_CHECKING:
    from briefing.daily import DailyResult

TAIL_LINES = 20  # of this run's log, for BRIEFING_LOG_TAIL
_TAIL_BYTES = 64_000  # read no more than this from the end of the log
_LINE_CHARS = 500

# BRIEFING_STATUS values.
MADE, ALREADY_MADE, NOTHING, FAILED = "made", "already-made", "nothing-to-brief", "failed"


@dataclass(frozen=True)
class Outcome:
    """How one `briefing run` ended, as the notify command sees it."""

    status: str  # MADE, ALREADY_MADE, NOTHING or FAILED
    exit_code: int
    message: str  # one line: the episode made, or why not
    date: dt.date
    log: Path  # the run's log file (briefing.log)
    episode: Path | None = None  # the day's MP3, when there is one
    upload_error: str | None = None  # [publish] remote set and the upload failed
    started: dt.datetime | None = None  # when the run began: its log lines are the later ones

    @property
    def failed(self) -> bool:
        return self.status == FAILED or self.upload_error is not None

    def environment(self) -> dict[str, str]:
        """The BRIEFING_* variables the notify command gets."""
        values = {
            "BRIEFING_STATUS": self.status,
            "BRIEFING_EXIT_CODE": str(self.exit_code),
            "BRIEFING_MESSAGE": self.message,
            "BRIEFING_DATE": self.date.isoformat(),
            "BRIEFING_EPISODE": str(self.episode) if self.episode is not None else "",
            "BRIEFING_UPLOAD_ERROR": self.upload_error or "",
            "BRIEFING_LOG": str(self.log),
            "BRIEFING_LOG_TAIL": "\n".join(log_tail(self.log, os.getpid(), self.started)),
        }
        return {name: value.replace("\0", "") for name, value in values.items()}


def outcome(
    settings: Settings,
    started: dt.datetime,
    result: DailyResult | None = None,
    *,
    error: Exception | None = None,
) -> Outcome:
    """How a `briefing run` with `settings` that began at `started` ended: with `result`,
    or raising `error`."""
    log = Layout.of(settings.output).log
    if error is not None:
        if isinstance(error, BriefingError):
            status = FAILED if error.failure else NOTHING
            code = error.exit_code
            return Outcome(status, code, str(error), settings.date, log, started=started)
        message = f"unexpected {type(error).__name__}: {error}"
        return Outcome(FAILED, ExitCode.ERROR, message, settings.date, log, started=started)
    assert result is not None
    upload_error = result.upload.error if result.upload is not None else None
    if result.episode is None:
        message = f"{result.mp3} already exists"
        status = ALREADY_MADE
    else:
        message = f"made {result.mp3} ({result.episode.duration_s:.0f} s)"
        status = MADE
    if upload_error is not None:
        message += "; the upload failed"
    return Outcome(
        status, ExitCode.OK, message, settings.date, log, result.mp3, upload_error, started
    )


def notify(settings: NotifySettings, outcome: Outcome) -> list[str]:
    """Run the notify command if this outcome calls for it; its problem, if any, as one
    line for a `warning:`."""
    if settings.command is None or not (outcome.failed or settings.on_success):
        return []
    problem = _run_command(settings, outcome)
    return [problem] if problem is not None else []


def _run_command(settings: NotifySettings, outcome: Outcome) -> str | None:
    assert settings.command is not None
    # Output to a file, not a pipe, and the command in its own process group: a timeout
    # then ends everything it started, and nothing it left behind can hold the run open.
    with tempfile.TemporaryFile() as output:
        try:
            # A shell line, so users can write pipes and quotes; data only in the environment.
            proc = subprocess.Popen(
                ["/bin/sh", "-c", settings.command],
                env={**os.environ, **outcome.environment()},
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        except OSError as exc:
            return f"[notify] command could not be started ({exc.strerror})"
        try:
            code = proc.wait(timeout=settings.timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return f"[notify] command took more than {settings.timeout:g} s and was stopped"
        if code == 0:
            return None
        output.seek(0)
        said = output.read().decode("utf-8", errors="replace").strip().splitlines()
    why = f": {said[-1][:_LINE_CHARS]}" if said else ""
    return f"[notify] command failed (exit status {code}){why}"


def log_tail(
    path: Path, pid: int, since: dt.datetime | None = None, lines: int = TAIL_LINES
) -> list[str]:
    """The last `lines` lines that process `pid` wrote to the log (`TIME [PID] LEVEL ...`),
    from `since` on."""
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, fh.seek(0, os.SEEK_END) - _TAIL_BYTES))
            text = fh.read().decode("utf-8", errors="replace")
    except OSError:
        return []
    mine = re.compile(rf"^(\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d,\d{{3}}) \[{pid}\] ")
    # The log's times have milliseconds; a line stamped in the run's first millisecond counts.
    start = f"{since:%Y-%m-%d %H:%M:%S},{since.microsecond // 1000:03d}" if since else ""
    ours = []
    for line in text.splitlines():
        match = mine.match(line)
        if match and match.group(1) >= start:
            ours.append(line[:_LINE_CHARS])
    return ours[-lines:]


class _Stamped(io.TextIOBase):
    """A text stream that begins each line with the local date and time."""

    def __init__(self, inner: TextIO, clock: Callable[[], dt.datetime]) -> None:
        self.inner = inner
        self.clock = clock
        self.fresh = True  # the next character starts a line

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.inner.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.inner.errors

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False  # no progress bars in a log

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        out = []
        for piece in re.split(r"(?<=\n)", text):
            if not piece:
                continue
            if self.fresh:
                out.append(f"{self.clock():%Y-%m-%d %H:%M:%S} ")
            out.append(piece)
            self.fresh = piece.endswith("\n")
        self.inner.write("".join(out))
        self.inner.flush()  # stdout and stderr interleave in cron.log as they happened
        return len(text)

    def flush(self) -> None:
        self.inner.flush()


@contextlib.contextmanager
def timestamped(what: str, clock: Callable[[], dt.datetime] = dt.datetime.now) -> Iterator[None]:
    """Stamp every line on stdout and stderr, and say when `what` started and how it
    ended (its exit code), for a log that collects many runs (cron.log)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stamped(saved[0], clock), _Stamped(saved[1], clock)
    code: int = ExitCode.OK
    try:
        print(f"{what} started (pid {os.getpid()})", file=sys.stderr)
        try:
            yield
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else ExitCode.ERROR
            raise
        except Exception:
            # Stamped too, which it would not be if Python printed it on the way out.
            traceback.print_exc()
            code = ExitCode.ERROR
            raise SystemExit(code) from None
        except BaseException:  # KeyboardInterrupt: the CLI says "interrupted"
            code = ExitCode.ERROR
            raise
        finally:
            print(f"{what} ended: exit {int(code)}{_named(code)}", file=sys.stderr)
    finally:
        sys.stdout, sys.stderr = saved


def _named(code: int) -> str:
    try:
        return f" ({ExitCode(code).name.lower().replace('_', ' ')})"
    except ValueError:
        return ""
