"""Plain data passed between pipeline stages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefing.sanitize import clean_headline, clean_line, clean_text

# Callbacks between stages: progress of long work, (stage, done, total), shown on a
# terminal; and how long a briefing of some stories takes to say (the script stage builds
# it from the template, the planner fits the stories to --minutes with it).
Progress = Callable[[str, int, int], None]
SecondsOf = Callable[[Sequence["Story"]], float]


@dataclass(frozen=True)
class Article:
    """One loaded article: the load stage's output."""

    headline: str
    body: str
    source: str = ""
    path: Path | None = None
    url: str = ""
    # The article had no headline: `headline` was made from its first sentence, which
    # the body still holds, so a script need not say it twice.
    headline_from_text: bool = False

    def __post_init__(self) -> None:
        # Every source makes Articles: here, once for all of them, control characters
        # are removed and the headline bounded (briefing/sanitize.py).
        object.__setattr__(self, "headline", clean_headline(self.headline))
        object.__setattr__(self, "body", clean_text(self.body))
        object.__setattr__(self, "source", clean_line(self.source))


@dataclass(frozen=True)
class Story:
    """What the briefing says about one event: the summarize stage's output."""

    headline: str
    sentences: tuple[str, ...]
    sources: tuple[str, ...] = ()
    headline_from_text: bool = False  # see Article.headline_from_text
    # The listener's topic ([interests] favour) that put it first, as they wrote it.
    interest: str = ""
    # A follow-up of a story told on an earlier day: that story's headline and date;
    # `sentences` then say only what is new.
    update_of: str = ""
    update_of_date: dt.date | None = None
    language: str = "en"  # of its text, as detected (briefing/nlp/language.py)
    # What it is about, as said ("sport", "world news"; briefing/summarize/topic.py),
    # "" when unclear; and in a briefing grouped by topic, the section it is told in.
    topic: str = ""
    section: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


@dataclass(frozen=True)
class Run:
    """A stretch of a segment in one language: a story's own words, or the template's."""

    text: str
    language: str = ""  # "": the briefing's own language (the template's words)


@dataclass(frozen=True)
class Segment:
    """One spoken part of the script; pauses and chapters follow segment boundaries."""

    kind: str  # "intro", "story" or "outro"
    text: str
    title: str = ""
    pause_after_ms: int = 0
    # The text as runs of one language each (a German story inside an English
    # briefing: "Next:" is English, the headline German); () means one run of `text`.
    runs: tuple[Run, ...] = ()
    index: int = -1  # the story's place in the briefing (0, 1...); -1 for the rest

    def language_runs(self) -> tuple[Run, ...]:
        return self.runs or (Run(self.text),)


@dataclass(frozen=True)
class Script:
    """The rendered briefing script: the script stage's output."""

    date: dt.date
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.segments if s.text) + "\n"

    @property
    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.segments)


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input that the run skipped and reported."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Cue:
    """One spoken sentence and when it is heard, in seconds from the start of its audio
    (a segment's, then the episode's): the timed transcript's lines."""

    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Episode:
    """The finished briefing: the assemble stage's output."""

    mp3: Path
    script_path: Path
    duration_s: float
    chapters: tuple[Chapter, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    segments: tuple[Segment, ...] = ()  # as spoken, one per chapter
    cues: tuple[Cue, ...] = ()  # when each sentence is heard in the episode
    segment_voices: tuple[str, ...] = ()  # who read each segment ("espeak-ng de")
    stories: tuple[Story, ...] = ()
    articles: tuple[Article, ...] = ()  # what the stories were made from
    voice: str = ""  # the engine and voice that spoke it, e.g. "piper en_US-joe-medium"
