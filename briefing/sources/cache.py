"""Which articles were briefed on which day, so a feed's story is not told twice.

A JSON file in the state directory maps keys (the article's URL and a hash of its text,
so a story re-posted under a new address is caught too) to the first date it was briefed.
An article is skipped only if that date is *before* the briefing's date: re-making
today's briefing (`--force`) keeps today's stories.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from briefing.fsutil import atomic_write_text, move_aside
from briefing.models import Article, Problem

KEEP_DAYS = 180  # long past any feed's memory; bounds the file at a few MB
_VERSION = 1


def url_key(url: str) -> str:
    """The URL without its #fragment, scheme and host lower-cased."""
    parts = urlsplit(url.strip())
    return "url:" + urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def text_key(text: str) -> str:
    words = re.sub(r"\W+", " ", text.casefold()).split()
    return "sha256:" + hashlib.sha256(" ".join(words).encode()).hexdigest()[:32]


def article_keys(article: Article) -> list[str]:
    keys = [text_key(article.body)]
    if article.url:
        keys.insert(0, url_key(article.url))
    return keys


class SeenCache:
    def __init__(self, path: Path, entries: dict[str, str] | None = None) -> None:
        self.path = path
        self.entries: dict[str, str] = entries or {}  # key -> ISO date first briefed
        self.problem: Problem | None = None

    @classmethod
    def load(cls, path: Path) -> SeenCache:
        """Read the cache; a damaged file is moved aside (kept, not lost) and reported."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["briefed"]
            if data.get("version") != _VERSION or not isinstance(entries, dict):
                raise ValueError("unknown format")
            for key, value in entries.items():
                dt.date.fromisoformat(value)
                if not isinstance(key, str):
                    raise ValueError("bad key")
            return cls(path, entries)
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            cache = cls(path)
            where = move_aside(path)
            cache.problem = Problem(
                str(path),
                f"the cache of briefed articles is unreadable ({exc}); {where} and started "
                "afresh, so stories from earlier days may be repeated once",
            )
            return cache

    def briefed_before(self, keys: Iterable[str], date: dt.date) -> dt.date | None:
        """The earlier date on which any of `keys` was briefed, else None."""
        for key in keys:
            when = self.entries.get(key)
            if when is not None and dt.date.fromisoformat(when) < date:
                return dt.date.fromisoformat(when)
        return None

    def record(self, keys: Iterable[str], date: dt.date) -> None:
        for key in keys:
            old = self.entries.get(key)
            if old is None or date.isoformat() < old:
                self.entries[key] = date.isoformat()

    def save(self, today: dt.date) -> None:
        cutoff = (today - dt.timedelta(days=KEEP_DAYS)).isoformat()
        kept = {k: v for k, v in sorted(self.entries.items()) if v >= cutoff}
        atomic_write_text(
            self.path, json.dumps({"version": _VERSION, "briefed": kept}, indent=0) + "\n"
        )
