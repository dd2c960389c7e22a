"""Symbols read as words, parentheses, and the final punctuation tidy-up.

Symbols are read in two passes in the English order (see `passes`): the early ones
("&", "=", "@", "~", bullets) before the abbreviation passes, so "Mr. & Mrs." is "Mr.
and Mrs." before titles are expanded; those the number passes need ("%", "$", "°",
"#", "/") after them. Parentheses become commas first of all, except an area code the
phone pass needs. `punctuation` runs last, on every language: ellipses, dashes,
brackets and the runs of commas and periods the earlier passes left become the pauses
an engine reads well.
"""

from __future__ import annotations

import functools
import re

# Symbols read as words. The number passes need "%", "°", "#", "+", "×", "/" and the
# currency signs, so those are read after them (LATE); the others before the
# abbreviation passes (EARLY), so a second run sees the same words: "Mr. & Mrs." must be
# "Mr. and Mrs." before titles are expanded.
_SYMBOL_WORDS = {
    "&": " and ",
    "+": " plus ",
    "=": " equals ",
    "±": " plus or minus ",
    "×": " times ",
    "÷": " divided by ",
    "≈": " about ",
    "≤": " at most ",
    "≥": " at least ",
    "≠": " not equal to ",
    "→": " to ",
    "§": " section ",
    "°": " degrees ",
    "%": " percent ",
    "‰": " per mille ",
    "@": " at ",
    "$": " dollars ",
    "£": " pounds ",
    "€": " euros ",
    "¥": " yen ",
    "~": " about ",
}
_LATE = "+×°%$£€¥#/"
_SYMBOL_DROP = "*^`{}\\#[]<>¦¬"
_SYMBOL_PAUSE = "|•·▪●◦‣⁃"
_AMPERSAND_CAPS = re.compile(r"[A-Z]&[A-Z]")
TILDE_DOUBLE = re.compile(r"~{2,}")
LESS_MORE = re.compile(r"([<>])(?<=\s[<>])(?=\s)")
SLASH_WORDS = re.compile(r"/(?<=[^\W\d_]/)(?=[^\W\d_])")
_EARLY_CHARS = "".join(
    c for c in (*_SYMBOL_WORDS, *_SYMBOL_DROP, *_SYMBOL_PAUSE, "_") if c not in _LATE
)
SYMBOLS_EARLY = re.compile(f"[{re.escape(_EARLY_CHARS)}]")
SYMBOLS_LATE = re.compile(f"[{re.escape(_LATE)}]")
SYMBOLS_ANY = re.compile(f"[{re.escape(_SYMBOL_DROP + _SYMBOL_PAUSE + '_')}]")

