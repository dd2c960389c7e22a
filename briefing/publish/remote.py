"""Publish beyond the LAN: copy the published files to your own host with rclone.

`[publish] remote` is any rclone destination (S3, WebDAV, SFTP, Dropbox and many more).
A podcast app may read the remote feed at any moment and the upload may die at any
point, so the files go in an order that keeps the remote feed honest:

1. the episodes (audio and sidecars) and the cover: everything the feed and page link to.
   A file new there goes straight to its name, which no feed there lists yet; a file that
   changed here (a remade episode) is uploaded aside, into `ASIDE/`, and moved over the
   old one only once it is all there: a podcast app never downloads half of it;
2. index.html, then feed.xml last, sent every time (rclone may not see a same-size
   change), each aside and then moved into place;
3. remote episode files deleted here (retention) are deleted there, unless the local
   feed or page still links to them.

A failed step stops the upload, so the remote feed only ever lists files that are whole;
the next upload starts over and sends only what is missing or changed. rclone runs as a
subprocess, never through a shell, against one deadline for the whole upload, and its
last error line becomes the one line the user sees (with any password in an rclone
connection string hidden).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import BriefingError, ConfigError, MissingDependencyError, UploadError
from briefing.layout import Layout, file_date
from briefing.settings import PublishSettings

log = logging.getLogger("briefing")

INSTALL_HINT = "sudo apt-get install rclone (macOS: brew install rclone)"
# Give up in seconds, not minutes, when the host is down: the next run retries anyway.
# rclone reads its flags from RCLONE_* variables too: a user's own setting wins.
_PATIENCE = {"RCLONE_RETRIES": "2", "RCLONE_LOW_LEVEL_RETRIES": "3", "RCLONE_CONTIMEOUT": "15s"}
_DIRECTORY_NOT_FOUND = 3  # rclone's exit code
# Connection-string parameters that hold secrets: pass=..., client_secret=..., token=...
_SECRET = re.compile(
    r"(?i)(\b[\w-]*(?:pass|secret|token|key)[\w-]*=)('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[^,:]*)"
)
_LOG_PREFIX = re.compile(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d (?:[A-Z]+\s*: )?")

Progress = Callable[[str, int, int], None]  # (step, done, total), before each step
# Where a changed file waits until it is all there, inside the remote directory.
ASIDE = ".briefing-upload"
STEPS = ("copying the episodes", "copying the feed and page", "deleting old episodes")


@dataclass(frozen=True)
class Upload:
    remote: str  # as shown to the user: passwords hidden
    episodes: int = 0  # episodes whose files were synced
    deleted: tuple[str, ...] = ()  # remote files deleted because retention removed them here
    error: str | None = None  # set by `upload_quietly` when the upload failed

    def summary(self) -> str:
        gone = f"; deleted {len(self.deleted)} old file(s) there" if self.deleted else ""
        return f"uploaded {self.episodes} episode(s), the feed and the page to {self.remote}{gone}"


def shown(remote: str) -> str:
    """`remote` with the values of password-like connection-string parameters hidden."""
    return _SECRET.sub(r"\1***", remote)


def find_rclone() -> str:
    path = shutil.which("rclone")
    if path is None:
        raise MissingDependencyError(
            f"rclone is not installed, and [publish] remote needs it; install it with: "
            f"{INSTALL_HINT}, or remove [publish] remote"
        )
    return path


def upload(
    settings: PublishSettings, layout: Layout, *, progress: Progress | None = None
) -> Upload:
    """Copy the output directory's published files to `settings.remote`, media first,
    then the feed and page, then delete what retention removed here. Raises UploadError
    (or MissingDependencyError, ConfigError) and leaves the remote feed consistent."""
    rclone = _Rclone(settings)
    out = layout.output_dir
    with _step(rclone, 0, progress):
        media = _media(layout)
        there = set(rclone.list_files() or ())
        rclone.copy(out, [name for name in media if name not in there])
        rclone.replace(out, [name for name in media if name in there])
    with _step(rclone, 1, progress):
        for page in (layout.page, layout.feed):  # the feed last: it points at the rest
            if page.is_file():
                rclone.replace(out, [page.name], always=True)
    with _step(rclone, 2, progress):
        deleted = _stale(rclone.list_files(), layout)
        rclone.delete(deleted)
    if progress is not None:
        progress("uploaded", len(STEPS), len(STEPS))
    result = Upload(rclone.shown, sum(1 for _ in layout.episodes()), tuple(deleted))
    log.info("%s", result.summary())
    return result


# What a failure at each step leaves on the remote.
_LEFT = (
    "the feed there was not changed, and every episode it lists is still whole there "
    "(a changed file is uploaded aside and moved into place only once complete)",
    "the new episodes are there, but the feed there may not list them yet",
    "the feed there is current; old episodes are still there",
)


@contextlib.contextmanager
def _step(rclone: _Rclone, index: int, progress: Progress | None) -> Iterator[None]:
    if progress is not None:
        progress(STEPS[index], index, len(STEPS))
    try:
        yield
    except _Failed as exc:
        raise UploadError(
            f"upload to {rclone.shown} failed while {STEPS[index]}: {exc}; {_LEFT[index]}; "
            "`briefing publish` retries, and so does the next run"
        ) from None


def upload_quietly(settings: PublishSettings, layout: Layout) -> Upload | None:
    """The daily run's upload: None without a remote; a failure is logged and returned,
    never raised, so the episode just made stands (the next run resumes the upload)."""
    if settings.remote is None:
        return None
    try:
        return upload(settings, layout)
    except (BriefingError, OSError) as exc:
        why = str(exc)
        if isinstance(exc, OSError):  # the output directory could not be read
            why = f"upload to {shown(settings.remote)} failed: {exc}; fix that and run again"
        # file_only (daily.py's mark): the CLI shows it as a `warning:` line itself.
        log.warning("%s", why, extra={"file_only": True})
        return Upload(shown(settings.remote), error=why)


def probe(settings: PublishSettings, timeout: float = 30) -> str:
    """For `briefing doctor`: list the remote once; a line saying what is there."""
    rclone = _Rclone(settings, timeout=timeout)
    try:
        names = rclone.list_files()
    except _Failed as exc:
        raise UploadError(f"cannot reach {rclone.shown}: {exc}") from None
    if names is None:
        return f"{rclone.shown} is reachable; the first upload creates the directory"
    episodes = {file_date(name) for name in names} - {None}
    return f"{rclone.shown} is reachable and holds {len(episodes)} episode(s)"


def _media(layout: Layout) -> list[str]:
    """Names of every file the feed and page link to: each episode's files and the cover."""
    names = [p.name for ep in layout.episodes() for p in ep.all() if p.is_file()]
    return names + [p.name for p in layout.covers if p.is_file()]


