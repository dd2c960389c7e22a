"""A pronunciation lexicon: names said right by every engine ("Niamey" -> "Nee-ah-may").

Speech engines guess names from their spelling, and the guesses of espeak-ng (which
Piper and pyttsx3 use too) are often far off: "Niamey" is heard as "Iowa". A lexicon
maps a word or phrase to a respelling the engine reads right. Briefing ships a list
for names common in the news (`briefing/data/lexicon-en.toml`: heads of state and
government, capitals, agencies), each kept only because a speech recognizer heard the
name better with it, through espeak-ng and through Piper, with Kokoro's own choices
heard through Kokoro (see docs/voice.md); a user file adds to it and overrides it.

The file is TOML, one `word = "respelling"` per line (quote a key with a space or a
dot: `"Mahamadou Issoufou" = "..."`). Matching is whole-word and case-aware:
- a key with a capital matches as written, and in capitals if it has lower-case
  letters too ("Niamey" matches "NIAMEY", while "AU" never matches "au");
- an all-lower-case key matches any case, and the respelling takes the case of the
  match's first letter.
An entry can be for some engines only: `Merz = { say = "Mairts", engine = "piper" }`
(`engine` is a name or a list of names; a table without it is for every engine); a
respelling that helps one voice can hurt another (`for_engine` gives an engine's
entries: those for every engine, then its own). A list of such tables gives engines
different respellings of one name (TOML keys are unique):
`Merz = [{ say = "Mairts", engine = "piper" }, { say = "Mertz", engine = "kokoro" }]`;
at most one item may be for every engine (a string, or a table without engine: the
others' fallback), and an engine named twice makes the entry bad.
A bad entry is one problem line and is skipped; a bad file is one problem line and no
entries: never an exception.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

MAX_KEY = 100
MAX_RESPELLING = 200


@dataclass(frozen=True)
class Lexicon:
    """Words or phrases and what to say instead; empty means no change."""

    entries: Mapping[str, str] = field(default_factory=dict)
    # engine name -> its own entries, which win over `entries` for that engine
    by_engine: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_matcher", _Matcher.build(dict(self.entries)))
        object.__setattr__(self, "_engines", {})

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with `other`'s entries added, `other` winning on a clash (an entry
        of `other` for every engine replaces this one's for some engines too)."""
        engines = set(self.by_engine) | set(other.by_engine)
        return Lexicon(
            {**self.entries, **other.entries},
            {
                e: {
                    **{
                        k: v for k, v in self.by_engine.get(e, {}).items() if k not in other.entries
                    },
                    **other.by_engine.get(e, {}),
                }
                for e in engines
            },
        )

    def for_engine(self, engine: str) -> Lexicon:
        """The entries `engine` says: those for every engine, and its own."""
        own = self.by_engine.get(engine)
        if not own:
            return self if not self.by_engine else Lexicon(self.entries)
        made: dict[str, Lexicon] = getattr(self, "_engines")  # noqa: B009
        if engine not in made:
            made[engine] = Lexicon({**self.entries, **own})
        return made[engine]

    def apply(self, text: str) -> str:
        matcher: _Matcher | None = getattr(self, "_matcher", None)
        return matcher.apply(text) if matcher is not None else text

    def __bool__(self) -> bool:
        return bool(self.entries) or any(self.by_engine.values())


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Matcher:
    """Finds entries word by word: each word of the text is looked up by the first word
    of the keys, so the cost is one dict lookup a word however long the lexicon is."""

    # first word (as written, or case-folded) -> (key as it must appear, folded?, value)
    exact: dict[str, list[tuple[str, bool, str]]]
    folded: dict[str, list[tuple[str, bool, str]]]

    @staticmethod
    def build(entries: dict[str, str]) -> _Matcher | None:
        if not entries:
            return None
        exact: dict[str, list[tuple[str, bool, str]]] = {}
        folded: dict[str, list[tuple[str, bool, str]]] = {}
        for key, value in entries.items():
            first = _WORD.match(key)
            if first is None:
                continue  # check_entry keeps such keys out; a Lexicon built by hand may not
            if key.islower() or not any(c.isalpha() for c in key):
                folded.setdefault(first.group().casefold(), []).append(
                    (key.casefold(), True, value)
                )
                continue
            forms = {key, key.upper()} if key.upper() != key else {key}
            for form in forms:
                exact.setdefault(_WORD.match(form).group(), []).append(  # type: ignore[union-attr]
                    (form, False, value)
                )
        for table in (exact, folded):
            for found in table.values():
                found.sort(key=lambda e: len(e[0]), reverse=True)  # longest phrase first
        return _Matcher(exact, folded)

    def apply(self, text: str) -> str:
        out: list[str] = []
        done = 0
        for m in _WORD.finditer(text):
            start = m.start()
            if start < done:
                continue  # inside a phrase already replaced
            word = m.group()
            for key, fold, value in self.exact.get(word, []) + self.folded.get(word.casefold(), []):
                end = start + len(key)
                said = text[start:end]
                if (said.casefold() != key if fold else said != key) or (
                    key[-1:].isalnum() and end < len(text) and _is_word_char(text[end])
                ):
                    continue
                if fold and said[:1].isupper():
                    value = value[:1].upper() + value[1:]
                out.append(text[done:start])
                out.append(value)
                done = end
                break
        out.append(text[done:])
        return "".join(out)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


