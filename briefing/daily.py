"""The unattended daily run: one lock, one episode per date, old episodes pruned, a log.

`briefing run` calls `run_daily`; cron may start it while a manual run is going, or twice
on the same morning, and neither may corrupt or duplicate an episode.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import logging
import logging.handlers
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing import __version__, runtime
from briefing.deadline import deadline
from briefing.errors import (
    BriefingError,
    LockedError,
    NotPublishedError,
    OutputError,
    UsageError,
)
from briefing.fsutil import atomic_write_text, explain_write_error, remove_stale_parts
from briefing.journal import Repair, apply_journal, repair_day
from briefing.layout import Layout, file_date
from briefing.models import Episode, Problem, Progress
from briefing.publish import Published, check_base_url, publish
from briefing.publish.remote import Upload, upload, upload_quietly
from briefing.publish.rules import NO_OWNER_EMAIL
from briefing.script import load_template
from briefing.settings import Settings
from briefing.speak import check_engine_name

log = logging.getLogger("briefing")


@dataclass(frozen=True)
class DailyResult:
    mp3: Path
    episode: Episode | None  # None: the episode already existed and nothing was done
    removed: tuple[Path, ...] = ()
    published: Published | None = None  # None: the feed and web page could not be rebuilt
    problems: tuple[Problem, ...] = ()  # after the episode was made (metadata, cache)
    upload: Upload | None = None  # None: no [publish] remote (publish/remote.py)
    notes: tuple[str, ...] = ()  # for the user, not problems: each said once (owner_note)

    def check_published(self) -> None:
        """Raise NotPublishedError when the episode is on disk but not in the feed."""
        if self.published is None:
            raise NotPublishedError(
                f"{self.mp3.name} is made, but feed.xml and index.html could not be "
                "updated (see the warning above); the next run, or `briefing publish`, "
                "adds it once that is fixed"
            )


def run_daily(
    settings: Settings, *, force: bool = False, progress: Progress | None = None
) -> DailyResult:
    """Make the episode for `settings.date` unless it exists; then publish and apply
    retention.

    Every run, the one that finds the day made included, rebuilds the feed, the page and
    each episode's sidecars from what is on disk: an episode published just before a
    crash or a full disk reaches the feed on the next cron run. The whole run is bounded
    by `settings.run.deadline` minutes (briefing/deadline.py).
    """
    # A wrong engine or template name is a usage error even on a day already made:
    # otherwise a broken config stays hidden until the next day's cron run.
    check_engine_name(settings.speech.engine)
    load_template(settings.script.template)
    check_base_url(settings.feed.base_url)
    layout = Layout.of(settings.output)
    audio = layout.episode(settings.date).audio
    _make_output_dir(layout.output_dir)
    with (
        log_to_file(layout.log),
        deadline(settings.run.deadline * 60),
        # Temporary files and child processes die with the run, however it ends.
        runtime.run_scope(),
    ):
        try:
            with output_lock(layout.output_dir):
                # Under the lock no other run is writing here, so any .part file is what
                # a killed run left behind.
                _remove_stale_parts(layout)
                repair = _repair(layout, settings.date)
                if repair.remake and not force:
                    log.warning(
                        "%s does not match its script and sidecar (a remake was stopped "
                        "between them); making the day again",
                        audio.name,
                    )
                    force = True
                if audio.exists() and not force:
                    log.info("%s already exists; nothing to do but publish", audio)
                    published = _republish(settings, layout)
                    # A second run the same day finishes an upload the first could not.
                    uploaded = upload_quietly(settings.publish, layout)
                    return DailyResult(
                        audio,
                        None,
                        published=published,
                        problems=repair.problems,
                        upload=uploaded,
                        notes=owner_note(settings, layout),
                    )
                log.info("making %s", audio)
                # Imported only to make an episode: a cron run that finds the day made
                # answers without loading NLTK, pydub and the engines.
                from briefing import pipeline

                try:
                    episode = pipeline.run(settings, progress)
                except OSError as exc:
                    # Disk full, read-only or no permission, wherever it struck: one line.
                    raise OutputError(explain_write_error(exc, layout.output_dir)) from exc
                log.info("made %s (%.0f s)", episode.mp3, episode.duration_s)
                for problem in episode.problems:
                    log.info("problem: %s", problem, extra=FILE_ONLY)
                # The episode is on disk from here: nothing below may lose it.
                after = _after_making(settings, layout, episode)
                removed: tuple[Path, ...] = ()
                days = settings.output.retention_days
                if days is not None:
                    removed = apply_retention(layout.output_dir, days, keep=settings.date)
                published = publish_quietly(settings)
                uploaded = upload_quietly(settings.publish, layout)  # media, then the feed
                notes = owner_note(settings, layout)
                return DailyResult(audio, episode, removed, published, after, uploaded, notes)
        except BriefingError as exc:
            # The CLI prints the message on stderr; the log file needs it too.
            level = logging.ERROR if exc.failure else logging.INFO  # nothing new: news
            log.log(level, "%s: %s", type(exc).__name__, exc, extra=FILE_ONLY)
            raise
        except runtime.Interrupted as exc:
            log.error("stopped: %s", exc, extra=FILE_ONLY)
            raise
        except Exception:
            log.exception("unexpected failure", extra=FILE_ONLY)
            raise


def _after_making(settings: Settings, layout: Layout, episode: Episode) -> tuple[Problem, ...]:
    """Add the day's journal (written before the MP3, briefing/journal.py) to the history
    and the seen cache. A failure here (a disk filled by the MP3) is a problem to report,
    not a lost episode: the journal stays, and the next run adds it."""
    problems: list[Problem] = []
    try:
        problems += apply_journal(layout, settings.date)
    except OSError as exc:
        why = explain_write_error(exc, layout.state_dir)
        problems.append(
            Problem(
                "history",
                f"{why}; the next run records today's stories (until then tomorrow's "
                "follow-ups are told in full, and some feed stories may be told again)",
            )
        )
    for problem in problems:
        log.info("problem: %s", problem, extra=FILE_ONLY)  # the CLI shows them
    return tuple(problems)


def owner_note(settings: Settings, layout: Layout) -> tuple[str, ...]:
    """Say that Apple Podcasts needs [feed] owner_email, once per output directory (a
    file in the state directory remembers it), so a daily cron run's mail does not
    repeat it. `briefing doctor` says it whenever it is asked; a public feed (base_url
    set) is warned about on every publish instead (publish/rules.py)."""
    feed = settings.feed
    if feed.owner_email or feed.base_url or layout.owner_noted.exists():
        return ()
    # Best effort: a marker that cannot be written only means the note comes again.
    with contextlib.suppress(OSError):
        atomic_write_text(layout.owner_noted, f"{dt.date.today().isoformat()}\n")
    log.info("note: %s", NO_OWNER_EMAIL, extra=FILE_ONLY)
    return (NO_OWNER_EMAIL,)


def _remove_stale_parts(layout: Layout) -> None:
    """Under the lock no other run is writing here, so any .part file in the output or
    state directory is what a killed run left behind."""
    for directory in (layout.output_dir, layout.state_dir):
        for part in remove_stale_parts(directory):
            log.info("removed %s, left by an interrupted run", part)


def _repair(layout: Layout, date: dt.date) -> Repair:
    """Finish the day a killed run or a full disk left incomplete (briefing/journal.py)."""
    repair = repair_day(layout, date)
    for what in repair.repaired:
        log.info("%s: %s", layout.episode(date).audio.name, what)
    for problem in repair.problems:
        log.info("problem: %s", problem, extra=FILE_ONLY)  # the caller shows them
    return repair


def publish_now(settings: Settings) -> Published:
    """`briefing publish`: rebuild the feed and page under the run's lock, so a rebuild
    never races a cron run that is adding or deleting episodes."""
    output_dir = settings.output.output_dir
    _make_output_dir(output_dir)
    with runtime.run_scope(), output_lock(output_dir):
        layout = Layout.of(settings.output)
        if layout.state_dir.is_dir():
            _remove_stale_parts(layout)
        found: list[Problem] = []
        for files in list(layout.episodes()):
            repair = _repair(layout, files.date)
            found += repair.problems
            if repair.remake:
                why = (
                    "does not match its script (a remake was stopped between them); "
                    f"`briefing run --date {files.date}` makes it again"
                )
                found.append(Problem(files.audio.name, why))
        try:
            published = publish(settings)
            published = dataclasses.replace(published, problems=(*found, *published.problems))
        except OSError as exc:  # disk full, read-only: one line, not a traceback
            raise OutputError(explain_write_error(exc, output_dir)) from exc
        if settings.publish.remote is not None:  # asked for: a failed upload is an error
            upload(settings.publish, Layout.of(settings.output))
        return published


def _make_output_dir(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"cannot create the output directory {directory} ({exc.strerror}); "
            "check the path and its permissions"
        ) from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise _unwritable(directory, "permission denied or a read-only file system")


def _republish(settings: Settings, layout: Layout) -> Published | None:
    """On a day already made: publish again only if anything in the output directory or
    the feed settings changed since the last publishing (a crash, a full disk, a file
    deleted or copied in); otherwise the feed is known to be current."""
    if layout.fingerprint(settings.feed, __version__) == _read_text(layout.published):
        log.info("the feed and page are current")
        # Not rescanned: what the caller reads of it is that the feed is there.
        return Published(layout.feed, layout.page, layout.drawn_cover, ())
    return publish_quietly(settings)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def publish_quietly(settings: Settings) -> Published | None:
    """Rebuild feed.xml and index.html; a failure there is a warning, not a lost episode."""
    try:
        published = publish(settings)
        layout = Layout.of(settings.output)
        # Best effort: without it the next run only publishes again.
        with contextlib.suppress(OSError):
            atomic_write_text(layout.published, layout.fingerprint(settings.feed, __version__))
        return published
    except BriefingError as exc:  # publish() turns write failures into OutputError
        log.warning("feed.xml and index.html were not updated: %s", exc)
    return None


@contextlib.contextmanager
def output_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive flock on DIRECTORY/.briefing.lock, or raise LockedError.

    The kernel drops a flock when its process dies, so a run killed by cron or the OOM
    killer never leaves a stale lock behind; the file itself stays and is harmless.
    """
    path = Layout(directory).lock
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _unwritable(directory, exc.strerror) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            raise LockedError(
                f"another briefing run{f' (pid {holder})' if holder.isdigit() else ''} is "
                f"writing to {directory}; wait for it to finish, then run again"
            ) from None
        with contextlib.suppress(OSError):  # the pid is a courtesy; a full disk may refuse it
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the flock


