"""Every path and name under the output directory, and the episode's title.

One day's episode is `briefing-DATE.mp3` with its script (`.txt`), metadata sidecar
(`.json`), chapters (`.chapters.json`) and timed transcript (`.vtt`) beside it; the
directory also holds the feed, the web page, the cover and the run lock, and a state
directory (default `.briefing/`) holds the log, the seen-articles cache, the history
of briefed stories and the feed's id. Names derive from the date alone, never from article text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing.audio.format import FORMATS, AudioFormat
from briefing.settings import OutputSettings

PREFIX = "briefing-"
FEED_NAME = "feed.xml"
PAGE_NAME = "index.html"
DRAWN_COVER = "cover.png"
COVER_NAMES = ("cover.jpg", DRAWN_COVER)  # a [feed] cover is copied in as one of these
LOCK_NAME = ".briefing.lock"
STATE_NAME = ".briefing"
LOG_NAME = "briefing.log"
CRON_LOG_NAME = "cron.log"
SEEN_NAME = "seen.json"
HISTORY_NAME = "history.json"
FEED_ID_NAME = "feed-id"
PUBLISHED_NAME = "published"
OWNER_NOTED_NAME = "owner-email-noted"  # `briefing run` said once that none is set
ENCODER_NAME = "encoder-loss.json"  # fingerprint of the output directory when last published
# Every file of one day's episode: briefing-DATE.<anything>.
EPISODE_FILE_RE = re.compile(rf"^{PREFIX}(\d{{4}}-\d{{2}}-\d{{2}})\.[^/]+$")


def episode_title(date: dt.date) -> str:
    return f"Briefing for {date:%A} {date.day} {date:%B %Y}"


def file_date(name: str) -> dt.date | None:
    """The date of an episode file's name, or None when it is not one of ours."""
    match = EPISODE_FILE_RE.match(name)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None  # briefing-2026-13-45.mp3 is not ours to judge


@dataclass(frozen=True)
class EpisodeFiles:
    """The files of one day's episode."""

    date: dt.date
    audio: Path
    script: Path  # the transcript as plain text
    metadata: Path  # JSON sidecar: title, duration, stories, cues
    chapters: Path  # Podcasting 2.0 JSON chapters
    transcript: Path  # WebVTT, timed per sentence

    def all(self) -> tuple[Path, ...]:
        return (self.audio, self.script, self.metadata, self.chapters, self.transcript)


@dataclass(frozen=True)
class Layout:
    """The output directory of one feed, and its state directory."""

    output_dir: Path
    state_override: Path | None = None
    format_name: str = "mp3"

    @classmethod
    def of(cls, output: OutputSettings) -> Layout:
        return cls(output.output_dir, output.state_dir)

    @property
    def format(self) -> AudioFormat:
        return FORMATS[self.format_name]

    @property
    def state_dir(self) -> Path:
        return (
            self.state_override if self.state_override is not None else self.output_dir / STATE_NAME
        )

    def episode(self, date: dt.date) -> EpisodeFiles:
        stem = self.output_dir / f"{PREFIX}{date.isoformat()}"
        return EpisodeFiles(
            date,
            audio=stem.with_name(f"{stem.name}.{self.format.suffix}"),
            script=stem.with_name(f"{stem.name}.txt"),
            metadata=stem.with_name(f"{stem.name}.json"),
            chapters=stem.with_name(f"{stem.name}.chapters.json"),
            transcript=stem.with_name(f"{stem.name}.vtt"),
        )

    def episodes(self) -> Iterator[EpisodeFiles]:
        """Each day whose audio file is in the output directory, in name order."""
        try:
            names = sorted(p.name for p in self.output_dir.iterdir())
        except FileNotFoundError:
            return
        suffix = f".{self.format.suffix}"
        for name in names:
            date = file_date(name)
            if date is not None and name.endswith(suffix) and name.count(".") == 1:
                yield self.episode(date)

    @property
    def feed(self) -> Path:
        return self.output_dir / FEED_NAME

    @property
    def page(self) -> Path:
        return self.output_dir / PAGE_NAME

    @property
    def drawn_cover(self) -> Path:
        return self.output_dir / DRAWN_COVER

    @property
    def covers(self) -> tuple[Path, ...]:
        """Where the cover may be: the configured one copied in, or the drawn one."""
        return tuple(self.output_dir / name for name in COVER_NAMES)

    @property
    def lock(self) -> Path:
        return self.output_dir / LOCK_NAME

    @property
    def log(self) -> Path:
        return self.state_dir / LOG_NAME

    @property
    def cron_log(self) -> Path:
        return self.state_dir / CRON_LOG_NAME

    @property
    def seen(self) -> Path:
        return self.state_dir / SEEN_NAME

    @property
    def history(self) -> Path:
        return self.state_dir / HISTORY_NAME

    def journal(self, date: dt.date) -> Path:
        """What the day adds to the history and seen cache, until it is added
        (briefing/journal.py)."""
        return self.state_dir / f"journal-{date.isoformat()}.json"

    @property
    def feed_id(self) -> Path:
        return self.state_dir / FEED_ID_NAME

    @property
    def encoder_calibration(self) -> Path:
        """How much the MP3 encoder lowers the level, measured once per setting."""
        return self.state_dir / ENCODER_NAME

    @property
    def published(self) -> Path:
        return self.state_dir / PUBLISHED_NAME

    @property
    def owner_noted(self) -> Path:
        return self.state_dir / OWNER_NOTED_NAME

    def fingerprint(self, *extra: object) -> str:
        """A digest of every file in the output directory (name, size, modification
        time) and of `extra` (the settings that shape the feed): equal digests mean
        there is nothing new to publish."""
        digest = hashlib.sha256(repr(extra).encode())
        try:
            entries = sorted(os.scandir(self.output_dir), key=lambda e: e.name)
        except FileNotFoundError:
            return ""
        for entry in entries:
            if entry.name in (LOCK_NAME, STATE_NAME) or entry.name.endswith(".part"):
                continue
            with contextlib.suppress(OSError):
                st = entry.stat(follow_symlinks=False)
                digest.update(f"{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        return digest.hexdigest()
