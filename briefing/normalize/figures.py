"""The remaining number forms and the catch-all: ordinals, fractions, dotted numbers,
phone numbers, number ranges, "#1", "-5", "G7", and finally every plain number.

These surround and follow the more specific passes in `passes.NUMBER_PASSES`: the minus
sign first of all, phones after money and percent, ordinals after units, fractions and
dotted numbers before the lone years, and last of all the letter/digit splits and the
generic number pass, which turns any digit still left into words, so no numeral is
handed to the engine.
"""

from __future__ import annotations

import re

from briefing.normalize.numbers import (
    D_DOT,
    D_FRAC,
    D_W,
    N_RANGE,
    NUM,
    cardinal,
    cardinal_int,
    digit_words,
    ordinal,
    ordinal_int,
    plural,
)

ORDINAL = re.compile(
    rf"(?P<n>{D_W}(?:[0-9]{{0,2}}(?:,[0-9]{{3}})+|[0-9]*))"
    r"(?:st|nd|rd|th|ST|ND|RD|TH)(?![A-Za-z0-9])"
)
FRACTION = re.compile(
    rf"(?P<first>{D_FRAC}[0-9]{{0,5}})(?:\s(?P<n>[0-9]{{1,4}}))?/"
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
DOTTED_NUMBER = re.compile(rf"{D_DOT}[0-9]{{0,3}}(?:\.[0-9]{{1,4}}){{2,}}(?![\w.]|\.[0-9])")
PHONE_GATE = re.compile(r"[0-9]{2}[ .-][0-9]{2}")
PHONE = re.compile(
    r"(?<![\w+.,/:-])(?P<plus>\+\s?[0-9]{1,3}[ .-]?)?(?P<area>\(0?[0-9]{1,4}\)\s?)?"
    r"(?P<body>[0-9]{2,5}(?:[ .-][0-9]{2,5}){1,4})(?![\w]|[.-][0-9])"
)
NUM_RANGE = re.compile(rf"(?P<a>{N_RANGE})\s?[-–]\s?(?P<b>{NUM})(?![\w]|[.,][0-9]|\s?[-–]\s?[0-9])")
HASH_NUMBER = re.compile(r"#(?<![\w&]#)\s?(?=[0-9])")
MINUS = re.compile(r"-(?<![\w.,)\]/-]-)(?=\.?[0-9]|[$£€¥]\s?[0-9])")
# "G7", "F-35", "COVID-19", "4G": letters and digits apart; a lower-case word keeps its
# hyphen ("9-to-5", "20-fold").
CAPS_HYPHEN_DIGIT = re.compile(r"-(?<=[A-Z]-)(?=[0-9])")
LETTER_DIGIT = re.compile(r"([0-9])(?<=[^\W\d_][0-9])")
DIGIT_LETTER = re.compile(r"([0-9])(?=[^\W\d_])")
POINT_NUMBER = re.compile(r"\.(?<![\w.]\.)([0-9]+)")
NUMBER = re.compile(
    r"[0-9](?<![0-9][0-9])(?:[0-9]{0,2}(?:,[0-9]{3})+(?![0-9])|[0-9]*)(?:\.[0-9]+)?"
)
HAS_DIGIT = re.compile("[0-9]")


def ordinal_sub(m: re.Match[str]) -> str:
    return ordinal(m.group("n"))


def fraction(m: re.Match[str]) -> str:
    whole: str | None = m.group("first")
    n_s: str | None = m.group("n")
    d_s: str = m.group("d")
    if n_s is None:
        whole, n_s = None, whole
    assert n_s is not None  # the pattern requires a numerator or a whole number
    if len(n_s) > 4:
        return m.group(0)
    key = f"{n_s}/{d_s}"
    prefix = f"{cardinal(whole)} " if whole else ""
    if key in _FRACTION_SPECIAL:
        return prefix + _FRACTION_SPECIAL[key]
    n, d = int(n_s), int(d_s)
    if d == 0:
        return f"{prefix}{cardinal(n_s)} slash zero"
    proper = 0 < n < d and (d < 10 or d in (12, 16, 32, 64) or (n == 1 and d in (10, 100)))
    if whole and proper:
        if n == 1:
            name = "a half" if d == 2 else "a quarter" if d == 4 else f"one {ordinal_int(d)}"
            return f"{cardinal(whole)} and {name}"
        return f"{cardinal(whole)} and {_fraction_words(n, d)}"
    if proper:
        return prefix + _fraction_words(n, d)
    if n <= d:
        return f"{prefix}{cardinal_int(n)} out of {cardinal_int(d)}"
    return f"{prefix}{cardinal_int(n)} slash {cardinal_int(d)}"


def _fraction_words(n: int, d: int) -> str:
    one, many = _DENOMINATORS.get(d, (ordinal_int(d), plural(ordinal_int(d))))
    return f"{cardinal_int(n)} {one if n == 1 else many}"


def dotted_number(m: re.Match[str]) -> str:
    parts = m.group(0).split(".")
    joiner = " dot " if len(parts) >= 4 else " point "
    return joiner.join(cardinal(p) for p in parts)


def phone(m: re.Match[str]) -> str:
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
            return cardinal("".join(groups))  # "10 000 000": spaced thousands
        if len(groups) < 3 and not groups[0].startswith("0"):
            return m.group(0)  # "2010 2012", "100-1000": not a phone number
        if seps == {"."} and len(groups) <= 3:
            return m.group(0)
    spoken = []
    if plus:
        spoken.append("plus " + digit_words(plus))
    if area:
        spoken.append(digit_words(area))
    spoken += [digit_words(g) for g in groups]
    return ", ".join(spoken)


def num_range(m: re.Match[str]) -> str:
    if m.group("a") == m.group("b") == "50":
        return "fifty-fifty"
    return f"{cardinal(m.group('a'))} to {cardinal(m.group('b'))}"


def number(m: re.Match[str]) -> str:
    return cardinal(m.group(0))
