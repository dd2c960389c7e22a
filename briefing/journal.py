"""A day's files are put in place before its MP3, and a day found incomplete is repaired.

The MP3's arrival under its final name marks the day as made, so everything that
belongs to it is written first, while it waits complete under a temporary name
(assemble's `before_commit`):

1. the metadata sidecar (`briefing-DATE.json`), naming the MP3 by size and SHA-256;
2. the script (`briefing-DATE.txt`);
3. the journal (`STATE/journal-DATE.json`): the history entries and seen-cache keys the
   day adds, naming the same MP3;
4. the MP3, renamed into place.

After it, `apply_journal` adds the journal to history.json and seen.json and deletes it;
the chapters and WebVTT files are made from the sidecar on every publish. A run killed or
a disk filled anywhere in between leaves a day that `repair_day` finishes on the next
`briefing run` or `briefing publish`:

- a journal naming the MP3: applied, then deleted; one naming another: deleted;
- no sidecar (the disk was full): rebuilt from the MP3's own tags (length, ID3 chapters);
- a sidecar naming another MP3 (`run --force` killed between its renames): the day's
  script is not the MP3's; `briefing run` makes the day again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from briefing.fsutil import atomic_write_text
from briefing.layout import EpisodeFiles, Layout, episode_title
from briefing.models import Article, Chapter, Cue, Problem, Segment, Story

log = logging.getLogger("briefing")

JOURNAL_VERSION = 1
METADATA_VERSION = 1  # of the sidecar
INTRO_TITLE, OUTRO_TITLE = "Introduction", "Sign-off"  # the script's non-story chapters


class _Mark(TypedDict):
    """A chapter as the sidecar records it."""

    title: str
    start_s: float


def file_digest(path: Path) -> dict[str, object]:
    """What names one MP3: its size and SHA-256, and its modification time (a rename
    keeps it) to spare reading it again while it is untouched."""
    sha = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            sha.update(chunk)
        st = os.fstat(fh.fileno())
    return {"size": st.st_size, "sha256": sha.hexdigest(), "mtime_ns": st.st_mtime_ns}


def names(recorded: object, path: Path) -> bool | None:
    """Whether the digest `recorded` names the file at `path`; None when nothing is
    recorded (an older sidecar) or the file cannot be read."""
    if not isinstance(recorded, dict):
        return None
    sha256 = recorded.get("sha256")
    if not isinstance(sha256, str):
        return None
    try:
        st = path.stat()
        if st.st_size != recorded.get("size"):
            return False
        if st.st_mtime_ns == recorded.get("mtime_ns"):
            return True  # the file renamed into place, untouched since
        return file_digest(path)["sha256"] == sha256
    except OSError:
        return None


def write_metadata(
    path: Path,
    date: dt.date,
    segments: Iterable[Segment],
    chapters: Iterable[Chapter],
    stories: Iterable[Story],
    title: str | None = None,
    duration_s: float | None = None,
    voice: str = "",
    cues: Iterable[Cue] = (),
    segment_voices: Sequence[str] = (),
    audio: dict[str, object] | None = None,
) -> Path:
    """Write the metadata sidecar `path` (atomically) from what the run spoke:
    `segments` and the `chapters` assemble returned for them, in the same order; `audio`
    names the MP3 they describe (briefing/journal.py)."""
    by_headline = {s.headline: s for s in stories}
    spoken = []
    duration = 0.0
    voices = list(segment_voices)
    marks = []
    for i, (segment, chapter) in enumerate(zip(segments, chapters, strict=True)):
        duration = chapter.end_ms / 1000
        marks.append({"title": chapter.title, "start_s": round(chapter.start_ms / 1000, 3)})
        if segment.kind != "story":
            continue
        story = by_headline.get(segment.title)
        spoken.append(
            {
                "headline": segment.title,
                "sources": list(story.sources) if story else [],
                "start_s": round(chapter.start_ms / 1000, 3),
                "language": story.language if story else "",
                "voice": voices[i] if i < len(voices) else "",
            }
        )
    data = {
        "version": METADATA_VERSION,
        "date": date.isoformat(),
        "title": title or episode_title(date),
        # The MP3's own length when known: an outro sound runs past the last chapter.
        "duration_s": round(duration if duration_s is None else duration_s, 3),
        "made_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "voice": voice,  # engine and voice, for the curious and for checks
        "stories": spoken,
        # Every chapter, as in the MP3's ID3 table: the Podcasting 2.0 chapters file.
        "chapters": marks,
        # Each sentence and when it is heard: the timed transcript (WebVTT).
        "cues": [{"start_s": c.start_s, "end_s": c.end_s, "text": c.text} for c in cues if c.text],
    }
    if audio is not None:
        data["audio"] = audio  # size and SHA-256: which MP3 this sidecar is for
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return path


def write_journal(
    path: Path,
    date: dt.date,
    audio: dict[str, object],
    stories: Iterable[Story],
    articles: Iterable[Article],
) -> None:
    """Write what the day adds to the history and the seen cache, for `apply_journal`."""
    from briefing.sources.cache import article_keys
    from briefing.summarize.history import Briefed

    told = [
        Briefed(date, s.headline, s.sentences, s.update_of, s.update_of_date).to_json()
        for s in stories
    ]
    # Only downloaded articles are remembered: a local file is the user's to repeat.
    seen = [key for a in articles if a.url and a.path is None for key in article_keys(a)]
    data = {
        "version": JOURNAL_VERSION,
        "date": date.isoformat(),
        "audio": audio,
        "history": told,
        "seen": seen,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=0) + "\n")


def apply_journal(layout: Layout, date: dt.date) -> tuple[Problem, ...]:
    """Add the day's journal to history.json and seen.json, then delete it; a journal
    that names another MP3 (a remake that never reached it) is only deleted. Returns
    the problems (a damaged history or cache moved aside); raises OSError when the
    state cannot be written (the journal is then kept for the next run)."""
    path = layout.journal(date)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    except (OSError, ValueError) as exc:
        log.warning("%s is unreadable (%s); deleted it", path, exc)
        path.unlink(missing_ok=True)
        return ()
    if (
        not isinstance(data, dict)
        or names(data.get("audio"), layout.episode(date).audio) is not True
    ):
        log.info("%s is not for %s; deleted it", path.name, layout.episode(date).audio.name)
        path.unlink(missing_ok=True)
        return ()
    problems = _record(layout, date, data.get("history"), data.get("seen"))
    path.unlink(missing_ok=True)
    return problems


def _record(layout: Layout, date: dt.date, told: object, seen: object) -> tuple[Problem, ...]:
    from briefing.sources.cache import SeenCache
    from briefing.summarize.history import Briefed, History

    problems: list[Problem] = []
    if isinstance(seen, list) and seen:
        cache = SeenCache.load(layout.seen)
        problems += [cache.problem] if cache.problem else []
        cache.record([k for k in seen if isinstance(k, str)], date)
        cache.save(max(date, dt.date.today()))
    if isinstance(told, list):
        history = History.load(layout.history)
        problems += [history.problem] if history.problem else []
        stories = []
        for raw in told:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                stories.append(Briefed.from_json(raw))
        history.record_told(stories, date)
        history.save(date)
    return tuple(problems)


@dataclass(frozen=True)
class Repair:
    """What `repair_day` found and did."""

    remake: bool = False  # the script and the MP3 do not belong together
    repaired: tuple[str, ...] = ()  # what was put right, for the log
    problems: tuple[Problem, ...] = field(default=())


def repair_day(layout: Layout, date: dt.date) -> Repair:
    """Finish a made day that a killed run or a full disk left incomplete (see the
    module's docstring). Never raises for a write that fails: it becomes a problem, and
    the next run tries again."""
    files = layout.episode(date)
    if not files.audio.is_file():
        return Repair()
    sidecar = _read_json(files.metadata)
    if sidecar is not None and names(sidecar.get("audio"), files.audio) is False:
        return Repair(remake=True)
    repaired: list[str] = []
    problems: list[Problem] = []
    try:
        if sidecar is None and rebuild_metadata(files):
            repaired.append(f"rebuilt {files.metadata.name} from the MP3's tags")
        if layout.journal(date).exists():
            problems += apply_journal(layout, date)
            if not layout.journal(date).exists():
                repaired.append("recorded the day's stories in the history and seen cache")
    except OSError as exc:
        from briefing.fsutil import explain_write_error

        why = explain_write_error(exc, layout.output_dir)
        problems.append(
            Problem(f"repairing {files.audio.name}", f"{why}; the next run tries again")
        )
    return Repair(False, tuple(repaired), tuple(problems))


def _read_json(path: Path) -> dict[str, object] | None:
    """The sidecar as a dict; None when it is missing. An unreadable one is left to
    publish (which warns and falls back): it is not rebuilt over."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def rebuild_metadata(files: EpisodeFiles) -> bool:
    """Write the sidecar of an MP3 that lost it, from the MP3's length and ID3 chapters
    (the stories are the chapters between the introduction and the sign-off). False when
    the MP3's tags cannot be read (the feed then describes it from its script)."""
    from mutagen import MutagenError
    from mutagen.mp3 import MP3

    try:
        audio = MP3(files.audio)
    except (MutagenError, OSError) as exc:
        log.info("cannot read the tags of %s (%s)", files.audio, exc)
        return False
    frames = audio.tags.getall("CHAP") if audio.tags is not None else []
    if not frames:
        return False  # not made by briefing: the feed describes it from its script
    marks: list[_Mark] = []
    for frame in frames:
        titles = frame.sub_frames.getall("TIT2")
        title = str(titles[0].text[0]) if titles and titles[0].text else ""
        marks.append({"title": title, "start_s": round(frame.start_time / 1000, 3)})
    marks.sort(key=lambda mark: mark["start_s"])
    stories = [
        {"headline": m["title"], "sources": [], "start_s": m["start_s"]}
        for i, m in enumerate(marks)
        if m["title"]
        and not (i == 0 and m["title"] == INTRO_TITLE)
        and not (i == len(marks) - 1 and m["title"] == OUTRO_TITLE)
    ]
    made = dt.datetime.fromtimestamp(files.audio.stat().st_mtime).astimezone()
    data = {
        "version": METADATA_VERSION,
        "date": files.date.isoformat(),
        "title": episode_title(files.date),
        "duration_s": round(float(getattr(audio.info, "length", 0.0)), 3),
        "made_at": made.isoformat(timespec="seconds"),
        "voice": "",
        "stories": stories,
        "chapters": marks,
        "cues": [],
        "audio": file_digest(files.audio),
    }
    atomic_write_text(files.metadata, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return True
