"""Clock times and ratios: "9:30", "9 a.m.", "10:15:30", "2100 GMT", "3:1".

Clock times run right after the dates (so "2025-12-01" is never a time) and before
money, units and the plain-number pass, which would read "9.30 p.m." as a decimal and
"10:30" as two numbers. Ratios ("3:1") are read later, after phones and year ranges:
by then every clock time has been read, so a colon between digits is a ratio or score.
"""

from __future__ import annotations

import re

from briefing.normalize.abbreviations import SENT_END
from briefing.normalize.numbers import D_RATIO, D_TIME, cardinal, cardinal_int

_AMPM = (
    r"(?P<ampm>[aApP])\.?\s?[mM](?![A-Za-z])"
    rf"(?:(?P<end>\.){SENT_END}|\.)?"
)
TIME = re.compile(
    rf"(?P<h>{D_TIME}[0-9]?)(?P<sep>[:.])(?P<m>[0-9]{{2}})(?::(?P<s>[0-9]{{2}}))?"
    rf"(?![0-9]|[.:][0-9])(?:\s?{_AMPM})?"
)
HOUR_AMPM = re.compile(rf"(?P<h>{D_TIME}[0-9]?)\s?{_AMPM}")
AMPM_RANGE = re.compile(r"([AP]M)(?<!\w[AP]M)[ \t]?[-–][ \t]?(?=[a-z])")
# A 24-hour time written without a colon, as wire copy gives world time: "2100 UTC",
# "0930 GMT", "1400 hours". Read as a year or a number it would be "two thousand one
# hundred".
CLOCK_24 = re.compile(
    r"(?<![\w.,:])(?P<h>[01][0-9]|2[0-3])(?P<m>[0-5][0-9])(?=[ \t]?(?:UTC|GMT)\b|[ \t]hours\b)"
)
RATIO = re.compile(rf"(?P<a>{D_RATIO}[0-9]{{0,5}}):(?P<b>[0-9]{{1,6}})(?![0-9]|:[0-9])")


def _clock(h: int, mins: int, ampm: str | None) -> str:
    if ampm:
        words = cardinal_int(h)
        if mins:
            words += " " + (f"oh {cardinal_int(mins)}" if mins < 10 else cardinal_int(mins))
        return f"{words} {ampm.upper()}M"
    if h in (0, 24) and mins == 0:
        return "midnight"
    if mins == 0:
        return f"{cardinal_int(h)} hundred" if h > 12 else f"{cardinal_int(h)} o'clock"
    hour = "zero" if h == 0 else cardinal_int(h)
    return f"{hour} " + (f"oh {cardinal_int(mins)}" if mins < 10 else cardinal_int(mins))


def time(m: re.Match[str]) -> str:
    h, mins = int(m.group("h")), int(m.group("m"))
    ampm = m.group("ampm")
    end = "." if m.group("end") else ""
    if m.group("sep") == "." and not ampm:
        return m.group(0)  # 3.15 is a decimal unless a.m./p.m. follows
    if m.group("s") is not None:
        secs = int(m.group("s"))
        if mins > 59 or secs > 59:
            return m.group(0)
        parts = [
            f"{cardinal_int(v)} {unit}{'' if v == 1 else 's'}"
            for v, unit in ((h, "hour"), (mins, "minute"), (secs, "second"))
            if v
        ]
        if not parts:
            return "zero seconds" + end
        spoken = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
        return spoken + (f" {ampm.upper()}M" if ampm else "") + end
    if mins > 59 or h > 24 or (ampm and not 1 <= h <= 12):
        return m.group(0)
    return _clock(h, mins, ampm) + end


def clock_24(m: re.Match[str]) -> str:
    """ "2100" -> "twenty-one hundred", "0930" -> "oh nine thirty", as it is said."""
    h, mins = int(m.group("h")), int(m.group("m"))
    hour = ("zero" if h == 0 else f"oh {cardinal_int(h)}") if h < 10 else cardinal_int(h)
    if mins == 0:
        return f"{hour} hundred"
    return f"{hour} " + (f"oh {cardinal_int(mins)}" if mins < 10 else cardinal_int(mins))


def hour_ampm(m: re.Match[str]) -> str:
    if not 1 <= int(m.group("h")) <= 12:
        return m.group(0)
    return _clock(int(m.group("h")), 0, m.group("ampm")) + ("." if m.group("end") else "")


def ratio(m: re.Match[str]) -> str:
    return f"{cardinal(m.group('a'))} to {cardinal(m.group('b'))}"
