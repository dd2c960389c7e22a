"""The files beside each episode that podcast apps fetch with it (Podcasting 2.0):

- `briefing-DATE.chapters.json`: JSON chapters (version 1.2.0) from the stories' start
  times, the same marks as the MP3's ID3 chapters, for `podcast:chapters`;
- `briefing-DATE.vtt`: a WebVTT transcript with one cue per spoken sentence, from the
  sidecar's "cues", for `podcast:transcript type="text/vtt"` (Apple ingests WebVTT).

An episode without story times gets no chapters file, one without cues no VTT (its plain
text transcript stays). Written atomically, and only when their content changed.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from pathlib import Path

from briefing.fsutil import write_if_changed
from briefing.layout import EpisodeFiles, Layout
from briefing.models import Cue
from briefing.publish.episodes import EpisodeInfo

CHAPTERS_VERSION = "1.2.0"
INTRO_TITLE = "Introduction"  # the intro segment's ID3 chapter title (script.py)
VTT_LINE = 65  # characters: the Podcasting 2.0 guidance for captions


def chapters_path(episode: EpisodeInfo) -> Path | None:
    """Where its chapters file is, if it has story times."""
    if not any(s.start_s is not None for s in episode.stories):
        return None
    return _files(episode).chapters


def vtt_path(episode: EpisodeInfo) -> Path | None:
    """Where its WebVTT transcript is, if it has sentence timings."""
    return _files(episode).transcript if episode.cues else None


def _files(episode: EpisodeInfo) -> EpisodeFiles:
    if episode.files is not None:
        return episode.files
    return Layout(episode.mp3.parent).episode(episode.date)


def chapters_json(episode: EpisodeInfo, podcast_name: str) -> str:
    """The episode's chapters in the Podcasting 2.0 JSON chapters format: the MP3's own
    chapter marks when the sidecar has them, else the stories' (older sidecars)."""
    chapters = []
    if episode.chapters:
        marks = [(start, title) for title, start in episode.chapters]
    else:
        marks = [(s.start_s, s.headline) for s in episode.stories if s.start_s is not None]
        marks.sort(key=lambda mark: mark[0])
        if marks and marks[0][0] > 0:
            chapters.append({"startTime": 0, "title": INTRO_TITLE})
    chapters += [{"startTime": round(start, 3), "title": title} for start, title in marks]
    data = {
        "version": CHAPTERS_VERSION,
        "title": episode.title,
        "podcastName": podcast_name,
        "fileName": episode.mp3.name,
        "chapters": chapters,
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def webvtt(cues: Iterable[Cue]) -> str:
    """A WebVTT file of `cues` (in time order): escaped text, lines of at most VTT_LINE
    characters, and every cue ending after it starts."""
    blocks = ["WEBVTT"]
    for cue in cues:
        end = max(cue.end_s, cue.start_s + 0.001)
        text = " ".join(cue.text.split())  # a blank line would end the cue
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines = textwrap.wrap(text, VTT_LINE, break_long_words=False, break_on_hyphens=False)
        blocks.append(f"{_timestamp(cue.start_s)} --> {_timestamp(end)}\n" + "\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def write_companions(episodes: Iterable[EpisodeInfo], podcast_name: str) -> None:
    """Write (or refresh) each episode's chapters and WebVTT files beside it."""
    for episode in episodes:
        path = chapters_path(episode)
        if path is not None:
            write_if_changed(path, chapters_json(episode, podcast_name).encode())
        path = vtt_path(episode)
        if path is not None:
            write_if_changed(path, webvtt(episode.cues).encode())
