"""English abbreviations and initialisms: "Dr.", "St.", "e.g.", "No. 5", "U.S.", "WHO".

These run early among the English passes, after parentheses and the early symbols
and before the number passes: an abbreviation's period would otherwise look like the
end of a sentence, and "No. 5", "Dec. 1" or "c. 1900" must be whole before numbers are
read. `SENT_END` decides when an abbreviation's period also ends the sentence (the
time pass uses it for "p.m."). `spell` is the exception: it runs after the numbers
and Roman numerals, on the all-capitals words espeak-ng would read as words.
"""

from __future__ import annotations

import re

from briefing.normalize.matching import first, glued, next_word, previous_word
from briefing.normalize.numbers import MONTH_NAMES_ALL

_TITLES_AHEAD = "Mr|Mrs|Ms|Dr|Mister|Missus|Miz|Doctor|Professor|General|President|Senator|Governor"
_STARTERS = (
    "The|A|An|He|She|It|They|We|I|You|But|And|Or|So|Yet|In|On|At|As|After|Before|When|"
    "While|If|This|That|These|Those|There|Here|His|Her|Its|Their|Our|My|Your|What|Who|"
    "Why|How|Where|Some|Many|Most|Both|Each|Meanwhile|However|Still|Also|Now|Then|Last|"
    f"Next|Earlier|Later|According|More|Not|Officials|Police|Number|{_TITLES_AHEAD}"
)
# A period after an abbreviation also ends the sentence when the text ends, a line
# ends, a quote opens, or a word that typically starts a sentence follows.
SENT_END = rf"(?=[ \t]*(?:\n|\Z)|\s+(?:(?:{_STARTERS})\b|[\"'(]))"
_ABBR_DOT = rf"(?:(?P<end>\.){SENT_END}|\.)"
# After an initialism a title names whose it is ("U.S. President Donald Trump", "U.N.
# Secretary-General"): the period ending there would cut the sentence in two, and
# Kokoro and Piper would pause and drop their pitch in the middle of the name.
_INITIALISM_DOT = rf"(?:(?P<end>\.)(?!\s+(?:{_TITLES_AHEAD})\b){SENT_END}|\.)"

