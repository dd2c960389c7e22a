"""Percentages and units: "7.5%", "30°C", "1,250 km", "6 ft 2 in", "3 x 4".

Percent runs right after money, so "7.5%" and "5-10%" are read whole before the
phone, year and range passes could claim their digits; the unit passes run after year
ranges and ratios and before ordinals, decades and plain numbers, so "100m" is read
("one hundred meters", or "million" before "people") while the number is still
attached to its unit. "%" and "°" left over are read later by the
late symbol pass.
"""

from __future__ import annotations

import re

from briefing.normalize.matching import previous_word
from briefing.normalize.numbers import D_W, N_W, NUM, RANGE_SEP, cardinal, cardinal_int

PERCENT = re.compile(
    rf"(?P<a>{N_W})(?:{RANGE_SEP}(?P<b>{NUM}))?\s?"
    r"(?:%|pc\b|pct\b|per\s?cent\b|percent\b)"
)


def percent(m: re.Match[str]) -> str:
    b = m.group("b")
    return cardinal(m.group("a")) + (f" to {cardinal(b)}" if b else "") + " percent"


# unit -> (singular, plural); American spelling (engines say both the same way)
_UNITS: dict[str, tuple[str, str]] = {
    "km": ("kilometer", "kilometers"),
    "m": ("meter", "meters"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "kg": ("kilogram", "kilograms"),
    "g": ("gram", "grams"),
    "mg": ("milligram", "milligrams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pounds", "pounds"),
    "oz": ("ounce", "ounces"),
    "ft": ("foot", "feet"),
    "mi": ("mile", "miles"),
    "yd": ("yard", "yards"),
    "mph": ("mile per hour", "miles per hour"),
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "kmh": ("kilometer per hour", "kilometers per hour"),
    "km/hr": ("kilometer per hour", "kilometers per hour"),
    "m/s": ("meter per second", "meters per second"),
    "km2": ("square kilometer", "square kilometers"),
    "m2": ("square meter", "square meters"),
    "ft2": ("square foot", "square feet"),
    "mi2": ("square mile", "square miles"),
    "sq km": ("square kilometer", "square kilometers"),
    "sq m": ("square meter", "square meters"),
    "sq ft": ("square foot", "square feet"),
    "sq mi": ("square mile", "square miles"),
    "m3": ("cubic meter", "cubic meters"),
    "ha": ("hectare", "hectares"),
    "l": ("liter", "liters"),
    "L": ("liter", "liters"),
    "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"),
    "cl": ("centiliter", "centiliters"),
    "KB": ("kilobyte", "kilobytes"),
    "kB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"),
    "Mbps": ("megabit per second", "megabits per second"),
    "Gbps": ("gigabit per second", "gigabits per second"),
    "Hz": ("hertz", "hertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"),
    "W": ("watt", "watts"),
    "kW": ("kilowatt", "kilowatts"),
    "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "MWh": ("megawatt hour", "megawatt hours"),
    "GWh": ("gigawatt hour", "gigawatt hours"),
    "TWh": ("terawatt hour", "terawatt hours"),
    "kV": ("kilovolt", "kilovolts"),
    "mAh": ("milliamp hour", "milliamp hours"),
    "dB": ("decibel", "decibels"),
    "hr": ("hour", "hours"),
    "hrs": ("hours", "hours"),
    "min": ("minute", "minutes"),
    "mins": ("minutes", "minutes"),
    "sec": ("second", "seconds"),
    "secs": ("seconds", "seconds"),
    "ms": ("millisecond", "milliseconds"),
    "yr": ("year", "years"),
    "yrs": ("years", "years"),
    "bpd": ("barrel per day", "barrels per day"),
    "mpg": ("mile per gallon", "miles per gallon"),
    "psi": ("psi", "psi"),
    "ppm": ("part per million", "parts per million"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "° C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "° F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
    "C": ("degree Celsius", "degrees Celsius"),
    "F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "x": ("times", "times"),
    "×": ("times", "times"),
    "pts": ("points", "points"),
    "bn": ("billion", "billion"),
    "tn": ("trillion", "trillion"),
    "mn": ("million", "million"),
    "k": ("thousand", "thousand"),
}
# "C", "F" and "x" count as units only written right after the number (30C, 10x).
_TIGHT_UNITS = {"C", "F", "x", "L", "W"}
UNIT = re.compile(
    rf"(?P<a>{N_W})(?:{RANGE_SEP}(?P<b>{NUM}))?"
    r"(?:\s(?P<scale>thousand|million|billion))?(?P<sep>\s?-?)"
    rf"(?P<u>{'|'.join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))})"
    r"(?![A-Za-z0-9/])"
)
FEET_INCHES = re.compile(rf"(?P<ft>{D_W})\s?(?:ft|')\s?(?P<in>1[01]|[0-9])\s?(?P<unit>in\b|\"|'')?")
BY = re.compile(rf"(?P<a>{N_W})\s?[x×]\s?(?P<b>{NUM})(?![\w.])")
# "3m people" is three million, "100m sprint" one hundred meters.
_MILLION_NOUNS = re.compile(
    r"\s{1,3}(?:people|users|customers|voters|viewers|jobs|homes|households|cases|doses|"
    r"barrels|tonnes|tons|visitors|residents|children|deaths|subscribers|passengers|"
    r"workers|members|copies|downloads|followers|refugees|migrants|patients|animals|"
    r"trees|years|pounds|dollars|euros|shares|votes|acres|hectares)\b"
)


def unit(m: re.Match[str]) -> str:
    u, a, b, sep = m.group("u"), m.group("a"), m.group("b"), m.group("sep")
    if u in _TIGHT_UNITS and sep:
        return m.group(0)
    if u == "m" and _MILLION_NOUNS.match(m.string, m.end()):
        u = "mn"
    one, many = _UNITS[u]
    amount = cardinal(a) + (f" to {cardinal(b)}" if b else "")
    if m.group("scale"):
        return f"{amount} {m.group('scale')} {many}"
    singular = b is None and a == "1"
    if sep.endswith("-") or previous_word(m).lower() in ("a", "an"):
        singular = True  # "a 5-km race", "a 100m sprint": an adjective, singular
    return f"{amount} {one if singular else many}"


def feet_inches(m: re.Match[str]) -> str:
    feet, inches = int(m.group("ft")), int(m.group("in"))
    return f"{cardinal_int(feet)} {'foot' if feet == 1 else 'feet'} {cardinal_int(inches)}" + (
        f" {'inch' if inches == 1 else 'inches'}" if m.group("unit") else ""
    )


def by(m: re.Match[str]) -> str:
    return f"{cardinal(m.group('a'))} by {cardinal(m.group('b'))}"
