"""Number words and the number building blocks every numeric pass shares.

Cardinals, ordinals, years ("nineteen ninety"), digit-by-digit reading and plurals
("nineties") come from num2words, tidied to be read as one phrase; `NUM` and the
`_D_*`/`_N_*` pattern heads say what a number looks like and what may not come before
its first digit. Month names live here too, because the abbreviation (weekday), date and
year passes all need them. No pass of its own: the passes in `dates`, `times`, `money`,
`units`, `years`, `figures` and `roman` call these helpers.
"""

from __future__ import annotations

from functools import lru_cache

from num2words import num2words

from briefing.normalize.matching import first

_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
MAX_DIGITS = 15  # longer digit runs are identifiers, not quantities: read digit by digit
RANGE_SEP = r"(?:\s?[-–]\s?|\s+to\s+)"


# A number with optional thousands commas and decimals; _num_after(excl): one whose
# first digit is not preceded by one of `excl`.
_NUM_TAIL = r"(?:[0-9]{0,2}(?:,[0-9]{3})+(?![0-9])|[0-9]*)(?:\.[0-9]+)?"
NUM = "[0-9]" + _NUM_TAIL


def _num_after(excl: str) -> str:
    return first("0-9", excl) + _NUM_TAIL


# First characters of the patterns below, with what may not come before them.
_W = r"\w.,"  # a number starts a token: not after a letter, digit, "." or ","
D_W = first("0-9", _W)
D1_W = first("1-9", _W)
D1_WQ = first("1-9", _W + "'")
N_W = _num_after(_W)
N_RANGE = _num_after(_W + "-")
N_MONEY = _num_after("0-9.,")
D_DAY = first("0-9", "0-9.,$£€-")
D_DATE = first("0-9", "0-9./-")
Y_ISO = first("12", "0-9./-")
Y_W = first("12", _W + "$£€/-")
D_TIME = first("0-9", "0-9.,:")
D_RATIO = first("0-9", "0-9:.,")
D_FRAC = first("0-9", r"\w./,")
D_DOT = first("0-9", r"\w.")


def digit_words(s: str) -> str:
    return " ".join(_DIGIT_WORDS[ord(c) - 48] for c in s if "0" <= c <= "9")


def _tidy(words: str) -> str:
    # num2words writes British "one hundred and five" and commas between groups; espeak
    # pauses at both, so numbers are read the American way, as one phrase.
    return words.replace(",", "").replace(" and ", " ").replace("oh-", "oh ")


@lru_cache(maxsize=4096)
def cardinal_int(n: int) -> str:
    return _tidy(num2words(n, lang="en"))


def cardinal(s: str) -> str:
    """Words for a digit string that may have thousands commas and a decimal part."""
    s = s.replace(",", "")
    whole, _, frac = s.partition(".")
    if len(whole) > MAX_DIGITS or (len(whole) > 1 and whole.startswith("0")):
        words = digit_words(whole)
    else:
        words = cardinal_int(int(whole)) if whole else ""
    if frac:
        words = (words + " point " if words else "point ") + digit_words(frac)
    return words


@lru_cache(maxsize=1024)
def ordinal_int(n: int) -> str:
    return _tidy(num2words(n, lang="en", to="ordinal"))


def ordinal(s: str) -> str:
    s = s.replace(",", "")
    if len(s) > MAX_DIGITS:
        return digit_words(s)
    return ordinal_int(int(s))


@lru_cache(maxsize=1024)
def year_words(n: int) -> str:
    """1990 -> nineteen ninety, 2008 -> two thousand eight, 2026 -> twenty twenty-six."""
    if 1000 <= n <= 2099:
        return _tidy(num2words(n, lang="en", to="year"))
    return cardinal_int(n)


def plural(words: str) -> str:
    """'nineteen ninety' -> 'nineteen nineties': decades and 'hundreds of'."""
    head, _, last = words.rpartition(" ")
    last = last[:-1] + "ies" if last.endswith("y") else last + "s"
    return f"{head} {last}" if head else last


MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBR = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Sept": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
MONTH_NAMES_ALL = (*MONTH_NAMES, *MONTH_ABBR)
