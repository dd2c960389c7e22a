"""Every setting, declared once: type, default, bounds, help, config key and commands.

Each `[section]` of briefing.toml is a frozen dataclass here, and each of its fields is
one setting, declared with `setting(...)`. The click options of every command, the
config file's validation, `briefing init`'s commented template and
docs/configuration.md are all generated from these declarations (cli.py,
configfile.py), so adding a setting is one field here. Each stage takes its own
section (`settings.speech`, `settings.audio`, ...), never the whole `Settings`.

This module imports nothing heavy: `briefing --help` reads it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from briefing.errors import UsageError

# The commands that do a stage; a setting lists the commands that take it as an option.
RUN, SCRIPT, SUMMARIZE, VOICES, DOCTOR, PUBLISH, SERVE, SAY = (
    "run",
    "script",
    "summarize",
    "voices",
    "doctor",
    "publish",
    "serve",
    "say",
)


@dataclass(frozen=True)
class Spec:
    """What the table says about one setting besides its type and default."""

    help: str
    min: float | None = None
    max: float | None = None
    flag: str | None = None  # the command-line option, e.g. "--rate"; None: file only
    commands: tuple[str, ...] = ()  # the commands that take `flag`
    metavar: str | None = None
    in_file: bool = True  # False: a command-line option only (e.g. --date)
    default_text: str | None = None  # how the docs show a default worked out at run time


def setting(
    default: Any = dataclasses.MISSING,
    help: str = "",
    *,
    factory: Callable[[], Any] | None = None,
    **spec: Any,
) -> Any:
    """A dataclass field carrying its `Spec`; `factory` for a default worked out at run time."""
    meta = {"spec": Spec(help, **spec)}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def _workers() -> int:
    # Speech renders in parallel; two cover the typical 2-core box and Raspberry Pi.
    return max(1, min(4, os.cpu_count() or 1))


MAKES = (RUN, SCRIPT)  # commands that read sources and plan a briefing


class Section:
    """Base of the settings sections: numbers outside the table's bounds are refused
    however the settings were made (config file, command line, or a library caller)."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            spec = f.metadata.get("spec")
            value = getattr(self, f.name)
            if spec is None or isinstance(value, bool) or not isinstance(value, int | float):
                continue
            if spec.min is not None and value < spec.min:
                raise UsageError(f"{f.name} must be at least {spec.min:g}, not {value}")
            if spec.max is not None and value > spec.max:
                raise UsageError(f"{f.name} must be at most {spec.max:g}, not {value}")


@dataclass(frozen=True)
class SourceSettings(Section):
    """[sources]: where articles come from (briefing/sources/)."""

    input_dir: Path | None = setting(
        None,
        "directory of .txt, .md and .html articles (default: ./seeds when no feeds or "
        "urls are configured; with feeds or urls, only a directory named here is read)",
        flag="--input",
        commands=MAKES,
        metavar="DIR",
    )
    feeds: tuple[str, ...] = setting(
        (), "RSS or Atom feed URLs", flag="--feed", commands=MAKES, metavar="URL"
    )
    urls: tuple[str, ...] = setting(
        (), "article URLs; each is briefed once", flag="--url", commands=MAKES, metavar="URL"
    )
    max_per_feed: int = setting(5, "at most this many new stories from each feed", min=1, max=100)
    max_age_days: int = setting(
        3, "skip feed entries published more than this many days ago", min=1, max=3650
    )
    full_text: bool = setting(True, "fetch the full article when a feed gives only a summary")
    fetch_timeout: float = setting(20.0, "seconds to wait for one download", min=1, max=300)
    read_timeout: float = setting(
        10.0,
        "seconds to read one article file before it is skipped (a file on a hung network "
        "share, or a link to a device)",
        min=0.1,
        max=600,
    )

    def directory(self) -> Path | None:
        """The directory to read: the one named, else seeds/ unless feeds or URLs are set."""
        if self.input_dir is not None:
            return self.input_dir
        return None if self.feeds or self.urls else Path("seeds")


