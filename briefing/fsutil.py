"""Atomic file writes: a phone sync or a crash must never see half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it over `target` only on success."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def atomic_write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


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
