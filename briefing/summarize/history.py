"""The stories briefed on earlier days, so a follow-up is told as an update.

The daily run records each episode's stories (headline and the sentences spoken) in
`history.json` in the state directory; the planner reads the last `[script]
update_days` days of it. What is kept is what the listener heard, not the articles:
that is what today's report is compared with, both to tell it is the same event
(briefing/summarize/event.py) and to find what is new.

The file is bounded: stories older than KEEP_DAYS and beyond KEEP_STORIES are dropped
on each write, which is atomic. A damaged file is moved aside (kept, not lost) and
reported once, like the seen cache (briefing/sources/cache.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefing.fsutil import atomic_write_text, move_aside
from briefing.models import Problem, Story

KEEP_DAYS = 60  # the most [script] update_days allows
KEEP_STORIES = 1000  # some 16 a day for KEEP_DAYS: a few hundred KB at most
_VERSION = 1


@dataclass(frozen=True)
class Briefed:
    """One story as it was told on `date`. For an update, `first_headline` and
    `first_date` are the event's as first told, so a third report is an update on it too."""

    date: dt.date
    headline: str
    sentences: tuple[str, ...]
    first_headline: str = ""
    first_date: dt.date | None = None

    @property
    def event_headline(self) -> str:
        return self.first_headline or self.headline

    @property
    def event_date(self) -> dt.date:
        return self.first_date or self.date

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "date": self.date.isoformat(),
            "headline": self.headline,
            "sentences": list(self.sentences),
        }
        if self.first_headline:
            out["first_headline"] = self.first_headline
        if self.first_date:
            out["first_date"] = self.first_date.isoformat()
        return out

    @classmethod
    def from_json(cls, raw: object) -> Briefed:
        if not isinstance(raw, dict):
            raise ValueError("a story is not an object")
        sentences = raw["sentences"]
        headline = raw["headline"]
        first = raw.get("first_headline", "")
        if (
            not isinstance(headline, str)
            or not isinstance(first, str)
            or not isinstance(sentences, list)
            or not all(isinstance(s, str) for s in sentences)
        ):
            raise ValueError("a story's headline or sentences are not text")
        first_date = raw.get("first_date")
        return cls(
            dt.date.fromisoformat(raw["date"]),
            headline,
            tuple(sentences),
            first,
            dt.date.fromisoformat(first_date) if first_date else None,
        )


@dataclass
class History:
    path: Path
    stories: list[Briefed] = field(default_factory=list)
    problem: Problem | None = None  # set when the file was damaged and moved aside

    @classmethod
    def load(cls, path: Path) -> History:
        """Read the history; a damaged file is moved aside and reported in `problem`."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != _VERSION:
                raise ValueError("unknown format")
            return cls(path, [Briefed.from_json(s) for s in data["stories"]])
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            where = move_aside(path)
            return cls(
                path,
                problem=Problem(
                    str(path),
                    f"the history of briefed stories is unreadable ({exc}); {where} and "
                    "started afresh, so today's follow-ups are told in full",
                ),
            )

    def recent(self, date: dt.date, days: int) -> list[Briefed]:
        """Stories told in the `days` days before `date` (not on it: re-making a day
        must not make its stories updates of themselves), oldest first."""
        if days <= 0:
            return []
        since = date - dt.timedelta(days=days)
        return [s for s in self.stories if since <= s.date < date]

    def record(self, stories: Iterable[Story], date: dt.date) -> None:
        """Remember `stories` as told on `date`, in place of any told that day before."""
        self.record_told(
            (
                Briefed(date, s.headline, s.sentences, s.update_of, s.update_of_date)
                for s in stories
            ),
            date,
        )

    def record_told(self, told: Iterable[Briefed], date: dt.date) -> None:
        """Remember `told` (from a day's journal) as the stories of `date`, in place of
        any told that day before."""
        self.stories = [s for s in self.stories if s.date != date]
        self.stories += [dataclasses.replace(s, date=date) for s in told]

    def save(self, today: dt.date) -> None:
        cutoff = today - dt.timedelta(days=KEEP_DAYS)
        kept = sorted((s for s in self.stories if s.date >= cutoff), key=lambda s: s.date)
        kept = kept[-KEEP_STORIES:]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": _VERSION, "stories": [s.to_json() for s in kept]}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=0) + "\n")


def record_stories(stories: Sequence[Story], date: dt.date, path: Path) -> Problem | None:
    """After an episode is made: add its stories to the history at `path`. Returns
    what was wrong with the file before (it was moved aside); raises OSError when the
    history cannot be written."""
    history = History.load(path)
    history.record(stories, date)
    history.save(date)
    return history.problem


@dataclass(frozen=True)
class Recent:
    stories: tuple[Briefed, ...] = ()
    problems: tuple[Problem, ...] = ()


def recent_stories(path: Path, date: dt.date, days: int) -> Recent:
    """The stories told in the `days` days before `date`; with `days` 0, none, and the
    file is not read."""
    if days <= 0:
        return Recent()
    history = History.load(path)
    problems = (history.problem,) if history.problem else ()
    return Recent(tuple(history.recent(date, days)), problems)