_TITLES = {
    "Mr": "Mister",
    "Mrs": "Missus",
    "Ms": "Miz",
    "Dr": "Doctor",
    "Prof": "Professor",
    "Gen": "General",
    "Lt": "Lieutenant",
    "Col": "Colonel",
    "Capt": "Captain",
    "Sgt": "Sergeant",
    "Gov": "Governor",
    "Sen": "Senator",
    "Rep": "Representative",
    "Rev": "Reverend",
    "Revd": "Reverend",
    "Adm": "Admiral",
    "Maj": "Major",
    "Cpl": "Corporal",
    "Pvt": "Private",
    "Cmdr": "Commander",
    "Supt": "Superintendent",
    "Insp": "Inspector",
    "Det": "Detective",
    "Hon": "Honorable",
    "Pres": "President",
    "Amb": "Ambassador",
    "Atty": "Attorney",
    "Cllr": "Councillor",
    "Fr": "Father",
    "Mt": "Mount",
    "Ft": "Fort",
    "Gens": "Generals",
    "Messrs": "Messieurs",
}
# Without a period only where the bare form is no English word ("Gen Z", "Sen" are).
_TITLES_NO_DOT = {
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Prof",
    "Revd",
    "Sgt",
    "Capt",
    "Lt",
    "Col",
    "Cllr",
    "Supt",
    "Insp",
    "Messrs",
}
_ALWAYS_TITLES = {"Mr", "Mrs", "Ms", "Messrs"}  # "Mr. and Mrs. Smith"
TITLE_RE = re.compile(
    rf"(?P<t>{'|'.join(sorted(_TITLES, key=len, reverse=True))})(?P<dot>\.)?"
    r"(?=\s+(?:[A-Z]|[\"'][A-Z]|(?P<lower>and\s)))"
)
_STREET = {
    "St": "Street",
    "Ave": "Avenue",
    "Blvd": "Boulevard",
    "Rd": "Road",
    "Ln": "Lane",
    "Hwy": "Highway",
    "Pkwy": "Parkway",
    "Sq": "Square",
    "Dr": "Drive",
    "Ct": "Court",
    "Pl": "Place",
    "Cres": "Crescent",
    "Terr": "Terrace",
}
_POST = {
    "Jr": "Junior",
    "Sr": "Senior",
    "Corp": "Corporation",
    "Co": "Company",
    "Bros": "Brothers",
    "Ltd": "Limited",
    "Inc": "Inc",
    "Assn": "Association",
    "Dept": "Department",
    "Univ": "University",
    "Intl": "International",
}
POST_RE = re.compile(
    rf"(?P<a>{'|'.join(sorted({**_STREET, **_POST}, key=len, reverse=True))})"
    rf"(?:{_ABBR_DOT}|(?![\w.'-]))"
)
SAINT_RE = re.compile(r"St(?<![\w.]St)\.?(?=\s+[A-Z])")
_WORD_ABBR = {
    "e.g.": "for example",
    "i.e.": "that is",
    "etc.": "et cetera",
    "a.k.a.": "also known as",
    "aka": "also known as",
    "approx.": "approximately",
    "approx": "approximately",
    "vs.": "versus",
    "vs": "versus",
    "incl.": "including",
    "excl.": "excluding",
    "govt.": "government",
    "govt": "government",
    "int'l": "international",
    "cf.": "compare",
    "avg.": "average",
    "est.": "estimated",
    "yr.": "year",
    "yrs.": "years",
}
WORD_ABBR_RE = re.compile(
    r"(?P<a>[eE]\.g|[iI]\.e|[eE]tc|a\.k\.a|aka|[aA]pprox|vs|VS|Vs|incl|excl|[gG]ovt|[iI]nt'l|cf"
    rf"|avg|est|yrs?)(?:{_ABBR_DOT}|(?![\w.']))"
)
V_RE = re.compile(r"v(?<=[A-Za-z.] v)\.?(?= [A-Z])")
NUMBER_ABBR = re.compile(r"(?P<a>No|no|NO|Nos|nos|Vol|vol|Art|art|Fig|fig|Pt)\.?\s?(?=#?[0-9])")
_NUMBER_ABBR_WORDS = {
    "no": "number",
    "nos": "numbers",
    "vol": "volume",
    "art": "article",
    "fig": "figure",
    "pt": "part",
}
FISCAL = re.compile(r"FY(?<!\wFY)\s?(?=[0-9]{2,4}\b)")
WEEKDAYS = {
    "Mon": "Monday",
    "Tue": "Tuesday",
    "Tues": "Tuesday",
    "Wed": "Wednesday",
    "Thu": "Thursday",
    "Thur": "Thursday",
    "Thurs": "Thursday",
    "Fri": "Friday",
    "Sat": "Saturday",
    "Sun": "Sunday",
}
WEEKDAY_RE = re.compile(
    rf"(?P<d>{'|'.join(sorted(WEEKDAYS, key=len, reverse=True))})\.?(?=,?\s+(?:[0-9]|"
    rf"(?:{'|'.join(MONTH_NAMES_ALL)})\b))"
)
CIRCA = re.compile(r"c(?<![\w.]c)a?\.\s?(?=[0-9]{3,4}\b)")
_CAP_START = first("A-Z", r"\w.")
_INITIAL_EXCL = r"\w.&'-"
_INITIAL_BEFORE = re.compile(r"(?<![\w.])[A-Z]\.\s*$")
INITIALISM = re.compile(
    rf"(?P<i>{_CAP_START}\.(?:[A-Z]\.){{0,5}}[A-Z])(?:{_INITIALISM_DOT})?(?![\w])"
)
SINGLE_INITIAL = re.compile(
    rf"(?P<i>{first('A-Z', _INITIAL_EXCL)})\.(?=\s+(?!(?:{_STARTERS})\b)[A-Z])"
)
# All-caps words espeak-ng reads as words that English speakers spell out. The dotted
# form without a final period makes every espeak-based engine spell it, with no pause.
# The list was made by comparing espeak-ng's phonemes (`espeak-ng -x`) for each
# initialism with those for its letters: these are the ones it reads as a word ("AU" as
# "oh", "IMF" as "imf"), among the initialisms common in the news. Acronyms said as
# words (NATO, NASA, ISIS, ICE, OPEC, ECOWAS) are left alone.
_SPELLED_AS_DOTTED = [
    "AU",
    "ACLU",
    "ADB",
    "AFP",
    "AfD",
    "AfDB",
    "AKP",
    "ANC",
    "AP",
    "APC",
    "ATF",
    "DEA",
    "EAC",
    "ECB",
    "EPA",
    "EV",
    "FAO",
    "GOP",
    "IAEA",
    "ICBM",
    "ICC",
    "ICJ",
    "IDF",
    "IEA",
    "ILO",
    "IMF",
    "IOC",
    "JNIM",
    "NIH",
    "PTI",
    "SADC",
    "SEC",
    "TSA",
    "UAE",
]
_SPELL = {
    **{w: ".".join(w) for w in _SPELLED_AS_DOTTED},
    "WHO": "W.H.O",
    "ICBMs": "I.C.B.Ms",
    "AARP": "A.A.R.P",
    "NIMBY": "nimby",
}
# A period after it may end the sentence ("the AU."), not go on an address ("WHO.int").
SPELL_RE = re.compile(rf"(?P<w>{'|'.join(sorted(_SPELL, key=len, reverse=True))})(?![\w-]|\.[\w.])")