# No "…" or "―" reaches this module: NFKC made "…" "...", and the chars pass "―" "—".
_ELLIPSIS = re.compile(r"(?:\.[ \t]?){2,}\.")
# Patterns that start with a run of blanks begin only where the run begins
# ((?<![ \t])): tried at every blank of a long run, they would backtrack quadratically.
_DASH = re.compile(
    r"(?<![ \t])[ \t]*(?:—|-{2,})|(?<![ \t])[ \t]+[-–][ \t]+|(?<=[^\W\d_])–(?=[^\W\d_])"
)
PARENS = re.compile(r"\(([^()\n]{0,1000})\)")
_AREA_CODE = re.compile(r"\+?[0-9]{1,5}")
_BRACKETS = re.compile(r"[\[\]{}]")
_STRAY_PARENS = re.compile(r"[()]")
_REPEATED = [
    (re.compile(r"'{2,}"), '"'),  # ’’ or `` '' quoting: one double quote
    (re.compile(r"([!?])[!?]+"), r"\1"),
    (re.compile(r"[ \t][-–][ \t]"), ", "),  # a spaced dash is a pause, wherever it came from
    (re.compile(r"[ \t](?<![ \t][ \t])[ \t]*([,.;:!?])"), r"\1"),
    (re.compile(r",(?:[ \t]*,)+"), ","),
    (re.compile(r";(?:[ \t]*[;,])+"), ";"),
    (re.compile(r"\.(?:[ \t]*\.)+"), "."),
    (re.compile(r"[,;:](?<![,;:][,;:])[,;:]*[ \t]*([.!?])"), r"\1"),
    (re.compile(r"([.!?])[ \t]*[,;:]+"), r"\1"),
    (re.compile(r"([,;])(?=[^\s\d\"',;.!?])"), r"\1 "),
    (re.compile(r"(?m)^[ \t,;:.!?]+"), ""),
    (re.compile(r"(?m)^[-*+][ \t]+"), ""),  # what the markup pass would take for a bullet
    (re.compile(r"(?m)[,;][ \t]*$"), ""),
    (re.compile(r"\"[ \t]*,[ \t]*\""), ", "),
    (re.compile(r"([\"'])(?<![^\s][\"'])[ \t]*,[ \t]*"), r"\1"),
]
_SPACES = re.compile(r"[ \t]{2,}")
_LINE_EDGES = re.compile(r"[ \t](?<![ \t][ \t])[ \t]*\n|\n[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _ellipsis(m: re.Match[str]) -> str:
    s = m.string
    before = s[max(0, m.start() - 1) : m.start()]
    after = s[m.end() : m.end() + 3].lstrip(" \t")
    if not before.strip() or before in "\"'(,;:.!?":
        return ""
    if after[:1].islower() or after[:1].isdigit():
        return ", "
    return ". " if after else "."


def parens_early(m: re.Match[str]) -> str:
    if _AREA_CODE.fullmatch(m.group(1)):
        return m.group(0)
    if defines_acronym(m.string, m.start(), m.group(1)):
        return " "
    return _parens(m)


# Words an acronym may leave out: "National Institute of Allergy and Infectious
# Diseases (NIAID)".
_ACRONYM_SKIPS = frozenset({"of", "and", "the", "for", "on", "in", "to", "at", "de", "&"})
_ACRONYM = re.compile(r"[A-Za-z]{2,10}")
_WORDS_BEFORE = re.compile(r"[^\W\d_]+|&")


def defines_acronym(text: str, start: int, inner: str) -> bool:
    """True if `inner`, in parentheses at `start`, only gives the initials of the words
    just before it: "African Union (AU)", "Ebola virus disease (EVD)", "African
    Continental Free Trade Area (AfCFTA)". Written, it defines the acronym; heard, it
    repeats the name as a string of letters, so it is not said."""
    inner = inner.strip()
    capitals = [c.lower() for c in inner if c.isupper()]
    if len(capitals) < 2 or not _ACRONYM.fullmatch(inner):
        return False
    # A bounded look back keeps the pass linear in the text.
    words = [
        w.lower() for w in _WORDS_BEFORE.findall(text[max(0, start - 40 * len(capitals)) : start])
    ]

    @functools.cache
    def matches(letters: int, before: int) -> bool:
        """The first `letters` capitals are the initials of words ending before word
        `before`, which ends right before the parenthesis."""
        if letters == 0:
            return True
        if before == 0:
            return False
        word = words[before - 1]
        # "and" in "Allergy and Infectious" may be a letter or a word left out: try both.
        return (word[0] == capitals[letters - 1] and matches(letters - 1, before - 1)) or (
            word in _ACRONYM_SKIPS and matches(letters, before - 1)
        )

    return matches(len(capitals), len(words))


def _parens(m: re.Match[str]) -> str:
    inner = m.group(1).strip(" \t,;")
    return f", {inner}, " if inner else " "


def symbol_en(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch == "&" and _AMPERSAND_CAPS.match(m.string, max(0, m.start() - 1)):
        return ch  # engines read AT&T and R&D as letters and "and"
    if ch in _SYMBOL_WORDS:
        return _SYMBOL_WORDS[ch]
    if ch in _SYMBOL_PAUSE:
        return ", "
    return " " if ch in "_/" else ""


def symbol_any(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch in _SYMBOL_PAUSE:
        return ", "
    return " " if ch == "_" else ""


def punctuation(text: str) -> str:
    if ".." in text or ". ." in text:
        text = _ELLIPSIS.sub(_ellipsis, text)
    if "--" in text or "—" in text or "–" in text or " - " in text:
        text = _DASH.sub(lambda m: "-" if m.group(0) == "–" else ", ", text)
    for _ in range(3):  # nested parentheses, innermost first
        text, n = PARENS.subn(_parens, text)
        if not n:
            break
    text = _STRAY_PARENS.sub(" ", text)
    text = _BRACKETS.sub("", text)
    text = _SPACES.sub(" ", text)
    for _ in range(5):  # one rule's output can feed an earlier one: ", ." -> "." ...
        before = text
        for pattern, repl in _REPEATED:
            text = pattern.sub(repl, text)
        text = _SPACES.sub(" ", text)
        if text == before:
            break
    if "\n" in text:
        text = _BLANK_LINES.sub("\n\n", _LINE_EDGES.sub("\n", text))
    return text.strip()