def _stale(remote_names: list[str] | None, layout: Layout) -> list[str]:
    """Remote episode files that are gone here and that the local feed and page no
    longer link to (a feed that failed to rebuild may still list one)."""
    try:
        local = {p.name for p in layout.output_dir.iterdir()}
    except OSError:
        return []  # cannot tell what is gone: delete nothing
    linked = ""
    for page in (layout.feed, layout.page):
        with contextlib.suppress(OSError):  # unreadable: it links to nothing we keep
            linked += page.read_text(encoding="utf-8", errors="replace")
    return [
        name
        for name in remote_names or []
        if file_date(name) is not None and name not in local and name not in linked
    ]


class _Failed(Exception):
    """An rclone command failed; the message says why, in one line."""


class _Rclone:
    """rclone commands against one remote, sharing one deadline."""

    def __init__(self, settings: PublishSettings, timeout: float | None = None) -> None:
        if settings.remote is None:
            raise ConfigError("no [publish] remote is set; set it to an rclone destination")
        config = settings.rclone_config
        if config is not None and not config.is_file():
            raise ConfigError(
                f"[publish] rclone_config {config} does not exist; fix the path, or leave it "
                "out to use rclone's own config file"
            )
        self.exe = find_rclone()
        self.remote = settings.remote
        self.shown = shown(settings.remote)
        self.config = config
        self.timeout = settings.timeout if timeout is None else timeout
        self.deadline = time.monotonic() + self.timeout

    def copy(self, source: Path, names: Sequence[str], *, always: bool = False) -> None:
        if not names:
            return
        # An absolute source: rclone would read "out:put" or "-x" as a remote or a flag.
        args = ["copy", str(source.absolute()), self.remote, "--files-from-raw", "-"]
        self._run([*args, *(["--ignore-times"] if always else [])], "\n".join(names))

    def replace(self, source: Path, names: Sequence[str], *, always: bool = False) -> None:
        """Upload the files of `names` that differ there (all of them, `always`) into
        ASIDE, then move each complete one over its old version (a rename where the
        remote can)."""
        if not names:
            return
        aside = self.join(ASIDE)
        args = ["copy", str(source.absolute()), aside, "--files-from-raw", "-"]
        which = ["--ignore-times"] if always else ["--compare-dest", self.remote]
        self._run([*args, *which], "\n".join(names))
        uploaded = self._run(["lsf", aside, "--files-only", "--max-depth", "1"], missing_ok=True)
        for name in (uploaded or "").splitlines():
            self._run(["moveto", self.join(f"{ASIDE}/{name}"), self.join(name)])
        with contextlib.suppress(_Failed):
            self._run(["rmdir", aside])  # tidy; a leftover empty directory is harmless

    def join(self, name: str) -> str:
        """The remote path of `name` inside the remote directory."""
        return f"{self.remote}{'' if self.remote.endswith((':', '/')) else '/'}{name}"

    def list_files(self) -> list[str] | None:
        """The file names at the top of the remote directory; None if it does not exist."""
        args = ["lsf", self.remote, "--files-only", "--max-depth", "1"]
        out = self._run(args, missing_ok=True)
        return None if out is None else out.splitlines()

    def delete(self, names: Sequence[str]) -> None:
        if names:
            args = ["delete", self.remote, "--files-from-raw", "-", "--max-depth", "1"]
            self._run(args, "\n".join(names))

    def _run(self, args: list[str], stdin: str = "", *, missing_ok: bool = False) -> str | None:
        left = self.deadline - time.monotonic()
        config = ["--config", str(self.config)] if self.config is not None else []
        command = [self.exe, *args, "-q", *config]
        try:
            if left <= 0:
                raise subprocess.TimeoutExpired(command, self.timeout)
            done = subprocess.run(
                command,
                input=stdin,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=left,
                env={**_PATIENCE, **os.environ},
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise _Failed(
                f"rclone took more than {self.timeout:g} s ([publish] timeout) and was stopped"
            ) from None
        except OSError as exc:
            raise _Failed(f"cannot run {self.exe} ({exc.strerror})") from None
        if done.returncode == _DIRECTORY_NOT_FOUND and missing_ok:
            return None
        if done.returncode != 0:
            raise _Failed(self._reason(done.stderr, done.returncode))
        return done.stdout

    def _reason(self, stderr: str, code: int) -> str:
        lines = [_LOG_PREFIX.sub("", line).strip() for line in stderr.splitlines()]
        lines = [line for line in lines if line]
        last = (lines[-1] if lines else f"rclone exited with status {code}").replace(
            self.remote, self.shown
        )
        if "didn't find section in config file" in last:
            name = self.remote.split(":", 1)[0]
            where = self.config or "rclone's config file (`rclone config file` says where)"
            return (
                f"rclone has no remote named {name!r} in {where}; add it with `rclone config`, "
                "or set [publish] rclone_config to the file that has it"
            )
        return _SECRET.sub(r"\1***", last)