@dataclass(frozen=True)
class ScriptSettings(Section):
    """[script]: what is said (briefing/summarize/, briefing/script.py)."""

    template: str = setting(
        "briefing",
        "built-in template name or path to a .j2 file",
        flag="--template",
        commands=MAKES,
        metavar="NAME|PATH",
    )
    sentences: int = setting(
        3, "sentences per story", min=1, max=20, flag="--sentences", commands=(*MAKES, SUMMARIZE)
    )
    minutes: float | None = setting(
        None,
        "fit the briefing to about this many minutes of speech; says which stories were left out",
        min=0.1,
        max=600,
        flag="--minutes",
        commands=MAKES,
    )
    sections: bool = setting(
        True,
        "tell a briefing of more than six stories in sections by topic (world news, "
        "politics, business, sport...), each section announced",
    )
    update_days: int = setting(
        7,
        "a story that follows one briefed in the last this many days is told as an "
        "update: one sentence of what is new; 0 tells every story in full",
        min=0,
        max=60,  # briefing/summarize/history.py keeps KEEP_DAYS of briefed stories
    )


@dataclass(frozen=True)
class InterestSettings(Section):
    """[interests]: topics the listener follows or mutes (briefing/summarize/interests.py)."""

    favour: tuple[str, ...] = setting(
        (),
        "topics, names or phrases whose stories come first and say so, e.g. climate, "
        "Arsenal, Bank of England (a word in lower case matches by its stem, a "
        "capitalised one as a name)",
        flag="--favour",
        commands=MAKES,
        metavar="TOPIC",
    )
    mute: tuple[str, ...] = setting(
        (),
        "topics, names or phrases whose stories are left out, each one reported",
        flag="--mute",
        commands=MAKES,
        metavar="TOPIC",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("favour", "mute"):
            for topic in getattr(self, name):
                if not isinstance(topic, str) or not re.search(r"\w", topic):
                    raise UsageError(
                        f"interests.{name}: {topic!r} has no words; give a word, a name or "
                        'a phrase, like "climate" or "Bank of England"'
                    )
        both = {t.casefold() for t in self.favour} & {t.casefold() for t in self.mute}
        if both:
            raise UsageError(
                f"{', '.join(sorted(both))} is both favoured and muted; remove it from "
                "[interests] favour or mute"
            )


ENGINE_AUTO = "auto"  # the most natural engine installed (briefing/speak/__init__.py)


@dataclass(frozen=True)
class SpeechSettings(Section):
    """[speech]: how it is spoken (briefing/speak/, briefing/normalize/)."""

    engine: str = setting(
        ENGINE_AUTO,
        # The order is the engines' own (Engine.naturalness); tests/test_engine_choice.py
        # checks this sentence says it (settings cannot import the engines).
        "text-to-speech engine; auto picks the most natural one installed: kokoro, else "
        "piper, else festival, else pyttsx3, else espeak-ng",
        flag="--engine",
        commands=(RUN, VOICES, DOCTOR, SAY),
    )
    voice: str | None = setting(
        None,
        "voice id (see `briefing voices`); for piper, a path to a .onnx voice model",
        flag="--voice",
        commands=(RUN, VOICES, DOCTOR, SAY),
    )
    rate: int = setting(
        175,
        "speaking rate in words per minute",
        min=80,
        max=450,
        flag="--rate",
        commands=(*MAKES, SUMMARIZE, SAY),
    )
    workers: int = setting(
        help="segments rendered in parallel",
        factory=_workers,
        min=1,
        max=64,
        default_text="the number of cores, at most 4",
    )
    normalize: bool = setting(True, "say numbers, dates, money and abbreviations as words")
    lexicon: Path | None = setting(
        None,
        'TOML file of respellings, word = "respelling" (whole words, case as written; '
        'for one engine: word = { say = "respelling", engine = "kokoro" }, or a list of '
        "such tables); adds to and "
        "overrides the built-in list of names; try one with `briefing say`",
        flag="--lexicon",
        commands=(RUN, SAY),
        metavar="FILE",
    )
    builtin_lexicon: bool = setting(
        True,
        "respell names common in the news (heads of state, capitals, agencies) so "
        "engines say them right",
    )
    voices: tuple[str, ...] = setting(
        (),
        "two (or more) voice ids that take turns by story, as radio anchors do; the first "
        "also reads the greeting and the sign-off (default: the one voice)",
    )
    story_languages: bool = setting(
        True,
        "speak a story in another language (German, French...) with a voice of that "
        "language, and the template's words in the briefing's",
    )
    languages: dict[str, str] = setting(
        factory=dict,
        help='voices for story languages, like { de = "de", fr = "espeak-ng:fr" } (a voice of '
        'the engine, or ENGINE:VOICE); "skip" leaves that language\'s stories out',
    )
    piper_voices: Path | None = setting(
        None,
        "folder of extra Piper voice models (.onnx with their .onnx.json), for stories "
        "in other languages or another --voice by name; searched before "
        "$BRIEFING_PIPER_VOICES (else ~/.local/share/briefing/piper-voices)",
    )
    timeout: float | None = setting(
        None,
        "seconds one piece of text may take to speak before its story is left out "
        "(default: the engine's own, e.g. 30 for espeak-ng; Piper runs in-process and is "
        "bounded by [run] deadline only)",
        min=1,
        max=3600,
    )


MP3_SAMPLE_RATES = (16_000, 22_050, 24_000, 32_000, 44_100, 48_000)
_BITRATE = re.compile(r"^(\d{1,3})k$")


@dataclass(frozen=True)
class AudioSettings(Section):
    """[audio]: the episode file (briefing/assemble.py, briefing/audio/)."""

    bitrate: str = setting("64k", "MP3 bitrate, e.g. 64k", flag="--bitrate", commands=(RUN,))
    sample_rate: Literal[16000, 22050, 24000, 32000, 44100, 48000] = setting(
        44100, "MP3 sample rate in Hz"
    )
    loudness: float = setting(
        -16.0, "loudness of the episode in LUFS (integrated)", min=-30, max=-10
    )
    artist: str = setting("briefing", "ID3 artist")
    album: str = setting("Daily briefing", "ID3 album")
    cover: Path | None = setting(
        None, "JPEG or PNG cover embedded in each episode (default: the feed's cover)"
    )
    intro_sound: Path | None = setting(
        None, "audio file played before the greeting", flag="--intro-sound", commands=(RUN,)
    )
    outro_sound: Path | None = setting(
        None, "audio file played after the sign-off", flag="--outro-sound", commands=(RUN,)
    )
    chime: bool = setting(
        False,
        "a generated chime at start and end where no sound file is given",
        flag="--chime",
        commands=(RUN,),
    )
    ffmpeg_timeout: float = setting(
        60.0,
        "seconds each ffmpeg step may take, plus ffmpeg_timeout_per_audio_s per second of audio",
        min=1,
        max=3600,
    )
    ffmpeg_timeout_per_audio_s: float = setting(
        0.25, "extra seconds an ffmpeg step may take per second of audio", min=0, max=10
    )

    def __post_init__(self) -> None:
        # Checked here, so a bad value fails when settings are read, before any speech.
        super().__post_init__()
        if self.sample_rate not in MP3_SAMPLE_RATES:
            rates = ", ".join(map(str, MP3_SAMPLE_RATES))
            raise UsageError(f"sample_rate must be one of {rates} (MP3), not {self.sample_rate}")
        match = _BITRATE.match(self.bitrate)
        low, high = (32, 320) if self.sample_rate >= 32_000 else (8, 160)
        if not match or not low <= int(match.group(1)) <= high:
            raise UsageError(
                f"bitrate must be like 64k, from {low}k to {high}k at {self.sample_rate} Hz, "
                f"not {self.bitrate!r}"
            )


@dataclass(frozen=True)
class OutputSettings(Section):
    """[output]: where episodes and the run's state live (briefing/layout.py)."""

    output_dir: Path = setting(
        Path("output"),
        "directory for episodes, the feed and the web page",
        flag="--output",
        commands=(RUN, SCRIPT, DOCTOR, PUBLISH, SERVE),
        metavar="DIR",
    )
    state_dir: Path | None = setting(
        None, "cache of briefed articles and the log (default OUTPUT_DIR/.briefing)"
    )
    retention_days: int | None = setting(
        None, "delete episodes older than this many days", min=1, max=36_500
    )


@dataclass(frozen=True)
class FeedSettings(Section):
    """[feed]: the podcast feed and web page (briefing/publish/)."""

    title: str = setting("Daily briefing", "podcast title")
    description: str = setting(
        "A spoken news briefing, made every morning by briefing.", "podcast description"
    )
    author: str = setting("briefing", "podcast author")
    language: str = setting("en", "language code of the episodes, like en or en-GB")
    category: str = setting("News", "Apple Podcasts category")
    explicit: bool = setting(False, "whether episodes are marked explicit")
    cover: Path | None = setting(None, "square JPEG or PNG cover, 1400-3000 px (default: drawn)")
    base_url: str | None = setting(
        None,
        "public URL of the output directory, like http://192.168.1.20:8000/ "
        "(default: the address `briefing serve` listens on)",
    )
    owner_name: str = setting("", "name in itunes:owner (default: the author)")
    owner_email: str = setting(
        "", "e-mail address in itunes:owner, which Apple uses to reach the feed's owner"
    )
    locked: bool = setting(False, "mark the feed podcast:locked, so other hosts may not import it")


@dataclass(frozen=True)
class ServeSettings(Section):
    """[serve]: `briefing serve` (briefing/publish/serve.py)."""

    host: str = setting(
        "127.0.0.1",
        "address to listen on; 0.0.0.0 lets a phone on your network connect",
        flag="--host",
        commands=(SERVE,),
    )
    port: int = setting(
        8000, "port to listen on", min=0, max=65535, flag="--port", commands=(SERVE,)
    )
    token: str = setting(
        "",
        "a secret path segment every URL must carry (16 to 128 letters, digits, - or _); "
        "any other URL answers 404. `briefing init` writes a random one",
    )


@dataclass(frozen=True)
class RunSettings(Section):
    """[run]: the daily run as a whole (briefing/daily.py)."""

    deadline: float = setting(
        30.0,
        "minutes a run may take before it is stopped (and the lock freed for the next); "
        "a five-minute briefing takes well under one with Piper on two cores",
        min=1,
        max=1440,
    )


@dataclass(frozen=True)
class PublishSettings(Section):
    """[publish]: copying the published files to your own host (briefing/publish/remote.py)."""

    remote: str | None = setting(
        None,
        "rclone destination to upload episodes, feed and page to after each run, like "
        "myserver:briefing/ (a remote set up with `rclone config`) or an rclone connection "
        "string; unset: no upload",
        flag="--remote",
        commands=(PUBLISH,),
        metavar="REMOTE:PATH",
    )
    rclone_config: Path | None = setting(
        None, "rclone config file that defines the remote (default: rclone's own)"
    )
    timeout: float = setting(
        600.0,
        "seconds one upload may take before it is stopped (the next run resumes it)",
        min=10,
        max=86_400,
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.remote is not None and (not self.remote.strip() or self.remote.startswith("-")):
            raise UsageError(
                f"remote must be an rclone destination like myserver:briefing/, not {self.remote!r}"
            )


@dataclass(frozen=True)
class NotifySettings(Section):
    """[notify]: a command run after `briefing run`, e.g. to send a message (briefing/report.py)."""

    command: str | None = setting(
        None,
        "shell command run when a run fails or its upload fails; it reads what happened from "
        "the environment: BRIEFING_STATUS, BRIEFING_EXIT_CODE, BRIEFING_MESSAGE, "
        "BRIEFING_LOG_TAIL, BRIEFING_EPISODE (see docs/commands.md)",
    )
    on_success: bool = setting(
        False, "run the command after every run, also when it made the episode or found nothing new"
    )
    timeout: float = setting(
        60.0, "seconds the command may take before it is stopped", min=1, max=3600
    )


SECTIONS: dict[str, type] = {
    "sources": SourceSettings,
    "script": ScriptSettings,
    "interests": InterestSettings,
    "speech": SpeechSettings,
    "audio": AudioSettings,
    "output": OutputSettings,
    "feed": FeedSettings,
    "serve": ServeSettings,
    "run": RunSettings,
    "publish": PublishSettings,
    "notify": NotifySettings,
}


@dataclass(frozen=True)
class Settings:
    """One run's settings: the date, and one section per stage."""

    date: dt.date = setting(
        help="date of the briefing",
        factory=dt.date.today,
        flag="--date",
        commands=MAKES,
        metavar="YYYY-MM-DD",
        in_file=False,
        default_text="today",
    )
    sources: SourceSettings = field(default_factory=SourceSettings)
    script: ScriptSettings = field(default_factory=ScriptSettings)
    interests: InterestSettings = field(default_factory=InterestSettings)
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    feed: FeedSettings = field(default_factory=FeedSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)
    run: RunSettings = field(default_factory=RunSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    notify: NotifySettings = field(default_factory=NotifySettings)

    @classmethod
    def build(cls, **values: Any) -> Settings:
        """Settings from flat names: a field name where it is unique across sections
        (`rate=200`), else SECTION_FIELD (`feed_cover=...`); `date` too. For tests and
        library callers; the CLI and config file go through `from_values`."""
        return cls.from_values({_locate(name): value for name, value in values.items()})

    @classmethod
    def from_values(cls, values: Mapping[tuple[str, str], Any]) -> Settings:
        """Settings from {(section, field): value}; section "" is the top level (date)."""
        top = {name: v for (section, name), v in values.items() if not section}
        for section, kind in SECTIONS.items():
            given = {name: v for (s, name), v in values.items() if s == section}
            top[section] = kind(**given)
        return cls(**top)

    def but(self, **values: Any) -> Settings:
        """A copy with some settings changed, by the flat names of `build`."""
        changes: dict[str, Any] = {}
        sections: dict[str, dict[str, Any]] = {}
        for name, value in values.items():
            section, key = _locate(name)
            if section:
                sections.setdefault(section, {})[key] = value
            else:
                changes[key] = value
        for section, given in sections.items():
            changes[section] = dataclasses.replace(getattr(self, section), **given)
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Entry:
    """One row of the settings table."""

    section: str  # "" for the top level
    name: str
    type: Any
    spec: Spec
    default: Any  # dataclasses.MISSING where worked out at run time

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}" if self.section else self.name


def table() -> Iterator[Entry]:
    """Every setting, section by section, in declaration order."""
    for section, kind in [("", Settings), *SECTIONS.items()]:
        hints = typing.get_type_hints(kind)
        for f in dataclasses.fields(kind):
            spec = f.metadata.get("spec")
            if spec is None:
                continue  # a section, not a setting
            default = f.default
            if default is dataclasses.MISSING and spec.default_text is None:
                make: Any = f.default_factory  # a fresh {} or (), shown as the default
                default = make()
            yield Entry(section, f.name, hints[f.name], spec, default)


def default(section: type, name: str) -> Any:
    """The declared default of one setting, for a library function's own default."""
    return {f.name: f for f in dataclasses.fields(section)}[name].default


def _locate(name: str) -> tuple[str, str]:
    matches = [(e.section, e.name) for e in table() if e.name == name]
    if len(matches) == 1:
        return matches[0]
    for e in table():
        if e.section and name == f"{e.section}_{e.name}":
            return e.section, e.name
    raise TypeError(f"no setting {name!r}" + (" (ambiguous: give SECTION_NAME)" if matches else ""))
