"""The remaining number forms and the catch-all: ordinals, fractions, dotted numbers,
phone numbers, number ranges, "#1", "-5", "G7", and finally every plain number.

These surround and follow the more specific passes in `passes._numbers`: the minus
sign first of all, phones after money and percent, ordinals after units, fractions and
dotted numbers before the lone years, and last of all the letter/digit splits and the
generic number pass, which turns any digit still left into words, so no numeral is
handed to the engine.
"""

from __future__ import annotations

import re

from briefing.normalize.numbers import (
    _D_DOT,
    _D_FRAC,
    _D_W,
    _N_RANGE,
    _NUM,
    _cardinal,
    _cardinal_int,
    _digits,
    _ordinal,
    _ordinal_int,
    _plural,
)

_ORDINAL = re.compile(
    rf"(?P<n>{_D_W}(?:[0-9]{{0,2}}(?:,[0-9]{{3}})+|[0-9]*))"
    r"(?:st|nd|rd|th|ST|ND|RD|TH)(?![A-Za-z0-9])"
)
_FRACTION = re.compile(
    rf"(?P<first>{_D_FRAC}[0-9]{{0,5}})(?:\s(?P<n>[0-9]{{1,4}}))?/"
    r"(?P<d>[0-9]{1,4})(?![0-9/]|\.[0-9])"
)
_FRACTION_SPECIAL = {
    "24/7": "twenty-four seven",
    "9/11": "nine eleven",
    "50/50": "fifty-fifty",
    "20/20": "twenty-twenty",
    "7/7": "seven seven",
}
_DENOMINATORS = {2: ("half", "halves"), 4: ("quarter", "quarters")}
_DOTTED_NUMBER = re.compile(rf"{_D_DOT}[0-9]{{0,3}}(?:\.[0-9]{{1,4}}){{2,}}(?![\w.]|\.[0-9])")
_PHONE_GATE = re.compile(r"[0-9]{2}[ .-][0-9]{2}")
_PHONE = re.compile(
    r"(?<![\w+.,/:-])(?P<plus>\+\s?[0-9]{1,3}[ .-]?)?(?P<area>\(0?[0-9]{1,4}\)\s?)?"
    r"(?P<body>[0-9]{2,5}(?:[ .-][0-9]{2,5}){1,4})(?![\w]|[.-][0-9])"
)
_NUM_RANGE = re.compile(
    rf"(?P<a>{_N_RANGE})\s?[-–]\s?(?P<b>{_NUM})(?![\w]|[.,][0-9]|\s?[-–]\s?[0-9])"
)
_HASH_NUMBER = re.compile(r"#(?<![\w&]#)\s?(?=[0-9])")
_MINUS = re.compile(r"-(?<![\w.,)\]/-]-)(?=\.?[0-9]|[$£€¥]\s?[0-9])")
# "G7", "F-35", "COVID-19", "4G": letters and digits apart; a lower-case word keeps its
# hyphen ("9-to-5", "20-fold").
_CAPS_HYPHEN_DIGIT = re.compile(r"-(?<=[A-Z]-)(?=[0-9])")
_LETTER_DIGIT = re.compile(r"([0-9])(?<=[^\W\d_][0-9])")
_DIGIT_LETTER = re.compile(r"([0-9])(?=[^\W\d_])")
_POINT_NUMBER = re.compile(r"\.(?<![\w.]\.)([0-9]+)")
_NUMBER = re.compile(
    r"[0-9](?<![0-9][0-9])(?:[0-9]{0,2}(?:,[0-9]{3})+(?![0-9])|[0-9]*)(?:\.[0-9]+)?"
)
_HAS_DIGIT = re.compile("[0-9]")


def _ordinal_sub(m: re.Match[str]) -> str:
    return _ordinal(m.group("n"))


def _fraction(m: re.Match[str]) -> str:
    whole: str | None = m.group("first")
    n_s: str | None = m.group("n")
    d_s: str = m.group("d")
    if n_s is None:
        whole, n_s = None, whole
    assert n_s is not None  # the pattern requires a numerator or a whole number
    if len(n_s) > 4:
        return m.group(0)
    key = f"{n_s}/{d_s}"
    prefix = f"{_cardinal(whole)} " if whole else ""
    if key in _FRACTION_SPECIAL:
        return prefix + _FRACTION_SPECIAL[key]
    n, d = int(n_s), int(d_s)
    if d == 0:
        return f"{prefix}{_cardinal(n_s)} slash zero"
    proper = 0 < n < d and (d < 10 or d in (12, 16, 32, 64) or (n == 1 and d in (10, 100)))
    if whole and proper:
        if n == 1:
            name = "a half" if d == 2 else "a quarter" if d == 4 else f"one {_ordinal_int(d)}"
            return f"{_cardinal(whole)} and {name}"
        return f"{_cardinal(whole)} and {_fraction_words(n, d)}"
    if proper:
        return prefix + _fraction_words(n, d)
    if n <= d:
        return f"{prefix}{_cardinal_int(n)} out of {_cardinal_int(d)}"
    return f"{prefix}{_cardinal_int(n)} slash {_cardinal_int(d)}"


def _fraction_words(n: int, d: int) -> str:
    one, many = _DENOMINATORS.get(d, (_ordinal_int(d), _plural(_ordinal_int(d))))
    return f"{_cardinal_int(n)} {one if n == 1 else many}"


def _dotted_number(m: re.Match[str]) -> str:
    parts = m.group(0).split(".")
    joiner = " dot " if len(parts) >= 4 else " point "
    return joiner.join(_cardinal(p) for p in parts)


def _phone(m: re.Match[str]) -> str:
    body = m.group("body")
    groups = re.split(r"[ .-]", body)
    digits = sum(len(g) for g in groups) + len(re.sub(r"[^0-9]", "", m.group("plus") or ""))
    digits += len(re.sub(r"[^0-9]", "", m.group("area") or ""))
    plus, area = m.group("plus"), m.group("area")
    seps = set(re.findall(r"[ .-]", body))
    if not (plus or area):
        if digits < 7:
            return m.group(0)
        if (
            seps == {" "}
            and len(groups[0]) <= 3
            and not groups[0].startswith("0")
            and all(len(g) == 3 for g in groups[1:])
        ):
            return _cardinal("".join(groups))  # "10 000 000": spaced thousands
        if len(groups) < 3 and not groups[0].startswith("0"):
            return m.group(0)  # "2010 2012", "100-1000": not a phone number
        if seps == {"."} and len(groups) <= 3:
            return m.group(0)
    spoken = []
    if plus:
        spoken.append("plus " + _digits(plus))
    if area:
        spoken.append(_digits(area))
    spoken += [_digits(g) for g in groups]
    return ", ".join(spoken)


def _num_range(m: re.Match[str]) -> str:
    if m.group("a") == m.group("b") == "50":
        return "fifty-fifty"
    return f"{_cardinal(m.group('a'))} to {_cardinal(m.group('b'))}"


def _number(m: re.Match[str]) -> str:
    return _cardinal(m.group(0))
