"""Atomic file writes: a phone sync or a crash must never see half a file."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from briefing.errors import OutputError


class Staged:
    """A file being written at `path`, beside `target`, until `commit()` renames it over
    `target`. Files that must appear together are staged together and committed in order,
    each only once all are complete (the script, then the MP3 that marks it made)."""

    def __init__(self, target: Path, path: Path) -> None:
        self.target = target
        self.path = path
        self.committed = False
        self._synced = False

    def sync(self) -> None:
        """Flush to disk: where a full disk shows (delayed allocation), before any commit."""
        if not self._synced:
            with open(self.path, "rb+") as fh:
                os.fsync(fh.fileno())
            self._synced = True

    def commit(self) -> None:
        if self.committed:
            return
        self.sync()
        os.chmod(self.path, 0o644)
        os.replace(self.path, self.target)
        self.committed = True


@contextlib.contextmanager
def staged_path(target: Path) -> Iterator[Staged]:
    """Yield a `Staged` file beside `target`; if it is not committed, it is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    staged = Staged(target, Path(tmp))
    try:
        yield staged
    finally:
        if not staged.committed:
            with contextlib.suppress(FileNotFoundError):
                staged.path.unlink()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it over `target` only on success."""
    with staged_path(target) as staged:
        yield staged.path
        staged.commit()


# What `atomic_path` names its temporary files: .TARGET.RANDOM8.part
_PART_RE = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.part$")


def remove_stale_parts(directory: Path) -> list[Path]:
    """Delete the temporary files a killed writer left in `directory`; call it only while
    holding the directory's lock, when no other writer can be using them."""
    removed = []
    for path in directory.glob(".*.part"):
        if _PART_RE.match(path.name) and path.is_file():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return sorted(removed)


def move_aside(path: Path) -> str:
    """Move an unreadable state file out of the way, kept for the curious (never
    deleted); say where it went, for the warning."""
    aside = path.with_name(f"{path.name}.damaged-{dt.datetime.now():%Y%m%d%H%M%S}")
    try:
        os.replace(path, aside)
    except OSError:
        return "left in place"
    return f"moved to {aside}"


def atomic_write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def write_errors(output_dir: Path) -> Iterator[None]:
    """Turn an OSError (disk full, read-only, no permission) into a one-line OutputError."""
    try:
        yield
    except OSError as exc:
        raise OutputError(explain_write_error(exc, output_dir)) from exc


def explain_write_error(exc: OSError, output_dir: Path | None = None) -> str:
    """One line saying which write failed, why, and what to do about it."""
    # A failed rename names the target second: that is the file the user knows.
    named = exc.filename2 if exc.filename2 is not None else exc.filename
    if named is None:
        name, where = "a file", output_dir
    else:
        name = os.fsdecode(named)
        where = Path(name).parent
    ours = output_dir is not None and where is not None and _inside(where, output_dir)
    other = " or choose another --output" if ours else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) and named is None:
        # A failed write() names no file: say where there is (no) room instead.
        places = [p for p in (output_dir, Path(tempfile.gettempdir())) if p is not None]
        free = ", ".join(f"{p} has {_free(p)} free" for p in places)
        return f"no space left on the disk ({free}); free some space or choose another --output"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left on the disk to write {name}; free some space there{other}"
    if exc.errno == errno.EROFS:
        return f"cannot write {name}: the file system is read-only; make it writable{other}"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied writing {name}; fix the permissions of {where}{other}"
    if exc.errno == errno.EISDIR and named is not None:
        return f"cannot write {name}: a directory of that name is in the way; move it away"
    return f"cannot write {name} ({exc.strerror or exc}); check the disk{other}"


def _inside(path: Path, directory: Path) -> bool:
    try:
        return path.resolve().is_relative_to(directory.resolve())
    except OSError:
        return False


def _free(path: Path) -> str:
    try:
        free = float(shutil.disk_usage(path).free)
    except OSError:
        return "unknown space"
    for unit in ("bytes", "kB", "MB", "GB"):
        if free < 1000 or unit == "GB":
            return f"{free:.0f} {unit}" if unit == "bytes" else f"{free:.1f} {unit}"
        free /= 1000
    raise AssertionError("unreachable")


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write atomically unless `target` already holds `data`; True if it was written.

    Rebuilt files (feed, page) keep their mtime when nothing changed, so phone sync tools
    and podcast apps' caches do not see a new version every morning.
    """
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return True
