"""Which of the listener's topics a story is about: `[interests] favour` and `mute`.

A topic is a word, a phrase or a name, matched as a listener would expect:

- accents do not matter ("Rossello" finds "Rosselló"), nor does a possessive
  ("Arsenal" finds "Arsenal's");
- a word written in lower case matches in any case, by its stem: "climate" finds
  "Climate" and "climatic", "election" finds "elections";
- a word written with a capital is a name: it matches whole, where the text writes it
  with a capital too ("READING" or "Reading", not "reading" or "read"; "Apple", not
  "apples"). So write "climate", not "Climate", unless you mean a name;
- a phrase ("Bank of England", "climate change") matches its words in a row, hyphens
  or not ("climate-change"); once a story names a person in full ("Boris Johnson"),
  its later "Johnson" counts too.

A story is about a topic when the topic is in its headline, or in one of its first
sentences, or in several later ones (`ABOUT`): a passing mention deep in a report
("...a celebrity chef cooked") does not make a politics story a celebrity story.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from briefing.nlp import language

# Where a topic is found, and what that says of what the story is about.
IN_HEADLINE = 2.0
IN_LEAD = 1.0  # each of the first LEAD_SENTENCES sentences it is in
LATER = 1 / 3  # each later sentence: three such mentions make a story about it
LEAD_SENTENCES = 3
ABOUT = 1.0  # the weight at which a story is about a topic

_TOKEN_RE = re.compile(r"\w+")
_POSSESSIVE_RE = re.compile(r"(?<=\w)['’]s\b", re.IGNORECASE)


@dataclass(frozen=True)
class Topic:
    """One of the listener's topics, as they wrote it."""

    text: str
    words: tuple[str, ...]  # folded
    names: tuple[bool, ...]  # per word: written with a capital, so matched whole

    @classmethod
    def parse(cls, text: str) -> Topic:
        raw = _TOKEN_RE.findall(_POSSESSIVE_RE.sub("", text))
        return cls(
            " ".join(text.split()),
            tuple(fold(w) for w in raw),
            tuple(any(c.isupper() for c in w) for w in raw),
        )


@dataclass(frozen=True)
class _Words:
    """A text as topics are looked for in it."""

    words: list[str]  # folded
    stems: list[str]
    caps: list[bool]  # written with a capital
    present: frozenset[str]  # the words, to skip a text that lacks a topic's first word
    stemmed: frozenset[str]


@dataclass(frozen=True)
class Match:
    topic: Topic
    weight: float  # how much the story is about it (ABOUT and up: it is)


def fold(word: str) -> str:
    """Lower case without accents: what a listener typing a topic means by a word."""
    return _unaccented(word).casefold()


def _unaccented(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tokens(text: str) -> tuple[list[str], list[bool]]:
    """The text's words folded, and whether each was written with a capital."""
    raw = _TOKEN_RE.findall(_unaccented(_POSSESSIVE_RE.sub("", text)))
    return [w.casefold() for w in raw], [w != w.lower() for w in raw]


class Matcher:
    """Finds topics in texts of one language (stems are the language's)."""

    def __init__(self, topics: Sequence[Topic], code: str = "en") -> None:
        self.topics = tuple(t for t in topics if t.words)
        self.stem: Callable[[str], str] = _stemmer(code)
        # Each topic word as it is compared: whole for names, else its stem.
        self._wanted = [
            tuple(w if name else self.stem(w) for w, name in zip(t.words, t.names, strict=True))
            for t in self.topics
        ]

    def _keys(self, text: str) -> _Words:
        words, caps = _tokens(text)
        stems = [self.stem(w) for w in words]
        return _Words(words, stems, caps, frozenset(words), frozenset(stems))

    def _finds(self, i: int, text: _Words, *, surname: bool = False) -> bool:
        topic, wanted = self.topics[i], self._wanted[i]
        if surname:
            # Only the last word, a name: "Johnson" after "Boris Johnson".
            return any(
                w == topic.words[-1] and cap for w, cap in zip(text.words, text.caps, strict=True)
            )
        if wanted[0] not in (text.present if topic.names[0] else text.stemmed):
            return False  # most texts lack most topics: no need to look further
        for start in range(len(text.words) - len(wanted) + 1):
            if all(
                text.words[start + k] == wanted[k] and text.caps[start + k]
                if name
                else text.stems[start + k] == wanted[k]
                for k, name in enumerate(topic.names)
            ):
                return True
        return False

    def about(self, headline: str, sentences: Sequence[str]) -> list[Match]:
        """The topics the story is about, strongest first (ties in the listener's order)."""
        head = self._keys(headline)
        body = [self._keys(s) for s in sentences]
        found = []
        for i, topic in enumerate(self.topics):
            in_head = self._finds(i, head)
            named = in_head
            weight = IN_HEADLINE if in_head else 0.0
            for k, text in enumerate(body):
                hit = self._finds(i, text)
                if not hit and named and len(topic.words) > 1 and topic.names[-1]:
                    hit = self._finds(i, text, surname=True)
                named = named or hit
                if hit:
                    weight += IN_LEAD if k < LEAD_SENTENCES else LATER
            if weight >= ABOUT:
                found.append((weight, -i, Match(topic, weight)))
        return [m for _, _, m in sorted(found, key=lambda x: (x[0], x[1]), reverse=True)]


@cache
def _stemmer(code: str) -> Callable[[str], str]:
    try:
        return language.stemmer(code)
    except KeyError:  # a language without a stemmer: whole words only
        return lambda w: w


def topics(texts: Sequence[str]) -> tuple[Topic, ...]:
    return tuple(Topic.parse(t) for t in texts)