Respelling = tuple[str, tuple[str, ...]]  # what to say, the engines it is for (() for all)


def entry_engines(value: object) -> list[Respelling] | str:
    """The respellings of an entry's value, each with the engines it is for (() for
    every engine), or why it cannot be used."""
    if not isinstance(value, list):
        one = _respelling(value)
        return one if isinstance(one, str) else [one]
    if not value:
        return "the list is empty; give it { say = ..., engine = ... } tables"
    found: list[Respelling] = []
    for n, item in enumerate(value, 1):
        one = _respelling(item) if not isinstance(item, list) else "a list in a list"
        if isinstance(one, str):
            return f"item {n} of the list: {one}"
        found.append(one)
    if sum(1 for _, engines in found if not engines) > 1:
        return "more than one respelling in the list is for every engine; name their engines"
    named: set[str] = set()
    for _, engines in found:
        for engine in engines:
            if engine in named:
                return f"engine {engine!r} is named twice; give each engine one respelling"
            named.add(engine)
    return found


def _respelling(value: object) -> Respelling | str:
    if isinstance(value, str):
        return value, ()
    if not isinstance(value, dict):
        return f"the respelling must be text in quotes, not {type(value).__name__}"
    extra = sorted(set(value) - {"say", "engine"})
    say, engine = value.get("say"), value.get("engine", [])
    if extra or not isinstance(say, str):
        return 'a table must be { say = "respelling", engine = "ENGINE" }' + (
            f", not with {', '.join(extra)}" if extra else ""
        )
    if "engine" not in value:
        return say, ()
    engines = [engine] if isinstance(engine, str) else engine
    if (
        not isinstance(engines, list)
        or not engines
        or not all(isinstance(e, str) and e.strip() for e in engines)
    ):
        return 'engine must be an engine name ("kokoro") or a list of names'
    return say, tuple(e.strip() for e in engines)


def check_entry(key: object, value: object) -> str | None:
    """Why this entry cannot be used, or None if it can."""
    parsed = entry_engines(value)
    if isinstance(parsed, str):
        return parsed
    if not isinstance(key, str) or not _WORD.match(key):
        return "the word must start with a letter or digit"
    if key != key.strip() or "\n" in key:
        return "the word must not start or end with a space or span lines"
    if len(key) > MAX_KEY:
        return f"the word is longer than {MAX_KEY} characters"
    for say, _ in parsed:
        if not say.strip():
            return "the respelling is empty"
        if len(say) > MAX_RESPELLING or "\n" in say:
            return f"the respelling must be one line of at most {MAX_RESPELLING} characters"
    return None


def parse_lexicon(text: str, source: str) -> tuple[Lexicon, list[str]]:
    """Entries from TOML text, and one problem line per unusable entry (or file)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Lexicon(), [
            f'{source}: not valid TOML ({exc}); write one word = "respelling" per line; '
            "no lexicon entries from it are used"
        ]
    entries: dict[str, str] = {}
    by_engine: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for key, value in data.items():
        why = check_entry(key, value)
        if why is not None:
            problems.append(f"{source}: entry {key!r} is ignored: {why}")
            continue
        parsed = entry_engines(value)
        assert not isinstance(parsed, str)  # check_entry passed it
        for say, engines in parsed:
            if not engines:
                entries[key] = say.strip()
            for engine in engines:
                by_engine.setdefault(engine, {})[key] = say.strip()
    return Lexicon(entries, by_engine), problems


def load_lexicon(path: Path) -> tuple[Lexicon, list[str]]:
    """The user's lexicon file: entries and problems; never raises."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Lexicon(), [f"{path}: no such lexicon file; no lexicon entries are used"]
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Lexicon(), [f"{path}: cannot read the lexicon ({why}); no entries are used"]
    return parse_lexicon(text, str(path))


@cache
def builtin_lexicon() -> Lexicon:
    """The respellings that ship with briefing (English)."""
    text = resources.files("briefing").joinpath("data/lexicon-en.toml").read_text("utf-8")
    # The shipped file has no problems: tests/test_lexicon.py checks it.
    return parse_lexicon(text, "briefing/data/lexicon-en.toml")[0]
