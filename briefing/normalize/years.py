"""Years and decades: "1990s", "the '80s", "1,000s", "2010-2015", "in 1990".

Year ranges run after phones and before ratios and units; decades after ordinals;
lone years late, after fractions and dotted numbers and before number ranges and plain
numbers, so only four-digit numbers nothing else claimed are left. Whether "1500" is a
year ("in 1500") or a count ("1500 troops") is decided from the words around it.
"""

from __future__ import annotations

import re

from briefing.normalize.numbers import (
    D1_W,
    D1_WQ,
    MONTH_ABBR,
    MONTH_NAMES,
    Y_W,
    cardinal,
    cardinal_int,
    plural,
    year_words,
)

DECADE_SHORT = re.compile(r"'(?<![\w.,']')(?P<d>[0-9]0)'?s(?![\w'])")
DECADE = re.compile(rf"(?P<d>{D1_WQ}[0-9]{{1,3}})'?s(?![\w'])")
ROUND_PLURAL = re.compile(rf"(?P<n>{D1_W}(?:0{{0,2}}(?:,000)+|00))'?s(?![\w'])")
YEAR_RANGE = re.compile(
    rf"(?P<a>{Y_W}[0-9]{{3}})\s?[-–/]\s?(?P<b>[12][0-9]{{3}}|[0-9]{{2}})"
    r"(?![0-9]|[.,][0-9]|\s?%)"
)
YEAR = re.compile(rf"(?P<y>{Y_W}[0-9]{{3}})(?![0-9]|[.,][0-9]|\s?%)")
_STRONG_YEAR_CUES = {
    "in",
    "since",
    "by",
    "until",
    "till",
    "through",
    "during",
    "before",
    "after",
    "circa",
    "early",
    "late",
    "mid",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "year",
    "ad",
    "ce",
    "from",
    "between",
    "election",
    "season",
    "class",
    *(name.lower() for name in MONTH_NAMES),
    *(a.lower() for a in MONTH_ABBR),
}
_YEAR_AFTER = {
    "bc",
    "bce",
    "ad",
    "ce",
    "election",
    "elections",
    "season",
    "census",
    "budget",
    "olympics",
    "games",
    "model",
    "vintage",
    "edition",
    "campaign",
    "midterms",
    "war",
    "crisis",
    "and",
    "to",
    "or",
    "when",
    "as",
    "that",
    "after",
    "before",
    "until",
    "through",
    "was",
    "is",
    "had",
    "saw",
    "brought",
    "marked",
    "the",
    "a",
    "an",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "there",
    "this",
    "however",
    "but",
}
_DETERMINERS = {"the", "a", "its", "his", "her", "their", "our", "this", "that", "whose", "your"}
_COUNT_NOUNS = {
    "people",
    "men",
    "women",
    "children",
    "police",
    "staff",
    "personnel",
    "cattle",
    "sheep",
    "fish",
    "feet",
    "teeth",
    "mice",
    "geese",
    "more",
    "new",
    "other",
    "of",
}


def decade(m: re.Match[str]) -> str:
    d = m.group("d")
    n = int(d)
    if len(d) == 4 and d.endswith("0") and 1000 <= n <= 2099:
        return plural(year_words(n))  # the 1990s
    if len(d) == 2 and d.endswith("0"):
        return plural(cardinal_int(n))  # in her 30s
    if d in ("100", "1000"):
        return plural(cardinal_int(n).removeprefix("one "))  # 100s of people
    return m.group(0)


def decade_short(m: re.Match[str]) -> str:
    return plural(cardinal_int(int(m.group("d"))))  # the '80s


def round_plural(m: re.Match[str]) -> str:
    return plural(cardinal(m.group("n")).removeprefix("one "))


def year_range(m: re.Match[str]) -> str:
    a, b = int(m.group("a")), m.group("b")
    second = int(b) if len(b) == 4 else (a // 100) * 100 + int(b)
    if not 1000 <= a < second <= min(a + 200, 2099):
        return m.group(0)
    return f"{year_words(a)} to {year_words(second)}"


def year_sub(m: re.Match[str]) -> str:
    y = int(m.group("y"))
    if y > 2099:
        return m.group(0)
    before = m.string[max(0, m.start() - 30) : m.start()]
    prev = re.findall(r"[A-Za-z]+(?=[\s-]*$)", before)
    prev_word = prev[-1].lower() if prev else ""
    after = m.string[m.end() : m.end() + 30]
    nxt = re.match(r"\s*(?:'s\b|[-–]?([A-Za-z]+))?", after)
    next_word = (nxt.group(1) or "") if nxt else ""
    if prev_word in _STRONG_YEAR_CUES or after.startswith("'s"):
        return year_words(y)
    if not next_word or not next_word[0].islower() or next_word in _YEAR_AFTER:
        return year_words(y)
    if prev_word in _DETERMINERS:
        return year_words(y)  # "the 2030 target", "a 2019 study"
    if next_word in _COUNT_NOUNS or (next_word.endswith("s") and not next_word.endswith("ss")):
        return cardinal_int(y)  # "1500 troops", "2000 people"
    return year_words(y)