def word_abbr(m: re.Match[str]) -> str:
    if glued(m, "."):
        return m.group(0)
    key = m.group("a").lower()
    words = _WORD_ABBR.get(key + ".") or _WORD_ABBR.get(key) or m.group(0)
    return words + ("." if m.group("end") else "")


def title(m: re.Match[str]) -> str:
    t = m.group("t")
    if glued(m):
        return m.group(0)
    if not m.group("dot") and t not in _TITLES_NO_DOT:
        return m.group(0)
    if m.group("lower") and t not in _ALWAYS_TITLES:
        return m.group(0)
    if t == "Dr" and next_word(m) in _STARTER_SET:
        return m.group(0)  # "Mulholland Dr. The ...": a street, handled by _post
    return _TITLES[t]


def saint(m: re.Match[str]) -> str:
    if next_word(m) in _STARTER_SET or previous_word(m)[:1].isdigit():
        return m.group(0)  # "Main St. The ...", "10 Downing St.": a street, left to _post
    return "Saint"


_STARTER_SET = set(_STARTERS.split("|"))


def post(m: re.Match[str]) -> str:
    a = m.group("a")
    pre = m.string[max(0, m.start() - 2) : m.start()]
    if len(pre) < 2 or pre[1] != " " or not (pre[0].isalnum() or pre[0] in ",&"):
        return m.group(0)  # only right after a word and one space: "Main St."
    before = previous_word(m)
    if not (before[:1].isupper() or before[:1].isdigit() or before.endswith(",") or before == "&"):
        return m.group(0)
    return (_STREET.get(a) or _POST[a]) + ("." if m.group("end") else "")


def number_abbr(m: re.Match[str]) -> str:
    if glued(m, "."):
        return m.group(0)
    word = _NUMBER_ABBR_WORDS[m.group("a").lower()]
    before = m.string[max(0, m.start() - 5) : m.start()].rstrip()
    return (word.capitalize() if not before or before[-1] in '.!?\n"' else word) + " "


# Two capitals espeak-ng spells; other pairs it may read as words (DE "duh", IN, NO, CA),
# so those stay dotted without the final period, which every espeak-based engine spells.
_SPELLED_PAIRS = {
    "US",
    "UK",
    "EU",
    "UN",
    "TV",
    "AI",
    "IT",
    "MP",
    "PM",
    "EV",
    "AP",
    "OK",
    "JP",
    "CN",
    "FR",
    "NL",
    "DK",
    "PT",
    "GR",
    "KR",
    "SG",
    "HK",
    "TW",
    "NG",
    "CL",
    "FM",
}


def initialism(m: re.Match[str]) -> str:
    letters = m.group("i").replace(".", "")
    if len(letters) == 2 and letters not in _SPELLED_PAIRS:
        word = ".".join(letters)
    else:
        word = _SPELL.get(letters, letters)
    return word + ("." if m.group("end") else "")


def single_initial(m: re.Match[str]) -> str:
    # "George W. Bush", "J. K. Rowling": a middle initial, not the end of a sentence.
    before = previous_word(m)
    after = m.string[m.end() : m.end() + 4].lstrip()
    initial_before = _INITIAL_BEFORE.search(m.string, max(0, m.start() - 4), m.start())
    if before[:1].isupper() or initial_before or re.match(r"[A-Z]\.", after):
        return m.group("i")
    return m.group(0)


def spell(m: re.Match[str]) -> str:
    if glued(m, ".-"):
        return m.group(0)
    # Not in an all-capitals headline, where every word looks like an acronym.
    s, start, end = m.string, m.start(), m.end()
    around = s[max(0, start - 20) : start].split()[-1:] + s[end : end + 20].split()[:1]
    if any(len(w) > 2 and w.isupper() and w.isalpha() for w in around):
        return m.group(0)
    return _SPELL[m.group("w")]
