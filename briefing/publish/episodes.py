"""The episodes on disk: each `briefing-DATE.mp3` with its script and metadata sidecar.

`briefing run` writes `briefing-DATE.json` beside the MP3 (title, duration, stories and
where each starts). The feed and the web page are rebuilt from what `scan` finds, so they
never list a file that retention or a user deleted. Episodes without a sidecar (made by an
older version, or copied in) fall back to ffprobe for the duration and the script's text.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from briefing.journal import METADATA_VERSION
from briefing.layout import EpisodeFiles, Layout, episode_title
from briefing.models import Cue

log = logging.getLogger("briefing")


@dataclass(frozen=True)
class StoryInfo:
    headline: str
    sources: tuple[str, ...] = ()
    start_s: float | None = None  # where the story starts in the MP3


@dataclass(frozen=True)
class EpisodeInfo:
    """One published episode, as found on disk."""

    date: dt.date
    mp3: Path
    size: int  # bytes: the feed's enclosure length
    title: str
    duration_s: float | None
    published: dt.datetime  # timezone-aware
    stories: tuple[StoryInfo, ...] = ()
    script: Path | None = None  # the transcript, when its .txt is there
    cues: tuple[Cue, ...] = ()  # per-sentence timing, when the sidecar has it
    made_at: str = ""  # when this MP3 was made (sidecar), changes when it is remade
    chapters: tuple[tuple[str, float], ...] = ()  # (title, start s) of every chapter
    files: EpisodeFiles | None = None  # its files' names (briefing/layout.py)

    @property
    def transcript(self) -> str:
        if self.script is None:
            return ""
        try:
            return self.script.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""


def scan(layout: Layout) -> list[EpisodeInfo]:
    """Every episode in the output directory, newest first."""
    found: list[EpisodeInfo] = []
    root = layout.output_dir.resolve()
    for files in layout.episodes():
        # Only what `briefing serve` would serve: no links leading out of the directory.
        if not files.audio.is_file() or not files.audio.resolve().is_relative_to(root):
            continue
        found.append(_episode(files))
    found.sort(key=lambda e: e.date, reverse=True)
    return found


def _episode(files: EpisodeFiles) -> EpisodeInfo:
    date, mp3 = files.date, files.audio
    stat = mp3.stat()
    script = files.script
    meta = _read_metadata(files.metadata)
    made = _made_at(meta.get("made_at")) or dt.datetime.fromtimestamp(stat.st_mtime).astimezone()
    duration = meta.get("duration_s")
    if not isinstance(duration, int | float) or isinstance(duration, bool) or duration <= 0:
        duration = probe_duration(mp3)
    title = meta.get("title")
    return EpisodeInfo(
        date=date,
        mp3=mp3,
        size=stat.st_size,
        title=title if isinstance(title, str) and title.strip() else episode_title(date),
        duration_s=float(duration) if duration else None,
        published=_publish_time(date, made),
        stories=_stories(meta.get("stories")),
        script=script if script.is_file() else None,
        cues=_cues(meta.get("cues")),
        chapters=_chapters(meta.get("chapters")),
        made_at=str(meta.get("made_at") or f"{stat.st_size}-{stat.st_mtime_ns}"),
        files=files,
    )


def _read_metadata(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("%s is unreadable (%s); using the MP3 and script instead", path, exc)
        return {}
    if not isinstance(data, dict) or data.get("version") != METADATA_VERSION:
        log.warning("%s has an unknown format; using the MP3 and script instead", path)
        return {}
    return data


def _stories(raw: object) -> tuple[StoryInfo, ...]:
    if not isinstance(raw, list):
        return ()
    stories = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("headline"), str):
            continue
        sources = item.get("sources")
        start = item.get("start_s")
        stories.append(
            StoryInfo(
                headline=item["headline"],
                sources=tuple(s for s in sources if isinstance(s, str))
                if isinstance(sources, list)
                else (),
                start_s=float(start)
                if isinstance(start, int | float) and not isinstance(start, bool)
                else None,
            )
        )
    return tuple(stories)


def _chapters(raw: object) -> tuple[tuple[str, float], ...]:
    """The well-formed chapter marks; a malformed one is skipped, not fatal."""
    if not isinstance(raw, list):
        return ()
    marks = []
    for item in raw:
        title = item.get("title") if isinstance(item, dict) else None
        start = item.get("start_s") if isinstance(item, dict) else None
        if isinstance(title, str) and isinstance(start, int | float) and start >= 0:
            marks.append((title, float(start)))
    return tuple(sorted(marks, key=lambda mark: mark[1]))


def _cues(raw: object) -> tuple[Cue, ...]:
    """The well-formed cues, in time order; a malformed one is skipped, not fatal."""
    if not isinstance(raw, list):
        return ()
    cues = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        start, end, text = item.get("start_s"), item.get("end_s"), item.get("text")
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (start, end))
        if not (numbers and isinstance(text, str) and text.strip()):
            continue
        if 0 <= start <= end < math.inf:  # type: ignore[operator]
            cues.append(Cue(float(start), float(end), text.strip()))  # type: ignore[arg-type]
    return tuple(sorted(cues, key=lambda c: c.start_s))


def _made_at(raw: object) -> dt.datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.astimezone()


def _publish_time(date: dt.date, made: dt.datetime) -> dt.datetime:
    """When the episode was made if that was on its own date; else the start of its date.

    A backfilled episode (`--date` in the past) is sorted by podcast apps under its own
    day, not the day it happened to be rendered.
    """
    if made.date() == date:
        return made
    return dt.datetime.combine(date, dt.time(0), made.tzinfo)


def probe_duration(mp3: Path) -> float | None:
    """The MP3's duration in seconds from ffprobe, or None where it cannot tell."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return None
    try:
        out = subprocess.run(
            [ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", mp3],
            capture_output=True,
            text=True,
            timeout=30,
        )
        return float(out.stdout.strip()) if out.returncode == 0 else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None