def _unwritable(directory: Path, why: str | None) -> UsageError:
    return UsageError(
        f"cannot write to the output directory {directory} ({why}); "
        "choose another --output or fix its permissions"
    )


def apply_retention(
    directory: Path, days: int, *, keep: dt.date, today: dt.date | None = None
) -> tuple[Path, ...]:
    """Delete `briefing-DATE.*` files dated more than `days` days before today; never `keep`."""
    cutoff = (today or dt.date.today()) - dt.timedelta(days=days)
    removed: list[Path] = []
    for path in sorted(directory.iterdir()):
        date = file_date(path.name)
        if date is None or not path.is_file():
            continue
        if date < cutoff and date != keep:
            try:
                path.unlink()
            except OSError as exc:
                log.warning("could not delete old episode %s (%s)", path, exc.strerror)
                continue
            removed.append(path)
            log.info("retention: deleted %s (older than %d days)", path, days)
    return tuple(removed)


FILE_ONLY = {"file_only": True}  # `extra=` for records the CLI already shows on stderr


class _NotFileOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, "file_only", False)


class _LogFile(logging.handlers.RotatingFileHandler):
    """A log file that stops accepting writes (disk full) says so once, in one line,
    instead of printing a traceback for every record."""

    failed = False

    def handleError(self, record: logging.LogRecord) -> None:
        if not self.failed:
            self.failed = True
            why = sys.exc_info()[1]
            sys.stderr.write(f"warning: cannot write the log file {self.baseFilename} ({why})\n")


@contextlib.contextmanager
def log_to_file(path: Path) -> Iterator[None]:
    """Log INFO and up to `path` (rotated: 5 x 1 MB) and warnings to stderr, for one run."""
    logger = logging.getLogger("briefing")
    saved = logger.level, logger.propagate
    handlers: list[logging.Handler] = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # backslashreplace: a file name that is not UTF-8 must not break the log line.
        to_file = _LogFile(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8", errors="backslashreplace"
        )
    except OSError as exc:
        # No log file must not mean no briefing.
        log.warning("cannot write the log file %s (%s); logging to stderr only", path, exc)
    else:
        to_file.setFormatter(
            logging.Formatter("%(asctime)s [%(process)d] %(levelname)s %(message)s")
        )
        handlers.append(to_file)
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setLevel(logging.WARNING)
    to_stderr.addFilter(_NotFileOnly())
    to_stderr.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    handlers.append(to_stderr)
    for handler in handlers:
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the root handler would print INFO lines on stderr
    try:
        yield
    finally:
        for handler in handlers:
            logger.removeHandler(handler)
            handler.close()
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
