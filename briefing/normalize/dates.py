"""Dates: "Dec. 1, 2025", "1 December", "March 2020", "2025-12-01", "01/12/2025", and
ranges of days: "Oct. 28-29", "Dec. 31-Jan. 2", "28-29 October".

The first of the number passes (after the leading minus sign): a date's digits must
become words before the time, money, year and plain-number passes could read "1" or
"2025" on their own. Numeric dates whose day and month could be either way round are read as
written, never guessed.
"""

from __future__ import annotations

import re

from briefing.normalize.matching import _glued
from briefing.normalize.numbers import (
    _D_DATE,
    _D_DAY,
    _MONTH_ABBR,
    _MONTH_NAMES,
    _Y_ISO,
    _cardinal_int,
    _ordinal_int,
    _year,
)

_MONTH = (
    rf"(?P<mon>(?:{'|'.join(_MONTH_NAMES)})(?![a-z])|"
    rf"(?:{'|'.join(sorted(_MONTH_ABBR, key=len, reverse=True))})(?![a-z])\.?)"
)
_DAY_END = r"(?:st|nd|rd|th)?(?![0-9]|[.,:][0-9]|\s?%)"
_YEAR_TAIL = r"(?:(?P<comma>,)?\s+(?P<year>[0-9]{4})(?![0-9]|[.,][0-9]))?"
# Month names start these patterns (no \b: it would disable re's fast first-character
# scan); the callbacks reject a match glued to a word before it.
_MONTH_DAY = re.compile(rf"{_MONTH}\s+(?P<day>[0-9]{{1,2}}){_DAY_END}{_YEAR_TAIL}")
_DAY_MONTH = re.compile(rf"(?P<day>{_D_DAY}[0-9]?){_DAY_END}(?:\s+of)?\s+{_MONTH}{_YEAR_TAIL}")
# Ranges first: "Oct. 28-29" is two days of one month, not a date and a number.
_RANGE_SEP = r"(?P<sep>\s?[-–]\s?|\s+(?:to|through|until)\s+)"
_MONTH2 = _MONTH.replace("(?P<mon>", "(?P<mon2>")
_MONTH_DAY_RANGE = re.compile(
    rf"{_MONTH}\s+(?P<day>[0-9]{{1,2}})(?:st|nd|rd|th)?{_RANGE_SEP}"
    rf"(?:{_MONTH2}\s+)?(?P<day2>[0-9]{{1,2}}){_DAY_END}{_YEAR_TAIL}"
)
_DAY_MONTH_RANGE = re.compile(
    rf"(?P<day>{_D_DAY}[0-9]?)(?:st|nd|rd|th)?\s?[-–]\s?(?P<day2>[0-9]{{1,2}}){_DAY_END}"
    rf"(?:\s+of)?\s+{_MONTH}{_YEAR_TAIL}"
)
_MONTH_YEAR = re.compile(rf"{_MONTH}\s+(?P<year>[0-9]{{4}})(?![0-9]|[.,][0-9])")
_ISO_DATE = re.compile(
    rf"(?P<y>{_Y_ISO}[0-9]{{3}})-(?P<m>0[1-9]|1[0-2])-"
    r"(?P<d>0[1-9]|[12][0-9]|3[01])(?![0-9]|-[0-9])"
)
_NUM_DATE = re.compile(
    rf"(?P<a>{_D_DATE}[0-9]?)(?P<sep>[/.])(?P<b>[0-9]{{1,2}})(?P=sep)"
    r"(?P<y>[0-9]{4}|[0-9]{2})(?![0-9]|[./][0-9])"
)
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")


def _month_number(mon: str) -> int:
    mon = mon.rstrip(".")
    if mon in _MONTH_ABBR:
        return _MONTH_ABBR[mon]
    return _MONTH_NAMES.index(mon) + 1


def _month_day(m: re.Match[str]) -> str:
    day = int(m.group("day"))
    if not 1 <= day <= 31 or _glued(m):
        return m.group(0)
    month = _MONTH_NAMES[_month_number(m.group("mon")) - 1]
    words = f"{month} {_ordinal_int(day)}"
    if m.group("year"):
        words += ", " + _year(int(m.group("year")))
    return words


def _month_day_range(m: re.Match[str]) -> str:
    """ "Oct. 28-29" -> "October twenty-eighth to twenty-ninth"."""
    day, day2 = int(m.group("day")), int(m.group("day2"))
    if not (1 <= day <= 31 and 1 <= day2 <= 31) or _glued(m):
        return m.group(0)
    joiner = m.group("sep").strip()
    joiner = joiner if joiner.isalpha() else "to"  # "through" is said as written
    words = f"{_MONTH_NAMES[_month_number(m.group('mon')) - 1]} {_ordinal_int(day)} {joiner} "
    if m.group("mon2"):
        words += _MONTH_NAMES[_month_number(m.group("mon2")) - 1] + " "
    elif day2 <= day:
        return m.group(0)  # "Oct. 28-3" is no range of days
    words += _ordinal_int(day2)
    if m.group("year"):
        words += ", " + _year(int(m.group("year")))
    return words


def _day_month_range(m: re.Match[str]) -> str:
    """ "28-29 October" -> "the twenty-eighth to the twenty-ninth of October"."""
    day, day2 = int(m.group("day")), int(m.group("day2"))
    if not 1 <= day < day2 <= 31:
        return m.group(0)
    return _of_month(m, f"{_ordinal_int(day)} to the {_ordinal_int(day2)}")


def _day_month(m: re.Match[str]) -> str:
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return m.group(0)
    return _of_month(m, _ordinal_int(day))


def _of_month(m: re.Match[str], days: str) -> str:
    """ "[the] DAYS of MONTH [YEAR]": "the" unless the text already says it."""
    month = _MONTH_NAMES[_month_number(m.group("mon")) - 1]
    the = "" if _THE_BEFORE.search(m.string, max(0, m.start() - 8), m.start()) else "the "
    words = f"{the}{days} of {month}"
    if m.group("year"):
        words += " " + _year(int(m.group("year")))
    return words


def _month_year(m: re.Match[str]) -> str:
    if _glued(m):
        return m.group(0)
    month = _MONTH_NAMES[_month_number(m.group("mon")) - 1]
    return f"{month} {_year(int(m.group('year')))}"


def _iso_date(m: re.Match[str]) -> str:
    month = _MONTH_NAMES[int(m.group("m")) - 1]
    return f"{month} {_ordinal_int(int(m.group('d')))}, {_year(int(m.group('y')))}"


def _num_date(m: re.Match[str]) -> str:
    a, b, y = int(m.group("a")), int(m.group("b")), m.group("y")
    if m.group("sep") == "." and len(y) == 2:
        return m.group(0)  # 1.12.25 is more likely a version number than a date
    year = int(y) if len(y) == 4 else (2000 + int(y) if int(y) < 50 else 1900 + int(y))
    year_words = _year(year)
    if a > 12 and 1 <= b <= 12 and a <= 31:
        return f"the {_ordinal_int(a)} of {_MONTH_NAMES[b - 1]} {year_words}"
    if b > 12 and 1 <= a <= 12 and b <= 31:
        return f"{_MONTH_NAMES[a - 1]} {_ordinal_int(b)}, {year_words}"
    if a == b and 1 <= a <= 12:
        return f"{_MONTH_NAMES[a - 1]} {_ordinal_int(b)}, {year_words}"
    # Day and month could be either way round: read it as written, never guess.
    sep = " slash " if m.group("sep") == "/" else " dot "
    return sep.join((_cardinal_int(a), _cardinal_int(b), year_words))
