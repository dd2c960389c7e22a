"""Dates: "Dec. 1, 2025", "1 December", "March 2020", "2025-12-01", "01/12/2025", and
ranges of days: "Oct. 28-29", "Dec. 31-Jan. 2", "28-29 October".

The first of the number passes (after the leading minus sign): a date's digits must
become words before the time, money, year and plain-number passes could read "1" or
"2025" on their own. Numeric dates whose day and month could be either way round are read as
written, never guessed.
"""

from __future__ import annotations

import re

from briefing.normalize.matching import glued
from briefing.normalize.numbers import (
    D_DATE,
    D_DAY,
    MONTH_ABBR,
    MONTH_NAMES,
    Y_ISO,
    cardinal_int,
    ordinal_int,
    year_words,
)

_MONTH = (
    rf"(?P<mon>(?:{'|'.join(MONTH_NAMES)})(?![a-z])|"
    rf"(?:{'|'.join(sorted(MONTH_ABBR, key=len, reverse=True))})(?![a-z])\.?)"
)
_DAY_END = r"(?:st|nd|rd|th)?(?![0-9]|[.,:][0-9]|\s?%)"
_YEAR_TAIL = r"(?:(?P<comma>,)?\s+(?P<year>[0-9]{4})(?![0-9]|[.,][0-9]))?"
# Month names start these patterns (no \b: it would disable re's fast first-character
# scan); the callbacks reject a match glued to a word before it.
MONTH_DAY = re.compile(rf"{_MONTH}\s+(?P<day>[0-9]{{1,2}}){_DAY_END}{_YEAR_TAIL}")
DAY_MONTH = re.compile(rf"(?P<day>{D_DAY}[0-9]?){_DAY_END}(?:\s+of)?\s+{_MONTH}{_YEAR_TAIL}")
# Ranges first: "Oct. 28-29" is two days of one month, not a date and a number.
_RANGE_SEP = r"(?P<sep>\s?[-–]\s?|\s+(?:to|through|until)\s+)"
_MONTH2 = _MONTH.replace("(?P<mon>", "(?P<mon2>")
MONTH_DAY_RANGE = re.compile(
    rf"{_MONTH}\s+(?P<day>[0-9]{{1,2}})(?:st|nd|rd|th)?{_RANGE_SEP}"
    rf"(?:{_MONTH2}\s+)?(?P<day2>[0-9]{{1,2}}){_DAY_END}{_YEAR_TAIL}"
)
DAY_MONTH_RANGE = re.compile(
    rf"(?P<day>{D_DAY}[0-9]?)(?:st|nd|rd|th)?\s?[-–]\s?(?P<day2>[0-9]{{1,2}}){_DAY_END}"
    rf"(?:\s+of)?\s+{_MONTH}{_YEAR_TAIL}"
)
MONTH_YEAR = re.compile(rf"{_MONTH}\s+(?P<year>[0-9]{{4}})(?![0-9]|[.,][0-9])")
ISO_DATE = re.compile(
    rf"(?P<y>{Y_ISO}[0-9]{{3}})-(?P<m>0[1-9]|1[0-2])-"
    r"(?P<d>0[1-9]|[12][0-9]|3[01])(?![0-9]|-[0-9])"
)
NUM_DATE = re.compile(
    rf"(?P<a>{D_DATE}[0-9]?)(?P<sep>[/.])(?P<b>[0-9]{{1,2}})(?P=sep)"
    r"(?P<y>[0-9]{4}|[0-9]{2})(?![0-9]|[./][0-9])"
)
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")


def _month_number(mon: str) -> int:
    mon = mon.rstrip(".")
    if mon in MONTH_ABBR:
        return MONTH_ABBR[mon]
    return MONTH_NAMES.index(mon) + 1


def month_day(m: re.Match[str]) -> str:
    day = int(m.group("day"))
    if not 1 <= day <= 31 or glued(m):
        return m.group(0)
    month = MONTH_NAMES[_month_number(m.group("mon")) - 1]
    words = f"{month} {ordinal_int(day)}"
    if m.group("year"):
        words += ", " + year_words(int(m.group("year")))
    return words


def month_day_range(m: re.Match[str]) -> str:
    """ "Oct. 28-29" -> "October twenty-eighth to twenty-ninth"."""
    day, day2 = int(m.group("day")), int(m.group("day2"))
    if not (1 <= day <= 31 and 1 <= day2 <= 31) or glued(m):
        return m.group(0)
    joiner = m.group("sep").strip()
    joiner = joiner if joiner.isalpha() else "to"  # "through" is said as written
    words = f"{MONTH_NAMES[_month_number(m.group('mon')) - 1]} {ordinal_int(day)} {joiner} "
    if m.group("mon2"):
        words += MONTH_NAMES[_month_number(m.group("mon2")) - 1] + " "
    elif day2 <= day:
        return m.group(0)  # "Oct. 28-3" is no range of days
    words += ordinal_int(day2)
    if m.group("year"):
        words += ", " + year_words(int(m.group("year")))
    return words


def day_month_range(m: re.Match[str]) -> str:
    """ "28-29 October" -> "the twenty-eighth to the twenty-ninth of October"."""
    day, day2 = int(m.group("day")), int(m.group("day2"))
    if not 1 <= day < day2 <= 31:
        return m.group(0)
    return _of_month(m, f"{ordinal_int(day)} to the {ordinal_int(day2)}")


def day_month(m: re.Match[str]) -> str:
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return m.group(0)
    return _of_month(m, ordinal_int(day))


def _of_month(m: re.Match[str], days: str) -> str:
    """ "[the] DAYS of MONTH [YEAR]": "the" unless the text already says it."""
    month = MONTH_NAMES[_month_number(m.group("mon")) - 1]
    the = "" if _THE_BEFORE.search(m.string, max(0, m.start() - 8), m.start()) else "the "
    words = f"{the}{days} of {month}"
    if m.group("year"):
        words += " " + year_words(int(m.group("year")))
    return words


def month_year(m: re.Match[str]) -> str:
    if glued(m):
        return m.group(0)
    month = MONTH_NAMES[_month_number(m.group("mon")) - 1]
    return f"{month} {year_words(int(m.group('year')))}"


def iso_date(m: re.Match[str]) -> str:
    month = MONTH_NAMES[int(m.group("m")) - 1]
    return f"{month} {ordinal_int(int(m.group('d')))}, {year_words(int(m.group('y')))}"


def num_date(m: re.Match[str]) -> str:
    a, b, y = int(m.group("a")), int(m.group("b")), m.group("y")
    if m.group("sep") == "." and len(y) == 2:
        return m.group(0)  # 1.12.25 is more likely a version number than a date
    year = int(y) if len(y) == 4 else (2000 + int(y) if int(y) < 50 else 1900 + int(y))
    spoken_year = year_words(year)
    if a > 12 and 1 <= b <= 12 and a <= 31:
        return f"the {ordinal_int(a)} of {MONTH_NAMES[b - 1]} {spoken_year}"
    if b > 12 and 1 <= a <= 12 and b <= 31:
        return f"{MONTH_NAMES[a - 1]} {ordinal_int(b)}, {spoken_year}"
    if a == b and 1 <= a <= 12:
        return f"{MONTH_NAMES[a - 1]} {ordinal_int(b)}, {spoken_year}"
    # Day and month could be either way round: read it as written, never guess.
    sep = " slash " if m.group("sep") == "/" else " dot "
    return sep.join((cardinal_int(a), cardinal_int(b), spoken_year))
