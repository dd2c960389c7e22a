"""Run settings in one frozen dataclass; creating one has no side effects."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

from briefing.speak import DEFAULT_ENGINE

DEFAULT_RATE = 175  # words per minute: espeak's natural pace, clear on a phone speaker


def _default_workers() -> int:
    # Speech renders in worker processes; two cover the typical 2-core box and Pi.
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class Settings:
    input_dir: Path = Path("seeds")
    output_dir: Path = Path("output")
    date: dt.date = field(default_factory=dt.date.today)
    template: str = "briefing"
    engine: str = DEFAULT_ENGINE
    voice: str | None = None
    rate: int = DEFAULT_RATE
    sentences: int = 3
    # The episode file (briefing/assemble.py).
    bitrate: str = "64k"
    sample_rate: Literal[16000, 22050, 24000, 32000, 44100, 48000] = 44100
    loudness: float = -16.0  # integrated LUFS; Apple Podcasts asks for -16 +-1
    artist: str = "briefing"
    album: str = "Daily briefing"
    cover: Path | None = None  # JPEG or PNG embedded in the MP3
    intro_sound: Path | None = None  # audio file played before the greeting
    outro_sound: Path | None = None  # ... and after the sign-off
    chime: bool = False  # a generated chime where no intro/outro sound file is given
    workers: int = field(default_factory=_default_workers)
    normalize: bool = True  # speak numbers, dates, abbreviations as words (normalize/)
    # Sources beyond input_dir (briefing/sources/): feed and article URLs.
    feeds: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    max_per_feed: int = 5
    max_age_days: int = 3  # feed entries older than this are old news, not briefed
    full_text: bool = True  # fetch the article page when a feed gives only a summary
    fetch_timeout: float = 20.0
    # Daily operation (briefing/daily.py): the seen-articles cache and the log live here.
    state_dir: Path | None = None  # default: OUTPUT_DIR/.briefing
    retention_days: int | None = None  # delete episodes older than this; None keeps all
    minutes: float | None = None  # fit the briefing to this spoken length; None: no limit
    # Podcast feed and web page (briefing/publish/), rebuilt after every run.
    feed_title: str = "Daily briefing"
    feed_description: str = "A spoken news briefing, made every morning by briefing."
    feed_author: str = "briefing"
    feed_language: str = "en"
    feed_category: str = "News"
    feed_explicit: bool = False
    feed_cover: Path | None = None  # default: a plain cover drawn by briefing
    base_url: str | None = None  # public URL of output_dir; None: links relative to the feed

    def output_paths(self) -> tuple[Path, Path]:
        """Output names derive from the date only, never from article text."""
        stem = f"briefing-{self.date.isoformat()}"
        return self.output_dir / f"{stem}.mp3", self.output_dir / f"{stem}.txt"

    def state_path(self) -> Path:
        """Where the cache of briefed articles and the log are kept."""
        return self.state_dir if self.state_dir is not None else self.output_dir / ".briefing"


class Key(NamedTuple):
    """One key of the config file: what it is, and optional bounds for numbers."""

    help: str
    min: float | None = None
    max: float | None = None
    field: str | None = None  # the Settings field, when its name differs from the key's

    def field_name(self, key: str) -> str:
        return self.field or key


# Layout of briefing.toml: [section] -> key -> Key. Each key is the Settings field of the
# same name (or `Key.field`) and its type is read from the field's annotation, so a new setting is a
# Settings field plus one line here (briefing/configfile.py and `briefing init` follow).
FILE_KEYS: dict[str, dict[str, Key]] = {
    "sources": {
        "input_dir": Key("directory of .txt, .md and .html articles"),
        "feeds": Key("RSS or Atom feed URLs"),
        "urls": Key("article URLs; each is briefed once"),
        "max_per_feed": Key("at most this many new stories from each feed", 1, 100),
        "max_age_days": Key("skip feed entries published more than this many days ago", 1),
        "full_text": Key("fetch the full article when a feed gives only a summary"),
        "fetch_timeout": Key("seconds to wait for one download", 1, 300),
    },
    "script": {
        "template": Key("built-in template name or path to a .j2 file"),
        "sentences": Key("sentences per story", 1, 20),
        "minutes": Key("fit the briefing to about this many minutes of speech", 0.1, 600),
    },
    "speech": {
        "engine": Key("text-to-speech engine (see `briefing voices`)"),
        "voice": Key("voice id (see `briefing voices`)"),
        "rate": Key("speaking rate in words per minute", 80, 450),
        "workers": Key("segments rendered in parallel", 1, 64),
        "normalize": Key("say numbers, dates, money and abbreviations as words"),
    },
    "audio": {
        "bitrate": Key("MP3 bitrate, e.g. 64k"),
        "sample_rate": Key("MP3 sample rate in Hz"),
        "loudness": Key("loudness of the episode in LUFS (integrated)", -30, -10),
        "artist": Key("ID3 artist"),
        "album": Key("ID3 album"),
        "cover": Key("JPEG or PNG cover image embedded in each episode"),
        "intro_sound": Key("audio file played before the greeting"),
        "outro_sound": Key("audio file played after the sign-off"),
        "chime": Key("generated chime at start and end where no sound file is given"),
    },
    "output": {
        "output_dir": Key("where episodes are written"),
        "state_dir": Key("cache of briefed articles and the log (default OUTPUT_DIR/.briefing)"),
        "retention_days": Key("delete episodes older than this many days", 1),
    },
    "feed": {
        "title": Key("podcast title", field="feed_title"),
        "description": Key("podcast description", field="feed_description"),
        "author": Key("podcast author", field="feed_author"),
        "language": Key("language code of the episodes, like en or en-GB", field="feed_language"),
        "category": Key("Apple Podcasts category", field="feed_category"),
        "explicit": Key("whether episodes are marked explicit", field="feed_explicit"),
        "cover": Key("square JPEG or PNG cover, 1400-3000 px (default: drawn)", field="feed_cover"),
        "base_url": Key(
            "public URL of the output directory, like http://192.168.1.20:8000/ "
            "(default: links relative to feed.xml)"
        ),
    },
}
